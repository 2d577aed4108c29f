import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { conflict } from "#shared/errors.ts";

/**
 * A versioned document: one item — the active rule set, the consortium map, the campaigns — whose
 * `version` grows by one with every change. Administrators read it fresh and replace it only if it
 * is still the version they read, writing the change's audit entry in the same transaction; the
 * workers read it through a cache. Both read it with `readDocument` and the document's own `parse`.
 */
export interface VersionedDocument<T extends { version: number }> {
  readonly key: { readonly pk: string; readonly sk: string };
  /** The version while no item is stored: 0, or 1 for the shipped default rule set. */
  readonly initialVersion: number;
  /** What is in force while no item is stored, at `initialVersion`. */
  absent(): T;
  /** The stored item, validated. */
  parse(item: Record<string, unknown>): T;
  /** The 409's message when someone changed the document between a read and a replacement. */
  readonly conflict: string;
}

/**
 * The document as stored now: strongly consistent when `fresh` (an administrator about to change
 * it), else eventually consistent (a cached worker). `known` is an earlier read, returned as it is
 * while the stored item is still at its version: a version, once written, never changes, so a
 * cached reader validates each version once instead of on every read.
 */
export async function readDocument<T extends { version: number }>(
  db: DynamoDBDocumentClient,
  tableName: string,
  doc: VersionedDocument<T>,
  opts: { fresh: boolean; known?: T | undefined },
): Promise<T> {
  const { Item } = await db.send(
    new GetCommand({ TableName: tableName, Key: doc.key, ConsistentRead: opts.fresh }),
  );
  if (!Item) return doc.absent();
  if (opts.known && Item.version !== undefined && Number(Item.version) === opts.known.version)
    return opts.known;
  return doc.parse(Item);
}

/**
 * Replaces the document if it is still at version `expected`, as `expected + 1` with `attributes`,
 * and writes `audit` (an audit log item), `create` (items that must not exist yet, such as a
 * published rule set's own version) and `overwrite` (items replaced only while one attribute is
 * still as it was read, such as the draft being published, which becomes a tombstone) in the same
 * transaction: all of it or none. When someone changed any of them meanwhile, nothing is written
 * and the answer is 409 `doc.conflict`.
 * Returns the new version.
 */
export async function replaceDocument<T extends { version: number }>(
  db: DynamoDBDocumentClient,
  tableName: string,
  doc: VersionedDocument<T>,
  change: {
    expected: number;
    attributes: Record<string, unknown>;
    audit: Record<string, unknown>;
    create?: readonly Record<string, unknown>[];
    overwrite?: readonly { item: Record<string, unknown>; unless: { name: string; changedFrom: unknown } }[];
  },
): Promise<number> {
  const version = change.expected + 1;
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName,
              Item: { ...doc.key, ...change.attributes, version },
              // Exactly one writer wins: the stored version must still be the one the change was made on.
              ConditionExpression:
                change.expected === doc.initialVersion
                  ? "attribute_not_exists(pk) OR version = :expected"
                  : "version = :expected",
              ExpressionAttributeValues: { ":expected": change.expected },
            },
          },
          ...(change.create ?? []).map((item) => ({
            Put: { TableName: tableName, Item: item, ConditionExpression: "attribute_not_exists(pk)" },
          })),
          ...(change.overwrite ?? []).map((o) => ({
            Put: {
              TableName: tableName,
              Item: o.item,
              ConditionExpression: "#read = :read",
              ExpressionAttributeNames: { "#read": o.unless.name },
              ExpressionAttributeValues: { ":read": o.unless.changedFrom },
            },
          })),
          { Put: { TableName: tableName, Item: change.audit } },
        ],
      }),
    );
  } catch (err) {
    if (err instanceof TransactionCanceledException) throw conflict(doc.conflict);
    throw err;
  }
  return version;
}

/** Writes an unversioned item (the rule set's draft) and its audit entry together. */
export async function putWithAudit(
  db: DynamoDBDocumentClient,
  tableName: string,
  item: Record<string, unknown>,
  audit: Record<string, unknown>,
): Promise<void> {
  await db.send(
    new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: tableName, Item: item } },
        { Put: { TableName: tableName, Item: audit } },
      ],
    }),
  );
}
