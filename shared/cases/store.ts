import { ConditionalCheckFailedException, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { conflict } from "#shared/errors.ts";
import type { Log } from "#shared/log.ts";
import { type IndexName, TABLE } from "#shared/resources.ts";
import {
  type Assignee,
  CAMPAIGN_OVERRIDE_PREFIX,
  type CaseRecord,
  type CaseStatus,
  type Decision,
  NOTIFIED_FOR,
  type NoticeChannel,
  type Outcome,
  type TimelineEntry,
} from "./model.ts";

const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

type UpdateInput = Omit<ConstructorParameters<typeof UpdateCommand>[0], "TableName">;

const CASE_PK = "CASE#";
const caseKey = (reference: string) => ({ pk: `${CASE_PK}${reference}`, sk: "CASE" });
const idemKey = (key: string) => ({ pk: `IDEM#${key}`, sk: "IDEM" });
const epoch = (iso: string) => Math.floor(Date.parse(iso) / 1000);

export interface IdempotencyKey {
  /** A client's Idempotency-Key header, or the hash of the payload for identical re-submissions. */
  key: string;
  payloadHash: string;
}

/** Why a worker last failed a case's message: kept on the case item as `lastError`. */
export interface CaseError {
  at: string;
  message: string;
  /** The queue whose message failed (its name, from the record's eventSourceARN). */
  queue: string;
}

export type CreateResult = { created: true } | { created: false; reference: string; statusToken: string };

export interface PendingCase {
  reference: string;
  status: CaseRecord["status"];
  consortiumId?: string;
  sweptAt: string;
}

/**
 * The case store: every read and write of a case goes through here, each write conditional so that
 * a message delivered twice, or two people acting at once, change nothing twice.
 */
export class CaseStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  /**
   * Stores a new case together with its idempotency keys, in one transaction. When a key was seen
   * within 24 h, nothing is written and the earlier case's reference is returned instead.
   */
  async create(record: CaseRecord, statusToken: string, keys: IdempotencyKey[]): Promise<CreateResult> {
    const now = record.receivedAt;
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...caseKey(record.reference), ...caseItem(record) },
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
            ...keys.map((k) => ({
              Put: {
                TableName: this.tableName,
                Item: {
                  ...idemKey(k.key),
                  reference: record.reference,
                  statusToken,
                  payloadHash: k.payloadHash,
                  [TABLE.ttlAttribute]: epoch(now) + IDEMPOTENCY_TTL_SECONDS,
                },
                // An expired key (TTL deletion lags) counts as absent.
                ConditionExpression: "attribute_not_exists(pk) OR #ttl < :now",
                ExpressionAttributeNames: { "#ttl": TABLE.ttlAttribute },
                ExpressionAttributeValues: { ":now": epoch(now) },
              },
            })),
          ],
        }),
      );
      return { created: true };
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const reasons = err.CancellationReasons ?? [];
      if (reasons[0]?.Code === "ConditionalCheckFailed") throw new ReferenceTakenError(record.reference);
      for (const [i, k] of keys.entries()) {
        if (reasons[i + 1]?.Code !== "ConditionalCheckFailed") continue;
        const prior = await this.idempotent(k.key, now);
        if (!prior) continue;
        if (prior.payloadHash !== k.payloadHash)
          throw conflict("This Idempotency-Key was already used for a different request");
        return { created: false, reference: prior.reference, statusToken: prior.statusToken };
      }
      throw err;
    }
  }

  private async idempotent(key: string, nowIso: string) {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: idemKey(key), ConsistentRead: true }),
    );
    if (!Item || Number(Item[TABLE.ttlAttribute]) < epoch(nowIso)) return undefined;
    return Item as { reference: string; statusToken: string; payloadHash: string };
  }

  async get(reference: string): Promise<CaseRecord | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: caseKey(reference), ConsistentRead: true }),
    );
    return Item ? fromItem(Item) : undefined;
  }

  /**
   * Several cases in one BatchGetItem (strongly consistent, as `get`): how a worker reads a batch of
   * messages' cases with one call instead of one per message. Keys DynamoDB leaves unprocessed
   * (throttling) are simply absent: the caller reads those one by one.
   */
  async getMany(references: readonly string[]): Promise<Map<string, CaseRecord>> {
    const found = new Map<string, CaseRecord>();
    const unique = [...new Set(references)];
    for (let i = 0; i < unique.length; i += 100) {
      const { Responses } = await this.db.send(
        new BatchGetCommand({
          RequestItems: {
            [this.tableName]: { Keys: unique.slice(i, i + 100).map(caseKey), ConsistentRead: true },
          },
        }),
      );
      for (const item of Responses?.[this.tableName] ?? []) {
        const c = fromItem(item);
        found.set(c.reference, c);
      }
    }
    return found;
  }

  /** received → routed (or manual_triage), with the decision. False when the case was already triaged. */
  async recordDecision(reference: string, decision: Decision, now: string): Promise<boolean> {
    const manual = decision.route.queue === "manual";
    // A campaign's override tags the case, so the campaign can count what it caught.
    const campaignId = decision.route.overrideId?.startsWith(CAMPAIGN_OVERRIDE_PREFIX)
      ? decision.route.overrideId.slice(CAMPAIGN_OVERRIDE_PREFIX.length)
      : undefined;
    const entry: TimelineEntry = {
      at: now,
      event: manual ? "manual_triage" : "routed",
      actor: "system",
      ...(decision.route.consortiumId ? { consortiumId: decision.route.consortiumId } : {}),
      detail: decision.route.reason,
    };
    return this.conditionalUpdate({
      Key: caseKey(reference),
      UpdateExpression:
        "SET #status = :status, decision = :decision, needs = :needs, primaryNeed = :primary, updatedAt = :now, " +
        "gsi3sk = :pendingSk, timeline = list_append(timeline, :entry)" +
        (decision.route.consortiumId ? ", consortiumId = :consortium" : "") +
        (campaignId ? ", campaignId = :campaign" : ""),
      ConditionExpression: "#status = :received",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: {
        ":status": manual ? "manual_triage" : "routed",
        ":received": "received",
        ":decision": decision,
        ":needs": decision.needs,
        ":primary": decision.primaryNeed,
        ":now": now,
        ":pendingSk": `${now}#${reference}`,
        ":entry": [entry],
        ...(decision.route.consortiumId ? { ":consortium": decision.route.consortiumId } : {}),
        ...(campaignId ? { ":campaign": campaignId } : {}),
      },
    });
  }

  /**
   * Places a routed case in its consortium's inbox (status delivered), or a manual-triage case in the
   * manual inbox (status stays manual_triage), and returns the case as it now is. Undefined when it
   * was delivered already or has since moved to another consortium: a duplicate or stale message
   * then changes nothing.
   */
  async markDelivered(
    reference: string,
    consortiumId: string | null,
    now: string,
  ): Promise<CaseRecord | undefined> {
    const inbox = consortiumId ?? "manual";
    const entry: TimelineEntry = {
      at: now,
      event: "delivered",
      actor: "system",
      consortiumId: inbox,
    };
    const updated = await this.conditionalUpdate({
      Key: caseKey(reference),
      ReturnValues: "ALL_NEW",
      UpdateExpression:
        "SET #status = :status, deliveredAt = :now, updatedAt = :now, gsi1pk = :inbox, " +
        "timeline = list_append(timeline, :entry) REMOVE gsi3pk, gsi3sk",
      ConditionExpression:
        consortiumId === null
          ? "attribute_exists(gsi3pk) AND #status = :status"
          : "attribute_exists(gsi3pk) AND #status = :routed AND consortiumId = :consortium",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: {
        ":status": consortiumId === null ? "manual_triage" : "delivered",
        ":now": now,
        ":inbox": `CONSORTIUM#${inbox}`,
        ":entry": [entry],
        ...(consortiumId === null ? {} : { ":routed": "routed", ":consortium": consortiumId }),
      },
    });
    return updated ? fromItem(updated) : undefined;
  }

  /** Cases not yet in an inbox whose last step is older than `before` (oldest first). */
  async listPending(before: string, limit = 100): Promise<PendingCase[]> {
    const idx = TABLE.indexes.pending;
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: idx.name,
        KeyConditionExpression: "#pk = :pending AND #sk < :before",
        ExpressionAttributeNames: { "#pk": idx.partitionKey, "#sk": idx.sortKey },
        ExpressionAttributeValues: { ":pending": "PENDING", ":before": before },
        Limit: limit,
      }),
    );
    return Items.map((i) => ({
      reference: String(i.reference),
      status: i.status as CaseRecord["status"],
      ...(i.consortiumId ? { consortiumId: String(i.consortiumId) } : {}),
      sweptAt: String(i.gsi3sk),
    }));
  }

  /** Claims a stuck case for one re-send: only one sweeper wins, and it is not picked again at once. */
  async markResent(p: PendingCase, now: string): Promise<boolean> {
    return this.conditionalUpdate({
      Key: caseKey(p.reference),
      UpdateExpression: "SET gsi3sk = :next ADD resendCount :one",
      ConditionExpression: "gsi3sk = :seen",
      ExpressionAttributeValues: { ":next": `${now}#${p.reference}`, ":seen": p.sweptAt, ":one": 1 },
    });
  }

  // ---- the inbox: what consultants read and do -------------------------------------------------

  /**
   * An inbox's cases, newest first, optionally filtered by status and need. `cursor` is the key of
   * the last case of the previous page (opaque to callers; see shared/cases/casework.ts).
   */
  async listInbox(
    inbox: string,
    opts: { status?: CaseStatus; need?: string; cursor?: Record<string, unknown>; limit: number },
  ): Promise<{ items: CaseRecord[]; last?: Record<string, unknown> }> {
    const idx = TABLE.indexes.byConsortium;
    const filters: string[] = [];
    const values: Record<string, unknown> = { ":inbox": `CONSORTIUM#${inbox}` };
    const names: Record<string, string> = { "#pk": idx.partitionKey };
    if (opts.status) {
      filters.push("#status = :status");
      names["#status"] = "status";
      values[":status"] = opts.status;
    }
    if (opts.need) {
      filters.push("contains(needs, :need)");
      values[":need"] = opts.need;
    }
    const items: CaseRecord[] = [];
    let start = opts.cursor;
    // A filter is applied after DynamoDB's page limit: read on until the page is full.
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: idx.name,
          KeyConditionExpression: "#pk = :inbox",
          ...(filters.length ? { FilterExpression: filters.join(" AND ") } : {}),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ScanIndexForward: false,
          Limit: Math.max(opts.limit, 25),
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        items.push(fromItem(item));
        if (items.length === opts.limit) {
          const more = page.LastEvaluatedKey !== undefined || item !== page.Items?.at(-1);
          return more ? { items, last: indexKey(item) } : { items };
        }
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return { items };
  }

  /** How many cases of an inbox are in each status. */
  async inboxCounts(inbox: string): Promise<Partial<Record<CaseStatus, number>>> {
    const counts: Partial<Record<CaseStatus, number>> = {};
    const pages = queryPartition(this.db, this.tableName, "byConsortium", `CONSORTIUM#${inbox}`, {
      ProjectionExpression: "#status",
      ExpressionAttributeNames: { "#status": "status" },
    });
    for await (const items of pages)
      for (const i of items) {
        const st = i.status as CaseStatus;
        counts[st] = (counts[st] ?? 0) + 1;
      }
    return counts;
  }

  /**
   * The newest `limit` cases, found day by day back from `now` (at most `days` days) in the byDay
   * index, which holds no request text, then read by key (`inOrder`).
   */
  async recentCases(now: string, limit: number, days = 366): Promise<CaseRecord[]> {
    const references: string[] = [];
    const today = Date.parse(now.slice(0, 10));
    for (let d = 0; d < days && references.length < limit; d++) {
      const day = new Date(today - d * 86_400_000).toISOString().slice(0, 10);
      references.push(...(await this.newestIn("byDay", `RECEIVED#${day}`, limit - references.length)));
    }
    return this.inOrder(references);
  }

  /** Every case of one company (CVR), in any consortium, newest first, up to `limit` (`inOrder`). */
  async companyCases(cvr: string, limit = 50): Promise<CaseRecord[]> {
    return this.inOrder(await this.newestIn("byCompany", `CVR#${cvr}`, limit));
  }

  /** The references of the newest `limit` cases in one partition of an index. */
  private async newestIn(index: IndexName, partitionKey: string, limit: number): Promise<string[]> {
    const references: string[] = [];
    const pages = queryPartition(this.db, this.tableName, index, partitionKey, {
      ScanIndexForward: false,
      Limit: limit,
    });
    for await (const items of pages) {
      for (const i of items) references.push(String(i.pk).slice(CASE_PK.length));
      if (references.length >= limit) break;
    }
    return references.slice(0, limit);
  }

  /**
   * The cases an index named, in its order: read with BatchGetItem, and one the batch read left out
   * read on its own (an erasure or an export must not miss one). A case erased in between is simply
   * not there.
   */
  private async inOrder(references: readonly string[]): Promise<CaseRecord[]> {
    const found = await this.getMany(references);
    const cases: CaseRecord[] = [];
    for (const reference of references) {
      const c = found.get(reference) ?? (await this.get(reference));
      if (c) cases.push(c);
    }
    return cases;
  }

  /**
   * Takes a case that is `current` (delivered, claimed or in progress) in `consortiumId`. Fails
   * (false) when someone else holds it, unless `reassign`, or when it changed meanwhile: two
   * consultants claiming at once cannot both win.
   */
  async claim(
    reference: string,
    consortiumId: string,
    who: Assignee,
    opts: { reassign: boolean; current: CaseStatus },
    now: string,
  ) {
    return this.staffChange(reference, {
      // The first claim's time, for the statistics (which read the byDay index, not the timeline).
      set: "#status = :next, assignee = :who, firstClaimedAt = if_not_exists(firstClaimedAt, :now)",
      condition:
        "consortiumId = :consortium AND #status = :current" +
        (opts.reassign ? "" : " AND attribute_not_exists(assignee)"),
      values: {
        ":consortium": consortiumId,
        ":who": who,
        ":current": opts.current,
        ":next": opts.current === "in_progress" ? "in_progress" : "claimed",
      },
      entry: { at: now, event: "claimed", actor: who.sub, actorName: who.name, consortiumId },
      now,
    });
  }

  async addNote(reference: string, consortiumId: string, entry: TimelineEntry, now: string) {
    return this.staffChange(reference, {
      condition: "consortiumId = :consortium",
      values: { ":consortium": consortiumId },
      entry,
      now,
    });
  }

  /** claimed → in_progress, or → closed with an outcome (closed cases then expire after `expiresAt`). */
  async setStatus(
    reference: string,
    consortiumId: string,
    who: Assignee,
    change: { status: "in_progress" } | { status: "closed"; outcome: Outcome; expiresAt: number },
    now: string,
  ) {
    const closing = change.status === "closed";
    return this.staffChange(reference, {
      set: closing
        ? "#status = :closed, outcome = :outcome, closedAt = :now, #ttl = :expires"
        : "#status = :inProgress",
      condition: "consortiumId = :consortium AND #status IN (:claimed, :inProgress)",
      names: closing ? { "#ttl": TABLE.ttlAttribute } : {},
      values: {
        ":consortium": consortiumId,
        ":claimed": "claimed",
        ":inProgress": "in_progress",
        ...(closing ? { ":closed": "closed", ":outcome": change.outcome, ":expires": change.expiresAt } : {}),
      },
      entry: {
        at: now,
        event: change.status,
        actor: who.sub,
        actorName: who.name,
        consortiumId,
        ...(closing ? { detail: change.outcome } : {}),
      },
      now,
    });
  }

  /**
   * Moves a case to another consortium: out of this inbox, back to `routed` and pending, so the
   * delivery worker (or, if the send is lost, the sweeper) places it in the other inbox.
   */
  async transfer(
    reference: string,
    from: string | null,
    to: string,
    who: Assignee,
    reason: string,
    now: string,
  ) {
    return this.staffChange(reference, {
      set: "#status = :routed, consortiumId = :to, gsi3pk = :pending, gsi3sk = :pendingSk",
      remove: "assignee, gsi1pk",
      // From manual triage (no consortium yet), or from a consortium's inbox.
      condition:
        from === null
          ? "attribute_not_exists(consortiumId) AND #status = :manual"
          : "consortiumId = :from AND #status <> :closed AND #status <> :routed",
      values: {
        ":routed": "routed",
        ":to": to,
        ...(from === null ? { ":manual": "manual_triage" } : { ":from": from, ":closed": "closed" }),
        ":pending": "PENDING",
        ":pendingSk": `${now}#${reference}`,
      },
      entry: {
        at: now,
        event: "transferred",
        actor: who.sub,
        actorName: who.name,
        consortiumId: to,
        detail: reason,
      },
      now,
    });
  }

  async completeFollowUp(
    reference: string,
    consortiumId: string,
    couplingId: string,
    who: Assignee,
    now: string,
  ) {
    return this.staffChange(reference, {
      set: "followUpsDone = list_append(if_not_exists(followUpsDone, :empty), :done)",
      condition: "consortiumId = :consortium AND NOT contains(followUpsDone, :id)",
      values: { ":consortium": consortiumId, ":empty": [], ":done": [couplingId], ":id": couplingId },
      entry: {
        at: now,
        event: "note",
        actor: who.sub,
        actorName: who.name,
        consortiumId,
        detail: `follow-up done: ${couplingId}`,
      },
      now,
    });
  }

  /** One staff change: a conditional update that also appends its timeline entry. */
  private staffChange(
    reference: string,
    c: {
      set?: string;
      remove?: string;
      condition: string;
      names?: Record<string, string>;
      values: Record<string, unknown>;
      entry: TimelineEntry;
      now: string;
    },
  ): Promise<boolean> {
    const set = ["updatedAt = :now", "timeline = list_append(timeline, :entry)", ...(c.set ? [c.set] : [])];
    const names = {
      ...c.names,
      ...(/#status/.test(c.set ?? "") || /#status/.test(c.condition) ? { "#status": "status" } : {}),
    };
    return this.conditionalUpdate({
      Key: caseKey(reference),
      UpdateExpression: `SET ${set.join(", ")}${c.remove ? ` REMOVE ${c.remove}` : ""}`,
      ConditionExpression: `attribute_exists(pk) AND ${c.condition}`,
      ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
      ExpressionAttributeValues: { ...c.values, ":now": c.now, ":entry": [c.entry] },
    });
  }

  /** Marks that the consortium's inbox was told about this delivery on all its channels (once per delivery). */
  async markNotified(reference: string, deliveredAt: string, now: string): Promise<boolean> {
    return this.conditionalUpdate({
      Key: caseKey(reference),
      UpdateExpression: "SET notifiedAt = :now",
      ConditionExpression:
        "deliveredAt = :deliveredAt AND (attribute_not_exists(notifiedAt) OR notifiedAt < :deliveredAt)",
      ExpressionAttributeValues: { ":now": now, ":deliveredAt": deliveredAt },
    });
  }

  /**
   * Records that one channel (webhook or e-mail) told the inbox about the delivery of `deliveredAt`,
   * so that a retried delivery message does not send that channel again. The value is the
   * delivery's own `deliveredAt` (no clock involved), and the write is conditional on the case still
   * being in that delivery: false when it has been delivered again since (that delivery's notices
   * are its own). Idempotent: recording a channel twice changes nothing.
   */
  async markChannelNotified(
    reference: string,
    channel: NoticeChannel,
    deliveredAt: string,
  ): Promise<boolean> {
    return this.conditionalUpdate({
      Key: caseKey(reference),
      UpdateExpression: "SET #notifiedFor = :deliveredAt",
      ConditionExpression: "deliveredAt = :deliveredAt",
      ExpressionAttributeNames: { "#notifiedFor": NOTIFIED_FOR[channel] },
      ExpressionAttributeValues: { ":deliveredAt": deliveredAt },
    });
  }

  /**
   * Best effort: notes on the case why a worker failed it last (what the dead-letter screen shows).
   * Never throws: a case that does not exist is left alone (false), and any other failure is logged.
   */
  async recordError(reference: string, error: CaseError, log?: Pick<Log, "warn">): Promise<boolean> {
    try {
      return await this.conditionalUpdate({
        Key: caseKey(reference),
        UpdateExpression: "SET lastError = :error",
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeValues: { ":error": error },
      });
    } catch (err) {
      log?.warn("could not record the error on the case", { reference, error: String(err) });
      return false;
    }
  }

  /** An update that may fail its condition: false (or undefined) then, never an exception. */
  private async conditionalUpdate(
    input: UpdateInput & { ReturnValues: "ALL_NEW" },
  ): Promise<Record<string, unknown> | undefined>;
  private async conditionalUpdate(input: UpdateInput): Promise<boolean>;
  private async conditionalUpdate(
    input: UpdateInput,
  ): Promise<boolean | Record<string, unknown> | undefined> {
    try {
      const out = await this.db.send(new UpdateCommand({ TableName: this.tableName, ...input }));
      return input.ReturnValues === "ALL_NEW" ? out.Attributes : true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException)
        return input.ReturnValues === "ALL_NEW" ? undefined : false;
      throw err;
    }
  }
}

export class ReferenceTakenError extends Error {
  constructor(reference: string) {
    super(`reference ${reference} is taken`);
    this.name = "ReferenceTakenError";
  }
}

function caseItem(c: CaseRecord): Record<string, unknown> {
  const day = c.receivedAt.slice(0, 10);
  return {
    reference: c.reference,
    status: c.status,
    receivedAt: c.receivedAt,
    updatedAt: c.updatedAt,
    payload: c.payload,
    tokenHash: c.tokenHash,
    needs: c.needs,
    primaryNeed: c.primaryNeed,
    timeline: c.timeline,
    // The inbox key (gsi1pk) is set on delivery; its sort key, time received, is known now.
    gsi1sk: `${c.receivedAt}#${c.reference}`,
    gsi2pk: `CVR#${c.payload.company.cvr}`,
    gsi2sk: `${c.receivedAt}#${c.reference}`,
    gsi3pk: "PENDING",
    gsi3sk: `${c.updatedAt}#${c.reference}`,
    gsi4pk: `RECEIVED#${day}`,
    gsi4sk: `${c.receivedAt}#${c.reference}`,
  };
}

/** The key of an item in the inbox index: where the next page starts. */
function indexKey(i: Record<string, unknown>): Record<string, unknown> {
  return { pk: i.pk, sk: i.sk, gsi1pk: i.gsi1pk, gsi1sk: i.gsi1sk };
}

function fromItem(i: Record<string, unknown>): CaseRecord {
  const { pk, sk, gsi1pk, gsi1sk, gsi2pk, gsi2sk, gsi3pk, gsi3sk, gsi4pk, gsi4sk, resendCount, ...rest } = i;
  return { ...(rest as Omit<CaseRecord, "pending">), pending: gsi3pk === "PENDING" };
}

/** The pages of one partition of an index (stop reading by leaving the loop). */
export async function* queryPartition(
  db: DynamoDBDocumentClient,
  tableName: string,
  index: IndexName,
  key: string,
  options: Pick<
    QueryCommandInput,
    "ProjectionExpression" | "ExpressionAttributeNames" | "ScanIndexForward" | "Limit"
  >,
): AsyncGenerator<Record<string, unknown>[]> {
  const idx = TABLE.indexes[index];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: idx.name,
        KeyConditionExpression: "#pk = :pk",
        ...options,
        ExpressionAttributeNames: { "#pk": idx.partitionKey, ...options.ExpressionAttributeNames },
        ExpressionAttributeValues: { ":pk": key },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    yield page.Items ?? [];
    start = page.LastEvaluatedKey;
  } while (start);
}
