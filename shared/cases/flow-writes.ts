import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { conflict } from "#shared/errors.ts";
import type { Log } from "#shared/log.ts";
import { TABLE } from "#shared/resources.ts";
import type { Attention } from "./attention.ts";
import {
  type CaseTable,
  caseItem,
  caseKey,
  conditionalUpdate,
  DUE,
  fromItem,
  inboxPartition,
  PENDING,
  pendingSince,
} from "./case-item.ts";
import type { DueCase, PendingCase } from "./index-pagers.ts";
import {
  CAMPAIGN_OVERRIDE_PREFIX,
  type CaseError,
  type CaseRecord,
  type Decision,
  NOTIFIED_FOR,
  type NoticeChannel,
  type TimelineEntry,
} from "./model.ts";

/**
 * What intake and the workers write as a case goes from the form to an inbox: its creation, the
 * triage decision, the delivery, the sweeper's re-sends, the notices and a worker's last error.
 * Each write is conditional, so a message delivered twice changes nothing twice.
 */

const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

const idemKey = (key: string) => ({ pk: `IDEM#${key}`, sk: "IDEM" });
const epoch = (iso: string) => Math.floor(Date.parse(iso) / 1000);

export interface IdempotencyKey {
  /** A client's Idempotency-Key header, or the hash of the payload for identical re-submissions. */
  key: string;
  payloadHash: string;
}

export type CreateResult = { created: true } | { created: false; reference: string; statusToken: string };

export class ReferenceTakenError extends Error {
  constructor(reference: string) {
    super(`reference ${reference} is taken`);
    this.name = "ReferenceTakenError";
  }
}

/**
 * Stores a new case together with its idempotency keys, in one transaction. When a key was seen
 * within 24 h, nothing is written and the earlier case's reference is returned instead.
 */
export async function create(
  t: CaseTable,
  record: CaseRecord,
  statusToken: string,
  keys: IdempotencyKey[],
): Promise<CreateResult> {
  const now = record.receivedAt;
  try {
    await t.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: t.tableName,
              Item: caseItem(record),
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
          ...keys.map((k) => ({
            Put: {
              TableName: t.tableName,
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
      const prior = await idempotent(t, k.key, now);
      if (!prior) continue;
      if (prior.payloadHash !== k.payloadHash)
        throw conflict("This Idempotency-Key was already used for a different request");
      return { created: false, reference: prior.reference, statusToken: prior.statusToken };
    }
    throw err;
  }
}

async function idempotent(t: CaseTable, key: string, nowIso: string) {
  const { Item } = await t.db.send(
    new GetCommand({ TableName: t.tableName, Key: idemKey(key), ConsistentRead: true }),
  );
  if (!Item || Number(Item[TABLE.ttlAttribute]) < epoch(nowIso)) return undefined;
  return Item as { reference: string; statusToken: string; payloadHash: string };
}

/** received → routed (or manual_triage), with the decision. False when the case was already triaged. */
export async function recordDecision(
  t: CaseTable,
  reference: string,
  decision: Decision,
  now: string,
): Promise<boolean> {
  const manual = decision.route.queue === "manual";
  // A campaign's override tags the case, so the campaign can count what it caught; so does an
  // override's own tag ("layoff").
  const campaignId =
    decision.route.tag ??
    (decision.route.overrideId?.startsWith(CAMPAIGN_OVERRIDE_PREFIX)
      ? decision.route.overrideId.slice(CAMPAIGN_OVERRIDE_PREFIX.length)
      : undefined);
  const entry: TimelineEntry = {
    at: now,
    event: manual ? "manual_triage" : "routed",
    actor: "system",
    ...(decision.route.consortiumId ? { consortiumId: decision.route.consortiumId } : {}),
    detail: decision.route.reason,
  };
  return conditionalUpdate(t, {
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
      ":pendingSk": pendingSince(now, reference),
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
export async function markDelivered(
  t: CaseTable,
  reference: string,
  consortiumId: string | null,
  now: string,
  /** When the sweeper is first to look at the delivered case (attention.ts). */
  firstLook: string = now,
  /** Takes the company's acknowledgement for the caller (`ackClaimedAt = now`) unless taken already. */
  claimAcknowledgement = false,
): Promise<CaseRecord | undefined> {
  const inbox = consortiumId ?? "manual";
  const entry: TimelineEntry = {
    at: now,
    event: "delivered",
    actor: "system",
    consortiumId: inbox,
  };
  const updated = await conditionalUpdate(t, {
    Key: caseKey(reference),
    ReturnValues: "ALL_NEW",
    UpdateExpression:
      "SET #status = :status, deliveredAt = :now, updatedAt = :now, gsi1pk = :inbox, " +
      "timeline = list_append(timeline, :entry)" +
      (claimAcknowledgement ? ", ackClaimedAt = if_not_exists(ackClaimedAt, :now)" : "") +
      // In a consortium's inbox, the sweeper looks at it at `firstLook` for its response-time alerts
      // (attention.ts); manual triage holds no targets, so it leaves the index.
      (consortiumId === null ? " REMOVE gsi3pk, gsi3sk" : ", gsi3pk = :due, gsi3sk = :attention"),
    ConditionExpression:
      consortiumId === null
        ? "gsi3pk = :pending AND #status = :status"
        : "gsi3pk = :pending AND #status = :routed AND consortiumId = :consortium",
    ExpressionAttributeNames: { "#status": "status" },
    ExpressionAttributeValues: {
      ":status": consortiumId === null ? "manual_triage" : "delivered",
      ":now": now,
      ":inbox": inboxPartition(inbox),
      ":entry": [entry],
      ":pending": PENDING,
      ...(consortiumId === null
        ? {}
        : {
            ":routed": "routed",
            ":consortium": consortiumId,
            ":due": DUE,
            ":attention": pendingSince(firstLook, reference),
          }),
    },
  });
  return updated ? fromItem(updated) : undefined;
}

/** Claims a stuck case for one re-send: only one sweeper wins, and it is not picked again at once. */
export async function markResent(t: CaseTable, p: PendingCase, now: string): Promise<boolean> {
  return conditionalUpdate(t, {
    Key: caseKey(p.reference),
    UpdateExpression: "SET gsi3sk = :next ADD resendCount :one",
    ConditionExpression: "gsi3sk = :seen",
    ExpressionAttributeValues: { ":next": pendingSince(now, p.reference), ":seen": p.sweptAt, ":one": 1 },
  });
}

/** Marks that the consortium's inbox was told about this delivery on all its channels (once per delivery). */
export async function markNotified(
  t: CaseTable,
  reference: string,
  deliveredAt: string,
  now: string,
): Promise<boolean> {
  return conditionalUpdate(t, {
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
export async function markChannelNotified(
  t: CaseTable,
  reference: string,
  channel: NoticeChannel,
  deliveredAt: string,
): Promise<boolean> {
  return conditionalUpdate(t, {
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
export async function recordError(
  t: CaseTable,
  reference: string,
  error: CaseError,
  log?: Pick<Log, "warn">,
): Promise<boolean> {
  try {
    return await conditionalUpdate(t, {
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

/**
 * The sweeper's look at a case that asked for attention: records the notices it is about to send
 * (each once per case) and when to look again, or takes the case out of the index when nothing is
 * left to watch. Conditional on the key it read, so of two sweepers only one sends.
 */
export function markAttended(
  t: CaseTable,
  due: DueCase,
  c: Pick<CaseRecord, "newReplyAt">,
  a: Attention,
  now: string,
): Promise<boolean> {
  const sets: string[] = [];
  const values: Record<string, unknown> = { ":seen": due.sweptAt, ":due": DUE };
  for (const n of a.notices) {
    if (n.kind === "reply") {
      sets.push("replyNotifiedFor = :reply");
      values[":reply"] = c.newReplyAt;
    } else {
      sets.push(
        n.kind === "overdue_first_contact" ? "firstContactAlertedAt = :now" : "closeAlertedAt = :now",
      );
      values[":now"] = now;
    }
  }
  if (a.next) {
    sets.push("gsi3sk = :next");
    values[":next"] = pendingSince(a.next, due.reference);
  }
  return conditionalUpdate(t, {
    Key: caseKey(due.reference),
    UpdateExpression: [sets.length ? `SET ${sets.join(", ")}` : "", a.next ? "" : "REMOVE gsi3pk, gsi3sk"]
      .filter(Boolean)
      .join(" "),
    ConditionExpression: "gsi3pk = :due AND gsi3sk = :seen",
    ExpressionAttributeValues: values,
  });
}

/** A notice went out on these channels: a retry of its message skips them. */
export function markNoticeSent(
  t: CaseTable,
  reference: string,
  sentIds: readonly string[],
): Promise<boolean> {
  return conditionalUpdate(t, {
    Key: caseKey(reference),
    UpdateExpression: "ADD noticesSent :id",
    ConditionExpression: "attribute_exists(pk)",
    ExpressionAttributeValues: { ":id": new Set(sentIds) },
  });
}
