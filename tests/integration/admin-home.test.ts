import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "#shared/principal.ts";
import { dlqName, INTAKE_QUEUE } from "#shared/resources.ts";
import { defaultRuleSet } from "#shared/rules/default.ts";
import { callApi, startTestService, storeConsortia, submitAndDeliver } from "#tests/support/local.ts";

let svc: Awaited<ReturnType<typeof startTestService>>;
beforeAll(async () => {
  svc = await startTestService({ env: { RULES_CACHE_SECONDS: "0" } });
});
afterAll(async () => {
  await svc?.stop();
});

const admin: Principal = { sub: "u-admin", name: "Ada Admin", role: "admin" };
const fyn: Principal = { sub: "u-fyn", name: "Finn", role: "consultant", consortiumId: "rar-fyn" };

/** A page as a browser asks for it: signed in as `who` (or nobody). */
async function page(who: Principal | null, path: string) {
  const headers: Record<string, string> = { accept: "text/html" };
  if (who) headers.cookie = `indgang_session=${await svc.issueToken(who)}`;
  const res = await fetch(`${svc.url}${path}`, { headers });
  return { status: res.status, html: await res.text() };
}

describe("every page is HTML5", () => {
  it("a public page, an inbox page, an admin page and a 404 start with the doctype", async () => {
    for (const [who, path, status] of [
      [null, "/", 200],
      [null, "/api/docs", 200],
      [fyn, "/inbox", 200],
      [admin, "/admin/rules", 200],
      [admin, "/inbox/IND-NONE-XXXX", 404],
    ] as const) {
      const r = await page(who, path);
      expect(r.status, path).toBe(status);
      expect(r.html.startsWith("<!DOCTYPE html><html lang="), path).toBe(true);
    }
  });
});

describe("the admin home", () => {
  it("shows the state at a glance: rules, draft, dead letters, campaigns, the regional queue", async () => {
    const empty = await callApi(svc, admin, "GET", "/api/admin/overview");
    expect(empty.status).toBe(200);
    expect(empty.body.rules).toMatchObject({ active: { version: 1 }, draft: null });
    expect(empty.body.deadLetters.total).toBe(0);
    expect(empty.body.deadLetters.queues.map((q: { queue: string }) => q.queue)).toContain("intake");
    expect(empty.body.campaignsRunning).toEqual([]);
    expect(empty.body.manualQueue.open).toBe(0);

    // A request from outside the map goes to the regional queue (one in a consortium's area goes to
    // that consortium, need or not): Hjørring (860) is left out while it is sent, then put back.
    await storeConsortia(svc, (c) => ({ ...c, municipalities: c.municipalities.filter((m) => m !== "860") }));
    await submitAndDeliver(svc, "860", "Vi vil gerne have besøg om vores pizzabagere til sommer.");
    await storeConsortia(svc, (c) => c);
    // A message waits in a DLQ; a draft.
    const intake = svc.ctx.queues.url(INTAKE_QUEUE);
    const dlq = intake.replace(/[^/]+$/, dlqName(svc.ctx.config.RESOURCE_PREFIX, INTAKE_QUEUE));
    await svc.ctx.sqs.send(new SendMessageCommand({ QueueUrl: dlq, MessageBody: '{"reference":"IND-X"}' }));
    expect((await callApi(svc, admin, "PUT", "/api/admin/rules/draft", defaultRuleSet())).status).toBe(200);
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const campaign = {
      id: "harvest",
      name: "Høst 2026",
      team: "Sæsonteamet",
      consortiumId: "rar-fyn",
      from,
      to,
      when: { type: "text", anyOf: ["høst"] },
    };
    const put = await callApi(svc, admin, "PUT", "/api/admin/campaigns/harvest", campaign);
    expect(put.status, JSON.stringify(put.body)).toBeLessThan(300);

    const o = (await callApi(svc, admin, "GET", "/api/admin/overview")).body;
    expect(o.rules.draft).toMatchObject({ basedOn: 1, stale: false, updatedBy: "Ada Admin" });
    expect(o.deadLetters.total).toBe(1);
    expect(o.deadLetters.queues.find((q: { queue: string }) => q.queue === "intake").count).toBe(1);
    expect(o.campaignsRunning.map((c: { id: string }) => c.id)).toEqual(["harvest"]);
    expect(o.manualQueue.open).toBe(1);

    const da = await page(admin, "/admin?lang=da");
    expect(da.status).toBe(200);
    expect(da.html).toContain("<h1>Overblik</h1>");
    expect(da.html).toContain('<dd id="home-manual-open">1</dd>');
    expect(da.html).toContain("Fejlede beskeder, der venter: 1");
    expect(da.html).toContain("Høst 2026");
    expect(da.html).toContain("startet fra den aktive version, gemt af Ada Admin");
    for (const href of [
      "/admin/rules",
      "/admin/consortia",
      "/admin/campaigns",
      "/admin/dead-letters",
      "/admin/stats",
      "/admin/audit",
    ])
      expect(da.html, href).toContain(`href="${href}"`);
    const en = await page(admin, "/admin?lang=en");
    expect(en.html).toContain("<h1>Overview</h1>");
    expect(en.html).toContain("Dead letters waiting: 1");

    // After a rollback the home says the draft cannot be published.
    await callApi(svc, admin, "PUT", "/api/admin/rules/draft", { ...defaultRuleSet(), name: "ny" });
    const pub = await callApi(svc, admin, "POST", "/api/admin/rules/publish", { expectedActiveVersion: 1 });
    expect(pub.status).toBe(201);
    await callApi(svc, admin, "PUT", "/api/admin/rules/draft", defaultRuleSet());
    expect((await callApi(svc, admin, "POST", "/api/admin/rules/rollback", { toVersion: 1 })).status).toBe(
      201,
    );
    expect((await page(admin, "/admin?lang=da")).html).toContain(
      "startet fra en ældre version og kan ikke udgives",
    );
  });

  it("is for administrators: the header links it for them only", async () => {
    expect((await page(fyn, "/admin")).status).toBe(403);
    expect((await callApi(svc, fyn, "GET", "/api/admin/overview")).status).toBe(403);
    expect((await page(admin, "/inbox")).html).toContain('<a href="/admin">Administration</a>');
    expect((await page(fyn, "/inbox")).html).not.toContain('href="/admin"');
  });
});
