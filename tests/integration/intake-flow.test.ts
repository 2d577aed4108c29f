import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PublicCaseView } from "#shared/cases/model.ts";
import { consortiumQueue, dlqName, INTAKE_QUEUE } from "#shared/resources.ts";
import { aPayload, samples, startTestService, waitFor } from "#tests/support/local.ts";

type Service = Awaited<ReturnType<typeof startTestService>>;
let svc: Service;

beforeAll(async () => {
  svc = await startTestService({ visibilityTimeoutSeconds: 1 });
});
afterAll(async () => {
  await svc?.stop();
});

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${svc.url}/api/requests`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

async function submit(payload: unknown, headers: Record<string, string> = {}) {
  const res = await post(payload, headers);
  expect(res.status).toBe(202);
  return (await res.json()) as { reference: string; statusUrl: string };
}

async function status(statusUrl: string): Promise<PublicCaseView> {
  const res = await fetch(statusUrl.replace("http://localhost", "http://127.0.0.1"), {
    headers: { accept: "application/json" },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as PublicCaseView;
}

const delivered = (statusUrl: string) =>
  waitFor(
    async () => {
      const s = await status(statusUrl);
      // In an inbox: a consortium's (delivered) or manual triage's (its timeline ends with delivery).
      return s.timeline.at(-1)?.event === "delivered" ? s : undefined;
    },
    20_000,
    "delivery",
  );

async function countCases(): Promise<number> {
  const { Count } = await svc.ctx.db.send(
    new ScanCommand({
      TableName: svc.ctx.config.tableName,
      FilterExpression: "begins_with(pk, :p)",
      ExpressionAttributeValues: { ":p": "CASE#" },
      Select: "COUNT",
    }),
  );
  return Count ?? 0;
}

/** Resolves when a queue has no visible or in-flight messages left. */
const drained = (queueUrl: string) =>
  waitFor(
    async () => {
      const { Attributes = {} } = await svc.ctx.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        }),
      );
      return Attributes.ApproximateNumberOfMessages === "0" &&
        Attributes.ApproximateNumberOfMessagesNotVisible === "0"
        ? true
        : undefined;
    },
    20_000,
    "queue drained",
  );

describe("a request from POST /api/requests to delivered", () => {
  it("routes every labelled sample to its consortium with its needs (golden cases, end to end)", async () => {
    const all = samples();
    const accepted = await Promise.all(all.map((s) => submit(s.payload)));
    for (const [i, s] of all.entries()) {
      const a = accepted[i];
      if (!a) throw new Error("missing answer");
      expect(a.reference).toMatch(/^IND-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      const view = await delivered(a.statusUrl);
      // Labelled before the tie-break: a tie there ("no primary need") now gets one of its needs.
      const tie = s.expect.primaryNeed === null && s.expect.needs.length > 1;
      const primary = view.primaryNeed;
      expect({
        id: s.id,
        needs: view.needs,
        primary: tie ? primary !== null && s.expect.needs.includes(primary) : primary,
        consortium: view.consortiumId,
      }).toEqual({
        id: s.id,
        needs: s.expect.needs,
        primary: tie ? true : s.expect.primaryNeed,
        consortium: s.expect.consortiumId,
      });
      expect(view.timeline.map((e) => e.event)).toEqual(["received", "routed", "delivered"]);
    }
  });

  it("stores the decision with its explanation: rule-set version, fired rules, matched words, route reason", async () => {
    const { reference, statusUrl } = await submit({
      ...aPayload(),
      request: { description: "Vi mangler 3 tømrere og vil gerne ansætte en lærling." },
    });
    await delivered(statusUrl);
    const c = await svc.ctx.cases.get(reference);
    expect(c?.decision?.ruleSetVersion).toBe(1);
    expect(c?.decision?.firedRules.length).toBeGreaterThan(0);
    expect(JSON.stringify(c?.decision?.firedRules)).toMatch(/ansætte|lærling/);
    expect(c?.decision?.route.reason).toContain("rar-hovedstaden");
    expect(c?.pending).toBe(false);
  });

  it("sends a request with no clear need to its local consortium, marked need unclear", async () => {
    const { reference, statusUrl } = await submit({
      ...aPayload(),
      request: { description: "Hej, vi vil gerne høre mere." },
    });
    const view = await delivered(statusUrl);
    expect(view.status).toBe("delivered");
    expect(view.needs).toEqual([]);
    expect(view.consortiumId).toBe("rar-hovedstaden");
    expect(view.timeline.map((e) => e.event)).toEqual(["received", "routed", "delivered"]);
    const c = await svc.ctx.cases.get(reference);
    expect(c?.decision?.route).toMatchObject({ needUnclear: true, basis: { kind: "needUnclear" } });
  });

  it("sends a layoff to its local consortium, tagged for its campaign work", async () => {
    const { reference, statusUrl } = await submit({
      ...aPayload(),
      request: { description: "Vi skal desværre varsle afskedigelse af 30 medarbejdere til sommer." },
    });
    const view = await delivered(statusUrl);
    expect(view.consortiumId).toBe("rar-hovedstaden");
    const c = await svc.ctx.cases.get(reference);
    expect(c?.campaignId).toBe("layoff");
    expect(c?.decision?.route).toMatchObject({ overrideId: "collective-redundancies", tag: "layoff" });
  });
});

describe("idempotency", () => {
  it("returns the same reference for the same Idempotency-Key and creates no second case", async () => {
    const payload = { ...aPayload(), request: { description: "Vi skal bruge 2 smede hurtigst muligt." } };
    const first = await submit(payload, { "idempotency-key": "k-1" });
    const before = await countCases();
    const again = await submit(payload, { "idempotency-key": "k-1" });
    expect(again).toEqual(first);
    expect(await countCases()).toBe(before);
  });

  it("treats an identical re-submission without a key as the same request", async () => {
    const payload = {
      ...aPayload(),
      request: { description: "Vi søger en ny bogholder til fast stilling." },
    };
    const first = await submit(payload);
    const again = await submit(structuredClone(payload));
    expect(again.reference).toBe(first.reference);
  });

  it("refuses a key reused for a different request (409) and stores nothing", async () => {
    await submit(
      { ...aPayload(), request: { description: "Vi mangler en elektriker til byggeriet." } },
      {
        "idempotency-key": "k-2",
      },
    );
    const before = await countCases();
    const res = await post(
      { ...aPayload(), request: { description: "Noget helt andet: eksport til Norge." } },
      {
        "idempotency-key": "k-2",
      },
    );
    expect(res.status).toBe(409);
    expect(await countCases()).toBe(before);
  });
});

describe("bad input changes nothing", () => {
  it("answers 400 with every field path and message", async () => {
    const before = await countCases();
    const p = aPayload();
    const res = await post({
      ...p,
      company: { ...p.company, cvr: "12345678", municipalityCode: "999" },
      contact: { ...p.contact, email: "nope" },
      request: { description: "kort" },
      consent: false,
      extra: 1,
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; fields: { path: string }[] } };
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.fields.map((f) => f.path).sort()).toEqual(
      [
        "company.cvr",
        "company.municipalityCode",
        "consent",
        "contact.email",
        "extra",
        "request.description",
      ].sort(),
    );
    expect(await countCases()).toBe(before);
  });

  it("answers 413 for a body over 64 KB, 415 for a wrong content type, 400 for broken JSON", async () => {
    const big = { ...aPayload(), request: { description: "x".repeat(70 * 1024) } };
    expect((await post(big)).status).toBe(413);
    const text = await fetch(`${svc.url}/api/requests`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify(aPayload()),
    });
    expect(text.status).toBe(415);
    expect((await post("{not json")).status).toBe(400);
  });
});

describe("status link", () => {
  it("shows nothing without the right token, and never another reference's data", async () => {
    const a = await submit({
      ...aPayload(),
      request: { description: "Vi vil gerne have et AMU-kursus i truck." },
    });
    const b = await submit({
      ...aPayload(),
      request: { description: "Vi leder efter investorer til vækst." },
    });
    const tokenA = new URL(a.statusUrl).searchParams.get("token") ?? "";
    const tokenB = new URL(b.statusUrl).searchParams.get("token") ?? "";
    const get = (ref: string, token: string) =>
      fetch(`${svc.url}/status/${ref}?token=${encodeURIComponent(token)}`, {
        headers: { accept: "application/json" },
      });
    expect((await get(a.reference, tokenA)).status).toBe(200);
    expect((await get(a.reference, tokenB)).status).toBe(404);
    expect((await get(a.reference, "")).status).toBe(404);
    expect((await get("IND-0000-0000", tokenA)).status).toBe(404);
    const page = await fetch(`${svc.url}/status/${a.reference}?token=${tokenA}`, {
      headers: { accept: "text/html" },
    });
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain(a.reference);
  });
});

describe("at-least-once delivery and lost messages", () => {
  it("ignores a duplicate intake message and a duplicate delivery message", async () => {
    const { reference, statusUrl } = await submit({
      ...aPayload(),
      request: { description: "Vi skal ansætte fem nye chauffører." },
    });
    const first = await delivered(statusUrl);
    const inbox = svc.ctx.queues.url(consortiumQueue("rar-hovedstaden"));
    const intake = svc.ctx.queues.url(INTAKE_QUEUE);
    await svc.ctx.queues.toIntake(reference);
    await svc.ctx.queues.toInbox(reference, "rar-hovedstaden");
    await svc.ctx.queues.toInbox(reference, "rar-hovedstaden");
    await Promise.all([drained(intake), drained(inbox)]);
    const after = await status(statusUrl);
    expect(after.timeline).toEqual(first.timeline);
    expect(after.status).toBe("delivered");
  });

  it("moves a poison message to the intake DLQ after maxReceiveCount", async () => {
    const intake = svc.ctx.queues.url(INTAKE_QUEUE);
    const dlq = intake.replace(/[^/]+$/, dlqName(svc.ctx.config.RESOURCE_PREFIX, INTAKE_QUEUE));
    await svc.ctx.sqs.send(
      new SendMessageCommand({ QueueUrl: intake, MessageBody: '{"not":"a case message"}' }),
    );
    const dead = await waitFor(
      async () => {
        const r = await svc.ctx.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq, WaitTimeSeconds: 1 }));
        return r.Messages?.[0];
      },
      30_000,
      "message in DLQ",
    );
    expect(dead.Body).toBe('{"not":"a case message"}');
  });

  it("the sweeper recovers a case whose intake message was lost (crash between write and send)", async () => {
    const reference = "IND-LOST-0001";
    const past = new Date(Date.now() - 120_000).toISOString();
    await svc.ctx.cases.create(
      {
        reference,
        status: "received",
        receivedAt: past,
        updatedAt: past,
        payload: { ...(await import("#shared/intake/request-schema.ts")).parseIntake(aPayload()) },
        tokenHash: "x",
        needs: [],
        primaryNeed: null,
        pending: true,
        timeline: [{ at: past, event: "received", actor: "company" }],
      },
      "token",
      [],
    );
    const { resent } = await (await import("#shared/workflow.ts")).sweep(svc.ctx, 60);
    expect(resent).toContain(reference);
    const c = await waitFor(
      async () => {
        const x = await svc.ctx.cases.get(reference);
        return x?.status === "delivered" ? x : undefined;
      },
      20_000,
      "recovered delivery",
    );
    expect(c.consortiumId).toBe("rar-hovedstaden");
    expect(c.pending).toBe(false);
  });
});

describe("the web form", () => {
  it("submits without JavaScript, redirects to the confirmation with reference and status link", async () => {
    const p = aPayload();
    const form = new URLSearchParams({
      "company.cvr": p.company.cvr,
      "company.name": p.company.name,
      "company.municipalityCode": "461",
      "company.employees": "12",
      "contact.name": "Mette Jensen",
      "contact.email": "mette@firma.example.dk",
      "contact.language": "da",
      "request.description": "Vi vil gerne eksportere vores produkter til Tyskland.",
      consent: "true",
      website: "",
    });
    const res = await fetch(`${svc.url}/?lang=da`, {
      method: "POST",
      body: form,
      redirect: "manual",
      headers: { origin: svc.url },
    });
    expect(res.status).toBe(303);
    const location = res.headers.get("location") ?? "";
    expect(location).toMatch(/^\/status\/IND-[0-9A-Z]{4}-[0-9A-Z]{4}\?token=.+&submitted=1/);
    const page = await fetch(svc.url + location, { headers: { accept: "text/html" } });
    const html = await page.text();
    expect(html).toContain("Tak – vi har modtaget jeres henvendelse");
    const reference = location.split("/")[2]?.split("?")[0] ?? "";
    expect(html).toContain(reference);
    const c = await waitFor(async () => {
      const x = await svc.ctx.cases.get(reference);
      return x?.status === "delivered" ? x : undefined;
    });
    expect(c.consortiumId).toBe("rar-fyn");
    expect(c.needs).toContain("growth");
  });
});
