import { QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import * as z from "zod/mini";
import { validationFailed } from "#shared/errors.ts";
import { type IndexName, TABLE } from "#shared/resources.ts";
import {
  type CaseTable,
  companyPartition,
  DUE,
  dayPartition,
  fromItem,
  inboxPartition,
  PENDING,
  referenceOf,
} from "./case-item.ts";
import { REFERENCE_PATTERN } from "./ids.ts";
import type { CaseRecord, CaseStatus } from "./model.ts";

/**
 * Reading the table's indexes: an inbox page by page, the sweeper's pending list, a day's cases,
 * the newest cases of a company or a day, and counts by status.
 */

/** The pages of one partition of an index (stop reading by leaving the loop). */
export async function* queryPartition(
  t: CaseTable,
  index: IndexName,
  key: string,
  options: Pick<
    QueryCommandInput,
    | "ProjectionExpression"
    | "FilterExpression"
    | "ExpressionAttributeNames"
    | "ExpressionAttributeValues"
    | "ScanIndexForward"
    | "Limit"
  >,
): AsyncGenerator<Record<string, unknown>[]> {
  const idx = TABLE.indexes[index];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await t.db.send(
      new QueryCommand({
        TableName: t.tableName,
        IndexName: idx.name,
        KeyConditionExpression: "#pk = :pk",
        ...options,
        ExpressionAttributeNames: { "#pk": idx.partitionKey, ...options.ExpressionAttributeNames },
        ExpressionAttributeValues: { ":pk": key, ...options.ExpressionAttributeValues },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    yield page.Items ?? [];
    start = page.LastEvaluatedKey;
  } while (start);
}

// ---- the inbox ---------------------------------------------------------------------------------

/** What an inbox page may be narrowed to. */
export interface InboxFilter {
  status?: CaseStatus;
  need?: string;
  campaignId?: string;
  /** Held by this staff user: the assignee's `sub`, or their e-mail (lowercase) when given it by name. */
  assignedTo?: { sub: string; email?: string | undefined };
  unclaimed?: boolean;
  /** Received before this instant, no first contact yet, not closed (see response-times.ts). */
  receivedBefore?: string;
  /** Search terms, folded (search-text.ts). */
  terms?: readonly string[];
}

export interface InboxPage {
  items: CaseRecord[];
  /** Where the next page starts, opaque to callers; absent on the last page. */
  next?: string;
}

/**
 * An inbox's cases, newest first, optionally filtered by status, need and search terms (folded, see
 * search-text.ts). `cursor` is the `next` of the previous page: refused (400 `cursor`) unless it
 * came from this same inbox. A search reads the inbox's partition until the page is full, filtered
 * by DynamoDB: its cost grows with the inbox (Performance in the README has the figures).
 */
export async function listInbox(
  t: CaseTable,
  inbox: string,
  opts: InboxFilter & { cursor?: string; limit: number },
): Promise<InboxPage> {
  const idx = TABLE.indexes.byConsortium;
  const filters: string[] = [];
  const values: Record<string, unknown> = { ":inbox": inboxPartition(inbox) };
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
  if (opts.campaignId) {
    filters.push("campaignId = :campaign");
    values[":campaign"] = opts.campaignId;
  }
  if (opts.assignedTo) {
    const { sub, email } = opts.assignedTo;
    filters.push(email ? "(assignee.#sub = :me OR assignee.email = :myEmail)" : "assignee.#sub = :me");
    names["#sub"] = "sub";
    values[":me"] = sub;
    if (email) values[":myEmail"] = email;
  }
  if (opts.unclaimed) filters.push("attribute_not_exists(assignee)");
  // Overdue for first contact: received before the cutoff (a range of the sort key, not a filter),
  // no contact yet, not closed.
  let keyCondition = "#pk = :inbox";
  if (opts.receivedBefore) {
    keyCondition += " AND #sk < :before";
    names["#sk"] = idx.sortKey;
    values[":before"] = opts.receivedBefore;
    filters.push("attribute_not_exists(firstContactAt) AND #status <> :closed");
    names["#status"] = "status";
    values[":closed"] = "closed";
  }
  // Search: every term in the case's text (any part of it) or among its notes' words. The terms are
  // values, never part of the expression.
  for (const [i, term] of (opts.terms ?? []).entries()) {
    filters.push(`(contains(searchText, :q${i}) OR contains(noteWords, :q${i}))`);
    values[`:q${i}`] = term;
  }
  const items: CaseRecord[] = [];
  let start = opts.cursor === undefined ? undefined : startOf(opts.cursor, inbox);
  // A filter is applied after DynamoDB's page limit: read on until the page is full.
  do {
    const page = await t.db.send(
      new QueryCommand({
        TableName: t.tableName,
        IndexName: idx.name,
        KeyConditionExpression: keyCondition,
        ...(filters.length ? { FilterExpression: filters.join(" AND ") } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        // Filtered, most items read are dropped: read DynamoDB's full pages (1 MB) rather than 25 at a time.
        Limit: filters.length ? 1_000 : Math.max(opts.limit, 25),
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      items.push(fromItem(item));
      if (items.length === opts.limit) {
        const more = page.LastEvaluatedKey !== undefined || item !== page.Items?.at(-1);
        return more ? { items, next: cursorAfter(item) } : { items };
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return { items };
}

/** The cursor after an item of the inbox index: its key in that index, base64url JSON. */
function cursorAfter(i: Record<string, unknown>): string {
  const key = { pk: i.pk, sk: i.sk, gsi1pk: i.gsi1pk, gsi1sk: i.gsi1sk };
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

/**
 * The index key a cursor continues from, if it is a cursor of this inbox. A cursor comes back from
 * the client, so it is checked against the exact shape `cursorAfter` writes (the key of a case in
 * this inbox's index) before DynamoDB sees it: anything else is the client's mistake (400), never a
 * failed query.
 */
function startOf(cursor: string, inbox: string): Record<string, unknown> {
  const key = decodeCursor(cursor);
  const parsed = key === undefined ? undefined : z.safeParse(inboxKeySchema(inbox), key);
  if (parsed?.success && parsed.data.pk === `CASE#${parsed.data.gsi1sk.split("#")[1]}`) return parsed.data;
  throw validationFailed([{ path: "cursor", message: "is not a cursor of this inbox" }]);
}

function decodeCursor(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
}

const REFERENCE = REFERENCE_PATTERN.source.slice(1, -1);

/** The key of a case in one inbox's index: what `cursorAfter` writes, and nothing else. */
const inboxKeySchema = (inbox: string) =>
  z.strictObject({
    pk: z.string().check(z.regex(new RegExp(`^CASE#${REFERENCE}$`))),
    sk: z.literal("CASE"),
    gsi1pk: z.literal(inboxPartition(inbox)),
    // `<receivedAt>#<reference>`
    gsi1sk: z.string().check(z.regex(new RegExp(`^\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z#${REFERENCE}$`))),
  });

/** How many cases of an inbox are in each status. */
export async function inboxCounts(t: CaseTable, inbox: string): Promise<Partial<Record<CaseStatus, number>>> {
  return countByStatus(
    queryPartition(t, "byConsortium", inboxPartition(inbox), {
      ProjectionExpression: "#status",
      ExpressionAttributeNames: { "#status": "status" },
    }),
  );
}

async function countByStatus(
  pages: AsyncIterable<Record<string, unknown>[]>,
): Promise<Partial<Record<CaseStatus, number>>> {
  const counts: Partial<Record<CaseStatus, number>> = {};
  for await (const items of pages)
    for (const i of items) {
      const st = i.status as CaseStatus;
      counts[st] = (counts[st] ?? 0) + 1;
    }
  return counts;
}

// ---- the sweeper's work list ---------------------------------------------------------------------

export interface PendingCase {
  reference: string;
  status: CaseRecord["status"];
  consortiumId?: string;
  sweptAt: string;
}

/** The sweeper's two lists in the pending index: one partition, the sort key up to `below` (excluded). */
async function sweeperList(t: CaseTable, partition: string, below: string, limit: number) {
  const idx = TABLE.indexes.pending;
  const { Items = [] } = await t.db.send(
    new QueryCommand({
      TableName: t.tableName,
      IndexName: idx.name,
      KeyConditionExpression: "#pk = :partition AND #sk < :below",
      ExpressionAttributeNames: { "#pk": idx.partitionKey, "#sk": idx.sortKey },
      ExpressionAttributeValues: { ":partition": partition, ":below": below },
      Limit: limit,
    }),
  );
  return Items.map((i) => ({ item: i, sweptAt: String(i[idx.sortKey]) }));
}

/** Cases not yet in an inbox whose last step is older than `before` (oldest first). */
export async function listPending(t: CaseTable, before: string, limit = 100): Promise<PendingCase[]> {
  return (await sweeperList(t, PENDING, before, limit)).map(({ item: i, sweptAt }) => ({
    reference: String(i.reference),
    status: i.status as CaseRecord["status"],
    ...(i.consortiumId ? { consortiumId: String(i.consortiumId) } : {}),
    sweptAt,
  }));
}

/** A delivered case the sweeper is to look at from `at` (attention.ts). */
export interface DueCase {
  reference: string;
  /** The index sort key as read: the sweeper's write is conditional on it. */
  sweptAt: string;
}

/** Cases whose attention time has come by `now` (earliest first). */
export async function listDue(t: CaseTable, now: string, limit = 100): Promise<DueCase[]> {
  // `<at>#<reference>` below `<now>#~`: every key whose time is not after now.
  return (await sweeperList(t, DUE, `${now}#~`, limit)).map(({ item, sweptAt }) => ({
    reference: String(item.reference),
    sweptAt,
  }));
}

// ---- by company, by day --------------------------------------------------------------------------

/** The references of the newest `limit` cases of one company (CVR). */
export function newestOfCompany(t: CaseTable, cvr: string, limit: number): Promise<string[]> {
  return newestIn(t, "byCompany", companyPartition(cvr), limit);
}

/** The references of the newest `limit` cases received on one UTC day. */
export function newestOfDay(t: CaseTable, day: string, limit: number): Promise<string[]> {
  return newestIn(t, "byDay", dayPartition(day), limit);
}

async function newestIn(t: CaseTable, index: IndexName, partitionKey: string, limit: number) {
  const references: string[] = [];
  const pages = queryPartition(t, index, partitionKey, { ScanIndexForward: false, Limit: limit });
  for await (const items of pages) {
    for (const i of items) references.push(referenceOf(i));
    if (references.length >= limit) break;
  }
  return references.slice(0, limit);
}

/**
 * What the byDay index holds of a case (shared/resources.ts): no company, contact, request text
 * or timeline.
 */
export type DayCase = Pick<CaseRecord, (typeof TABLE.indexes.byDay.projection)[number]>;

/** The cases received on one UTC day, oldest first, every page of the byDay index. */
export async function casesReceivedOn(t: CaseTable, day: string): Promise<DayCase[]> {
  const names: Record<string, string> = {};
  const attributes = TABLE.indexes.byDay.projection;
  for (const [i, attr] of attributes.entries()) names[`#a${i}`] = attr;
  const projection = attributes.map((_, i) => `#a${i}`).join(", ");
  const out: DayCase[] = [];
  for await (const items of queryPartition(t, "byDay", dayPartition(day), {
    ProjectionExpression: projection,
    ExpressionAttributeNames: names,
  })) {
    for (const item of items) {
      const c = item as Partial<DayCase> & Pick<DayCase, "reference" | "status" | "receivedAt">;
      out.push({ ...c, needs: c.needs ?? [] });
    }
  }
  return out;
}

/** How many of the cases received on one UTC day a campaign tagged, by status. */
export async function campaignCountsOn(
  t: CaseTable,
  campaignId: string,
  day: string,
): Promise<Partial<Record<CaseStatus, number>>> {
  return countByStatus(
    queryPartition(t, "byDay", dayPartition(day), {
      FilterExpression: "campaignId = :id",
      ProjectionExpression: "#status",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: { ":id": campaignId },
    }),
  );
}
