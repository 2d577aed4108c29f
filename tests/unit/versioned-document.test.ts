import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import {
  putWithAudit,
  readDocument,
  replaceDocument,
  type VersionedDocument,
} from "#shared/documents/versioned-document.ts";
import { AppError } from "#shared/errors.ts";

interface Note {
  version: number;
  text: string;
}

let parsed = 0;
const NOTE: VersionedDocument<Note> = {
  key: { pk: "NOTE", sk: "ACTIVE" },
  initialVersion: 0,
  absent: () => ({ version: 0, text: "default" }),
  parse: (item) => {
    parsed++;
    return { version: Number(item.version), text: String(item.text) };
  },
  conflict: "Someone changed the note at the same time",
};

/** A client that answers every call with `answer` and keeps what it was sent. */
function client(answer: (input: unknown) => unknown) {
  const sent: unknown[] = [];
  const db = {
    send: async (cmd: GetCommand | TransactWriteCommand) => {
      sent.push(cmd.input);
      return answer(cmd.input);
    },
  } as unknown as DynamoDBDocumentClient;
  return { db, sent };
}

async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return { code: err.code, message: err.message };
    throw err;
  }
  return undefined;
}

const AUDIT = { pk: "AUDIT#2026-11", sk: "2026-11-27T09:00:00.000Z#a", action: "note.put" };

describe("reading a versioned document", () => {
  it("is the document's default while nothing is stored", async () => {
    const { db } = client(() => ({}));
    expect(await readDocument(db, "t", NOTE, { fresh: true })).toEqual({ version: 0, text: "default" });
  });

  it("reads strongly consistent when fresh (an administrator), eventually consistent for a cache", async () => {
    const { db, sent } = client(() => ({ Item: { ...NOTE.key, version: 3, text: "three" } }));
    expect(await readDocument(db, "t", NOTE, { fresh: true })).toEqual({ version: 3, text: "three" });
    await readDocument(db, "t", NOTE, { fresh: false });
    expect(sent).toEqual([
      { TableName: "t", Key: NOTE.key, ConsistentRead: true },
      { TableName: "t", Key: NOTE.key, ConsistentRead: false },
    ]);
  });

  it("returns a known read as it is while its version is stored, and parses a new version", async () => {
    let stored = { ...NOTE.key, version: 3, text: "three" };
    const { db } = client(() => ({ Item: stored }));
    const known = { version: 3, text: "three" };
    parsed = 0;
    expect(await readDocument(db, "t", NOTE, { fresh: false, known })).toBe(known);
    expect(parsed).toBe(0);
    stored = { ...NOTE.key, version: 4, text: "four" };
    expect(await readDocument(db, "t", NOTE, { fresh: false, known })).toEqual({ version: 4, text: "four" });
    expect(parsed).toBe(1);
  });
});

describe("replacing a versioned document", () => {
  it("writes the next version if the stored one is still the expected, with the audit item, in one transaction", async () => {
    const { db, sent } = client(() => ({}));
    const version = await replaceDocument(db, "t", NOTE, {
      expected: 3,
      attributes: { text: "four" },
      audit: AUDIT,
      create: [{ pk: "NOTE", sk: "V#4", text: "four" }],
    });
    expect(version).toBe(4);
    expect(sent).toEqual([
      {
        TransactItems: [
          {
            Put: {
              TableName: "t",
              Item: { ...NOTE.key, text: "four", version: 4 },
              ConditionExpression: "version = :expected",
              ExpressionAttributeValues: { ":expected": 3 },
            },
          },
          {
            Put: {
              TableName: "t",
              Item: { pk: "NOTE", sk: "V#4", text: "four" },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
          { Put: { TableName: "t", Item: AUDIT } },
        ],
      },
    ]);
  });

  it("the first version may also find no item at all", async () => {
    const { db, sent } = client(() => ({}));
    expect(
      await replaceDocument(db, "t", NOTE, { expected: 0, attributes: { text: "one" }, audit: AUDIT }),
    ).toBe(1);
    expect(sent).toMatchObject([
      {
        TransactItems: [
          { Put: { ConditionExpression: "attribute_not_exists(pk) OR version = :expected" } },
          { Put: { Item: AUDIT } },
        ],
      },
    ]);
  });

  it("is a 409 with the document's message when the transaction is cancelled (a stale version)", async () => {
    const { db } = client(() => {
      throw new TransactionCanceledException({ message: "cancelled", $metadata: {} });
    });
    expect(
      await refusal(replaceDocument(db, "t", NOTE, { expected: 3, attributes: {}, audit: AUDIT })),
    ).toEqual({
      code: "conflict",
      message: "Someone changed the note at the same time",
    });
  });

  it("lets any other failure through as it is", async () => {
    const { db } = client(() => {
      throw new Error("ProvisionedThroughputExceededException");
    });
    await expect(
      replaceDocument(db, "t", NOTE, { expected: 3, attributes: {}, audit: AUDIT }),
    ).rejects.toThrow("ProvisionedThroughputExceededException");
  });
});

describe("an unversioned item with its audit", () => {
  it("writes both in one transaction", async () => {
    const { db, sent } = client(() => ({}));
    await putWithAudit(db, "t", { pk: "NOTE", sk: "DRAFT", text: "draft" }, AUDIT);
    expect(sent).toEqual([
      {
        TransactItems: [
          { Put: { TableName: "t", Item: { pk: "NOTE", sk: "DRAFT", text: "draft" } } },
          { Put: { TableName: "t", Item: AUDIT } },
        ],
      },
    ]);
  });
});
