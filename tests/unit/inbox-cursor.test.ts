import type { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { CaseStore } from "#shared/cases/store.ts";
import { AppError } from "#shared/errors.ts";
import { CAFE_PAYLOAD } from "#tests/support/fakes.ts";

/**
 * The inbox cursor is the store's: callers pass it through as an opaque string, and the store
 * refuses one that did not come from the inbox asked for.
 */

/** An inbox index partition of `count` cases, newest first, as DynamoDB pages it. */
function inboxTable(inbox: string, count: number) {
  const items = Array.from({ length: count }, (_, i) => {
    const reference = `IND-AAAA-000${count - i}`;
    const receivedAt = `2026-11-2${count - i}T09:00:00.000Z`;
    return {
      pk: `CASE#${reference}`,
      sk: "CASE",
      gsi1pk: `CONSORTIUM#${inbox}`,
      gsi1sk: `${receivedAt}#${reference}`,
      reference,
      status: "delivered",
      receivedAt,
      updatedAt: receivedAt,
      payload: CAFE_PAYLOAD,
      needs: [],
      primaryNeed: null,
      timeline: [],
    };
  });
  const starts: (Record<string, unknown> | undefined)[] = [];
  const db = {
    send: async (cmd: QueryCommand) => {
      const { ExclusiveStartKey, Limit = 25 } = cmd.input;
      starts.push(ExclusiveStartKey);
      const from = ExclusiveStartKey ? items.findIndex((i) => i.pk === ExclusiveStartKey.pk) + 1 : 0;
      const page = items.slice(from, from + Limit);
      const last = page.at(-1);
      return {
        Items: page,
        ...(from + Limit < items.length && last
          ? { LastEvaluatedKey: { pk: last.pk, sk: last.sk, gsi1pk: last.gsi1pk, gsi1sk: last.gsi1sk } }
          : {}),
      };
    },
  } as unknown as DynamoDBDocumentClient;
  return { store: new CaseStore(db, "t"), starts };
}

async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return { code: err.code, fields: err.fields };
    throw err;
  }
  return undefined;
}

describe("the inbox cursor", () => {
  it("continues the inbox it came from where the page ended, and is absent after the last page", async () => {
    const { store, starts } = inboxTable("rar-fyn", 3);
    const first = await store.listInbox("rar-fyn", { limit: 2 });
    expect(first.items.map((c) => c.reference)).toEqual(["IND-AAAA-0003", "IND-AAAA-0002"]);
    expect(typeof first.next).toBe("string");
    const second = await store.listInbox("rar-fyn", {
      limit: 2,
      ...(first.next ? { cursor: first.next } : {}),
    });
    expect(second.items.map((c) => c.reference)).toEqual(["IND-AAAA-0001"]);
    expect(second.next).toBeUndefined();
    expect(starts.at(-1)).toMatchObject({ pk: "CASE#IND-AAAA-0002", gsi1pk: "CONSORTIUM#rar-fyn" });
  });

  it("refuses a cursor of another inbox, or no cursor at all, before reading anything: 400 cursor", async () => {
    const fyn = inboxTable("rar-fyn", 3);
    const { next } = await fyn.store.listInbox("rar-fyn", { limit: 1 });
    expect(next).toBeDefined();
    const bornholm = inboxTable("rar-bornholm", 3);
    const expected = {
      code: "validation_failed",
      fields: [{ path: "cursor", message: "is not a cursor of this inbox" }],
    };
    expect(
      await refusal(bornholm.store.listInbox("rar-bornholm", { limit: 1, cursor: String(next) })),
    ).toEqual(expected);
    expect(
      await refusal(bornholm.store.listInbox("rar-bornholm", { limit: 1, cursor: "not-a-cursor" })),
    ).toEqual(expected);
    expect(bornholm.starts).toHaveLength(0);
  });
});
