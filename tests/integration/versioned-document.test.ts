import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditItem } from "#shared/admin/audit.ts";
import {
  readDocument,
  replaceDocument,
  type VersionedDocument,
} from "#shared/documents/versioned-document.ts";
import { AppError } from "#shared/errors.ts";
import type { Principal } from "#shared/principal.ts";
import { startTestService } from "#tests/support/local.ts";

/**
 * Versioned documents on DynamoDB Local: its conditions and transactions are the real ones, so a
 * stale version is refused there, and a refused change leaves no audit entry behind.
 */
let svc: Awaited<ReturnType<typeof startTestService>>;
beforeAll(async () => {
  svc = await startTestService();
});
afterAll(async () => {
  await svc?.stop();
});

const admin: Principal = { sub: "u-admin", name: "Ada Admin", role: "admin" };

const NOTE: VersionedDocument<{ version: number; text: string }> = {
  key: { pk: "TEST-NOTE", sk: "ACTIVE" },
  initialVersion: 0,
  absent: () => ({ version: 0, text: "default" }),
  parse: (item) => ({ version: Number(item.version), text: String(item.text) }),
  conflict: "Someone changed the note at the same time",
};

const read = () => readDocument(svc.ctx.db, svc.ctx.config.tableName, NOTE, { fresh: true });

async function stored(key: { pk: unknown; sk: unknown }) {
  const { Item } = await svc.ctx.db.send(
    new GetCommand({
      TableName: svc.ctx.config.tableName,
      Key: { pk: key.pk, sk: key.sk },
      ConsistentRead: true,
    }),
  );
  return Item;
}

function replace(expected: number, text: string, at: string, create: Record<string, unknown>[] = []) {
  const audit = auditItem(admin, "note.put", "note", at, { after: text });
  const done = replaceDocument(svc.ctx.db, svc.ctx.config.tableName, NOTE, {
    expected,
    attributes: { text },
    audit,
    create,
  });
  return { audit, done };
}

async function conflictOf(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return `${err.code}: ${err.message}`;
    throw err;
  }
  return undefined;
}

describe("a versioned document on DynamoDB", () => {
  it("replaces the version it was read at, with its audit entry; a stale version is a 409 that writes nothing", async () => {
    expect(await read()).toEqual({ version: 0, text: "default" });

    const first = replace(0, "one", "2026-11-27T09:00:00.000Z");
    expect(await first.done).toBe(1);
    expect(await read()).toEqual({ version: 1, text: "one" });
    expect(await stored(first.audit)).toMatchObject({ action: "note.put", target: "note", after: "one" });

    // Someone else read version 0 too and saves after the first writer.
    const stale = replace(0, "stale", "2026-11-27T09:00:01.000Z");
    expect(await conflictOf(stale.done)).toBe("conflict: Someone changed the note at the same time");
    expect(await read()).toEqual({ version: 1, text: "one" });
    expect(await stored(stale.audit)).toBeUndefined();

    const second = replace(1, "two", "2026-11-27T09:00:02.000Z");
    expect(await second.done).toBe(2);
    expect(await read()).toEqual({ version: 2, text: "two" });
  });

  it("writes nothing when an item it must create exists already, not even the document", async () => {
    const existing = { pk: "TEST-NOTE", sk: "V#3" };
    expect(await replace(2, "three", "2026-11-27T09:00:03.000Z", [{ ...existing, text: "three" }]).done).toBe(
      3,
    );
    const again = replace(3, "four", "2026-11-27T09:00:04.000Z", [{ ...existing, text: "four" }]);
    expect(await conflictOf(again.done)).toBe("conflict: Someone changed the note at the same time");
    expect(await read()).toEqual({ version: 3, text: "three" });
    expect(await stored(existing)).toMatchObject({ text: "three" });
    expect(await stored(again.audit)).toBeUndefined();
  });
});
