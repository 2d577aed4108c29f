import { randomUUID } from "node:crypto";
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { Principal } from "#shared/principal.ts";

/**
 * The audit log: every administrator action (rules, consortia, campaigns, redrives) with actor, time
 * and before/after. Entries are written once and never changed; they are kept per month.
 */
export interface AuditEntry {
  id: string;
  at: string;
  actor: { sub: string; name: string };
  action: string;
  target: string;
  before?: unknown;
  after?: unknown;
}

const monthKey = (iso: string) => `AUDIT#${iso.slice(0, 7)}`;

/** The DynamoDB item of an entry, for writing it inside a transaction with the change it records. */
export function auditItem(
  p: Principal,
  action: string,
  target: string,
  at: string,
  change: { before?: unknown; after?: unknown } = {},
) {
  const entry: AuditEntry = {
    id: randomUUID(),
    at,
    actor: { sub: p.sub, name: p.name },
    action,
    target,
    ...change,
  };
  return { pk: monthKey(at), sk: `${at}#${entry.id}`, ...entry };
}

export class AuditLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(
    p: Principal,
    action: string,
    target: string,
    at: string,
    change: { before?: unknown; after?: unknown } = {},
  ) {
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: auditItem(p, action, target, at, change) }),
    );
  }

  /** Newest first, reading back month by month from `now` (at most `months` months). */
  async list(now: string, limit = 100, months = 12): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    const d = new Date(now);
    for (let i = 0; i < months && out.length < limit; i++) {
      const month = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - i, 1)).toISOString();
      const { Items = [] } = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": monthKey(month) },
          ScanIndexForward: false,
          Limit: limit - out.length,
        }),
      );
      for (const { pk: _pk, sk: _sk, ...e } of Items) out.push(e as AuditEntry);
    }
    return out;
  }
}
