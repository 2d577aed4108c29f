import { BatchGetCommand, GetCommand } from "@aws-sdk/lib-dynamodb";
import { type CaseTable, caseKey, fromItem } from "./case-item.ts";
import { newestOfCompany, newestOfDay } from "./index-pagers.ts";
import type { CaseRecord } from "./model.ts";

/** Reading whole cases by key: one, a batch, or the ones an index names (a company's, the newest). */

export async function get(t: CaseTable, reference: string): Promise<CaseRecord | undefined> {
  const { Item } = await t.db.send(
    new GetCommand({ TableName: t.tableName, Key: caseKey(reference), ConsistentRead: true }),
  );
  return Item ? fromItem(Item) : undefined;
}

/**
 * Several cases in one BatchGetItem (strongly consistent, as `get`): how a worker reads a batch of
 * messages' cases with one call instead of one per message. Keys DynamoDB leaves unprocessed
 * (throttling) are simply absent: the caller reads those one by one.
 */
export async function getMany(t: CaseTable, references: readonly string[]): Promise<Map<string, CaseRecord>> {
  const found = new Map<string, CaseRecord>();
  const unique = [...new Set(references)];
  for (let i = 0; i < unique.length; i += 100) {
    const { Responses } = await t.db.send(
      new BatchGetCommand({
        RequestItems: {
          [t.tableName]: { Keys: unique.slice(i, i + 100).map(caseKey), ConsistentRead: true },
        },
      }),
    );
    for (const item of Responses?.[t.tableName] ?? []) {
      const c = fromItem(item);
      found.set(c.reference, c);
    }
  }
  return found;
}

/**
 * The newest `limit` cases, found day by day back from `now` (at most `days` days) in the byDay
 * index, which holds no request text, then read by key (`inOrder`).
 */
export async function recentCases(
  t: CaseTable,
  now: string,
  limit: number,
  days = 366,
): Promise<CaseRecord[]> {
  const references: string[] = [];
  const today = Date.parse(now.slice(0, 10));
  for (let d = 0; d < days && references.length < limit; d++) {
    const day = new Date(today - d * 86_400_000).toISOString().slice(0, 10);
    references.push(...(await newestOfDay(t, day, limit - references.length)));
  }
  return inOrder(t, references);
}

/** Every case of one company (CVR), in any consortium, newest first, up to `limit` (`inOrder`). */
export async function companyCases(t: CaseTable, cvr: string, limit = 50): Promise<CaseRecord[]> {
  return inOrder(t, await newestOfCompany(t, cvr, limit));
}

/**
 * The cases an index named, in its order: read with BatchGetItem, and one the batch read left out
 * read on its own (an erasure or an export must not miss one). A case erased in between is simply
 * not there.
 */
async function inOrder(t: CaseTable, references: readonly string[]): Promise<CaseRecord[]> {
  const found = await getMany(t, references);
  const cases: CaseRecord[] = [];
  for (const reference of references) {
    const c = found.get(reference) ?? (await get(t, reference));
    if (c) cases.push(c);
  }
  return cases;
}
