import { GetQueueAttributesCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEntry } from "#shared/admin/audit.ts";
import type { DeadLetter, DeadLetterList, RedriveResult } from "#shared/admin/dead-letters-admin.ts";
import { parseIntake } from "#shared/intake/request-schema.ts";
import type { Principal } from "#shared/principal.ts";
import { dlqName, INTAKE_QUEUE } from "#shared/resources.ts";
import { aPayload, startTestService, waitFor } from "#tests/support/local.ts";

let svc: Awaited<ReturnType<typeof startTestService>>;

beforeAll(async () => {
  // Visibility 1 s: a failing message is received 5 times and reaches its DLQ in about 6 s.
  svc = await startTestService({ visibilityTimeoutSeconds: 1 });
});
afterAll(async () => {
  await svc?.stop();
});

const admin: Principal = { sub: "u-admin-dl", name: "Dorte Admin", role: "admin" };
const consultant: Principal = {
  sub: "u-fyn",
  name: "Konsulent",
  role: "consultant",
  consortiumId: "rar-fyn",
};

async function api(p: Principal | null, method: string, path: string, body?: string) {
  const token = p ? await svc.issueToken(p) : undefined;
  const res = await fetch(`${svc.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : {} };
}

const list = async () => {
  const r = await api(admin, "GET", "/api/admin/dead-letters");
  expect(r.status).toBe(200);
  return r.body as DeadLetterList;
};

/** A form post from the admin page: session cookie, same origin (the staff app's CSRF check). */
async function formPost(path: string, form: URLSearchParams, origin = svc.url) {
  const token = await svc.issueToken(admin);
  return fetch(`${svc.url}${path}`, {
    method: "POST",
    body: form,
    redirect: "manual",
    headers: { cookie: `indgang_session=${token}`, origin, accept: "text/html" },
  });
}

const FOREIGN_BODY = '{"not":"a case message"}';
const REFERENCE = "IND-DEAD-0001";
const casePayload = parseIntake(aPayload());

/** A stored case whose payload lost its request: triage then really throws (a TypeError). */
async function storeBrokenCase() {
  const now = new Date().toISOString();
  await svc.ctx.cases.create(
    {
      reference: REFERENCE,
      status: "received",
      receivedAt: now,
      updatedAt: now,
      payload: casePayload,
      tokenHash: "x",
      needs: [],
      primaryNeed: null,
      pending: true,
      timeline: [{ at: now, event: "received", actor: "company" }],
    },
    "token",
    [],
  );
  await svc.ctx.db.send(
    new UpdateCommand({
      TableName: svc.ctx.config.tableName,
      Key: { pk: `CASE#${REFERENCE}`, sk: "CASE" },
      UpdateExpression: "REMOVE payload.#request",
      ExpressionAttributeNames: { "#request": "request" },
    }),
  );
}

async function repairCase() {
  await svc.ctx.db.send(
    new UpdateCommand({
      TableName: svc.ctx.config.tableName,
      Key: { pk: `CASE#${REFERENCE}`, sk: "CASE" },
      UpdateExpression: "SET payload.#request = :request",
      ExpressionAttributeNames: { "#request": "request" },
      ExpressionAttributeValues: { ":request": casePayload.request },
    }),
  );
}

async function intakeDlqCounts() {
  const intake = svc.ctx.queues.url(INTAKE_QUEUE);
  const dlq = intake.replace(/[^/]+$/, dlqName(svc.ctx.config.RESOURCE_PREFIX, INTAKE_QUEUE));
  const { Attributes = {} } = await svc.ctx.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: dlq,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages),
    hidden: Number(Attributes.ApproximateNumberOfMessagesNotVisible),
  };
}

describe("who may see and redrive dead letters", () => {
  it("anonymous: 401; consultants: 403; on the API and the page", async () => {
    for (const [method, path] of [
      ["GET", "/api/admin/dead-letters"],
      ["POST", "/api/admin/dead-letters/redrive"],
      ["GET", "/admin/dead-letters"],
      ["POST", "/admin/dead-letters/redrive"],
    ] as const) {
      const body = method === "POST" && path.startsWith("/api") ? "{}" : undefined;
      expect((await api(null, method, path, body)).status, `${method} ${path}`).toBe(401);
      expect((await api(consultant, method, path, body)).status, `${method} ${path}`).toBe(403);
    }
    expect(
      (await svc.ctx.audit.list(svc.ctx.now())).filter((e) => e.action === "dead-letters.redrive"),
    ).toEqual([]);
  });

  it("a bad redrive body is a 400 and redrives nothing", async () => {
    for (const body of [
      '{"messageIds":"abc"}',
      '{"messageIds":[]}',
      '{"messageIds":[""]}',
      '{"x":1}',
      "{nope",
      "",
    ]) {
      const r = await api(admin, "POST", "/api/admin/dead-letters/redrive", body);
      expect(r.status, body).toBe(400);
      expect((r.body as { error: { code: string } }).error.code).toBe("validation_failed");
    }
    expect(
      (await svc.ctx.audit.list(svc.ctx.now())).filter((e) => e.action === "dead-letters.redrive"),
    ).toEqual([]);
  });

  it("recording an error never creates a case", async () => {
    const at = new Date().toISOString();
    expect(await svc.ctx.cases.recordError("IND-NONE-0000", { at, message: "x", queue: "q" })).toBe(false);
    expect(await svc.ctx.cases.get("IND-NONE-0000")).toBeUndefined();
  });
});

describe("dead letters end to end", () => {
  let poisoned: DeadLetter;
  let foreign: DeadLetter;

  it("a failing case and a foreign message reach the intake DLQ and are listed with case and last error", async () => {
    expect((await list()).items).toEqual([]);
    await storeBrokenCase();
    await svc.ctx.queues.toIntake(REFERENCE);
    await svc.ctx.sqs.send(
      new SendMessageCommand({ QueueUrl: svc.ctx.queues.url(INTAKE_QUEUE), MessageBody: FOREIGN_BODY }),
    );
    const found = await waitFor(
      async () => {
        const l = await list();
        return l.items.length === 2 ? l : undefined;
      },
      25_000,
      "both messages in the DLQ",
    );
    expect(found.queues.find((q) => q.queue === "intake")).toEqual({
      queue: "intake",
      count: 2,
      truncated: false,
    });
    expect(found.queues.map((q) => q.queue)).toEqual(
      expect.arrayContaining(["intake", "manual-triage", "consortium-rar-fyn"]),
    );
    const [a, b] = [
      found.items.find((i) => i.reference === REFERENCE),
      found.items.find((i) => i.reference === null),
    ];
    if (!a || !b) throw new Error("missing dead letters");
    [poisoned, foreign] = [a, b];

    expect(poisoned).toMatchObject({
      queue: "intake",
      body: JSON.stringify({ reference: REFERENCE }),
      case: { status: "received", consortiumId: null },
      lastError: { queue: "intake" },
      note: null,
    });
    expect(poisoned.lastError?.message).toMatch(/TypeError/);
    expect(poisoned.receiveCount).toBeGreaterThanOrEqual(5);
    expect(Date.parse(poisoned.firstSentAt ?? "")).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(poisoned.lastError?.at ?? "")).toBeGreaterThanOrEqual(
      Date.parse(poisoned.firstSentAt ?? ""),
    );

    expect(foreign).toMatchObject({
      queue: "intake",
      body: FOREIGN_BODY,
      reference: null,
      case: null,
      lastError: null,
      note: "message is not a case message",
    });
  });

  it("listing has no lasting effect: a second listing shows the same, nothing stays hidden", async () => {
    expect(await intakeDlqCounts()).toEqual({ visible: 2, hidden: 0 });
    const again = await list();
    expect(again.items.map((i) => i.messageId).sort()).toEqual(
      [poisoned.messageId, foreign.messageId].sort(),
    );
    expect(await intakeDlqCounts()).toEqual({ visible: 2, hidden: 0 });
    // The case itself is untouched by the failures and the listings, apart from its lastError.
    expect((await svc.ctx.cases.get(REFERENCE))?.status).toBe("received");
  });

  it("the page lists them in Danish (and English), with a checkbox each and both buttons", async () => {
    const token = await svc.issueToken(admin);
    const page = async (lang: string) => {
      const res = await fetch(`${svc.url}/admin/dead-letters?lang=${lang}`, {
        headers: { authorization: `Bearer ${token}`, accept: "text/html" },
      });
      expect(res.status).toBe(200);
      return res.text();
    };
    const da = await page("da");
    expect(da).toContain('<html lang="da"');
    expect(da).toContain("Fejlede beskeder");
    expect(da).toContain(REFERENCE);
    expect(da).toContain("Beskeden er ikke en sagsbesked");
    expect(da).toContain(`name="messageId" value="${poisoned.messageId}"`);
    expect(da).toContain(`name="messageId" value="${foreign.messageId}"`);
    expect(da).toContain('action="/admin/dead-letters/redrive"');
    expect(da).toContain("Send valgte igen");
    expect(da).toContain('name="all" value="true"');
    expect(da).toContain("TypeError");
    const en = await page("en");
    expect(en).toContain("Dead letters");
    expect(en).toContain("Redrive chosen");
    expect(en).toContain("Redrive all");
  });

  it("after fixing the cause, redriving the chosen message delivers the case; the audit log has it", async () => {
    await repairCase();
    const r = await api(
      admin,
      "POST",
      "/api/admin/dead-letters/redrive",
      JSON.stringify({ messageIds: [poisoned.messageId, "no-such-message"] }),
    );
    expect(r.status).toBe(200);
    expect(r.body as RedriveResult).toEqual({
      redriven: [{ messageId: poisoned.messageId, queue: "intake", reference: REFERENCE }],
      notFound: ["no-such-message"],
      failed: [],
    });
    const delivered = await waitFor(
      async () => {
        const c = await svc.ctx.cases.get(REFERENCE);
        return c?.status === "delivered" ? c : undefined;
      },
      15_000,
      "the redriven case delivered",
    );
    expect(delivered.pending).toBe(false);
    const left = await list();
    expect(left.items.map((i) => i.messageId)).toEqual([foreign.messageId]);

    const audit = await api(admin, "GET", "/api/admin/audit");
    const entry = ((audit.body as { items: AuditEntry[] }).items ?? []).find(
      (e) => e.action === "dead-letters.redrive",
    );
    expect(entry).toMatchObject({
      actor: { sub: admin.sub, name: admin.name },
      action: "dead-letters.redrive",
      target: "chosen",
      before: { requested: [poisoned.messageId, "no-such-message"] },
      after: { redriven: [{ messageId: poisoned.messageId, queue: "intake", reference: REFERENCE }] },
    });
    expect(Date.now() - Date.parse(entry?.at ?? "")).toBeLessThan(60_000);
  });

  it("the page's form: nothing chosen is a 400, a cross-site post is refused, 'redrive all' empties the DLQ", async () => {
    const none = await formPost("/admin/dead-letters/redrive", new URLSearchParams());
    expect(none.status).toBe(400);
    expect(await none.text()).toContain("Vælg mindst én besked");

    const forged = await formPost(
      "/admin/dead-letters/redrive",
      new URLSearchParams({ all: "true" }),
      "https://evil.example",
    );
    expect(forged.status).toBe(403);
    expect((await list()).items).toHaveLength(1);

    const all = await formPost(
      "/admin/dead-letters/redrive",
      new URLSearchParams([
        ["messageId", foreign.messageId],
        ["all", "true"],
      ]),
    );
    expect(all.status).toBe(303);
    expect(all.headers.get("location")).toBe("/admin/dead-letters?redriven=1&notFound=0&failed=0");
    expect(await intakeDlqCounts()).toEqual({ visible: 0, hidden: 0 });
    const entries = (await svc.ctx.audit.list(svc.ctx.now())).filter(
      (e) => e.action === "dead-letters.redrive",
    );
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ target: "all", actor: { sub: admin.sub } });

    // The foreign message went back to intake (not lost): still poison, it returns to the DLQ.
    await waitFor(
      async () => ((await list()).items.some((i) => i.body === FOREIGN_BODY) ? true : undefined),
      20_000,
      "the poison message back in its DLQ",
    );
  });
});
