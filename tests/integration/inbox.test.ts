import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CaseDetail, InboxItem } from "#shared/cases/casework.ts";
import { signature } from "#shared/notify.ts";
import type { Principal } from "#shared/principal.ts";
import {
  aPayload,
  callApi,
  submitAndDeliver as deliver,
  startTestService,
  storeConsortia,
  waitFor,
} from "#tests/support/local.ts";

const WEBHOOK_SECRET = "test-secret-0123456789abcdef";
let svc: Awaited<ReturnType<typeof startTestService>>;
let hook: Server;
const notices: { body: string; timestamp: string; signature: string }[] = [];

beforeAll(async () => {
  hook = createServer((req: IncomingMessage, res) => {
    let body = "";
    req.on("data", (d) => {
      body += d;
    });
    req.on("end", () => {
      notices.push({
        body,
        timestamp: String(req.headers["x-indgang-timestamp"]),
        signature: String(req.headers["x-indgang-signature"]),
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, "127.0.0.1", r));
  const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
  svc = await startTestService({ env: { WEBHOOK_SECRET, RULES_CACHE_SECONDS: "0" } });
  // Bornholm's inbox has a webhook configured. Hjørring (860) is left out of the map: its requests
  // reach the regional manual-triage queue (every request with a consortium goes to it, need or not).
  await storeConsortia(svc, (c) =>
    c.id === "rar-bornholm"
      ? { ...c, notify: { webhookUrl: hookUrl } }
      : { ...c, municipalities: c.municipalities.filter((m) => m !== "860") },
  );
});
afterAll(async () => {
  await svc?.stop();
  hook?.close();
});

const consultant = (consortiumId: string, name = "Konsulent"): Principal => ({
  sub: `u-${consortiumId}-${name}`,
  name,
  role: "consultant",
  consortiumId,
});
const admin: Principal = { sub: "u-admin", name: "Admin", role: "admin" };

const api = (p: Principal | string | null, method: string, path: string, body?: unknown) =>
  callApi(svc, p, method, path, body);

const submitAndDeliver = async (municipalityCode: string, description: string, cvr?: string) =>
  (await deliver(svc, municipalityCode, description, cvr)).reference;

describe("the life of a case", () => {
  it("deliver → claim → note → transfer → claim in the other consortium → close, all on the timeline", async () => {
    const ref = await submitAndDeliver(
      "461",
      "Vi vil gerne eksportere til Tyskland og søger finansiering til vækst.",
    );
    const fyn = consultant("rar-fyn", "Anna");
    const list = await api(fyn, "GET", "/api/inbox/cases");
    expect(list.status).toBe(200);
    const items = list.body.items as InboxItem[];
    expect(items.map((i) => i.id)).toContain(ref);

    const detail = await api(fyn, "GET", `/api/inbox/cases/${ref}`);
    const d = detail.body as unknown as CaseDetail;
    expect(d.decision?.route.reason).toContain("rar-fyn");
    expect(d.decision?.firedRules.length).toBeGreaterThan(0);
    expect(d.leads).toEqual([{ need: "growth", system: "businessHub", organisation: "Erhvervshus Fyn" }]);
    expect(d.followUps.map((f) => [f.need, f.done])).toEqual([["upskilling", false]]);

    expect((await api(fyn, "POST", `/api/inbox/cases/${ref}/claim`)).status).toBe(200);
    const noted = await api(fyn, "POST", `/api/inbox/cases/${ref}/notes`, {
      text: "Ringet op; eksport er Erhvervshusets sag.",
      system: "businessHub",
    });
    expect(noted.status).toBe(201);
    const moved = await api(fyn, "POST", `/api/inbox/cases/${ref}/transfer`, {
      consortiumId: "rar-sydjylland",
      reason: "Produktionen ligger i Vejle",
    });
    expect(moved.status).toBe(202);
    expect((await api(fyn, "GET", `/api/inbox/cases/${ref}`)).status).toBe(404);

    const syd = consultant("rar-sydjylland", "Bo");
    await waitFor(async () => ((await svc.ctx.cases.get(ref))?.status === "delivered" ? true : undefined));
    expect((await api(syd, "POST", `/api/inbox/cases/${ref}/claim`)).status).toBe(200);
    expect((await api(syd, "POST", `/api/inbox/cases/${ref}/status`, { status: "in_progress" })).status).toBe(
      200,
    );
    const noOutcome = await api(syd, "POST", `/api/inbox/cases/${ref}/status`, { status: "closed" });
    expect(noOutcome.status).toBe(400);
    expect(JSON.stringify(noOutcome.body)).toContain("outcome");
    const done = await api(
      syd,
      "POST",
      `/api/inbox/cases/${ref}/follow-ups/growth-competence-conversation/done`,
    );
    expect([200, 404]).toContain(done.status); // coupling id is the rule set's; checked precisely below
    const closed = await api(syd, "POST", `/api/inbox/cases/${ref}/status`, {
      status: "closed",
      outcome: "growth_programme",
    });
    expect(closed.status).toBe(200);
    const final = closed.body as unknown as CaseDetail;
    expect(final.status).toBe("closed");
    expect(final.outcome).toBe("growth_programme");
    expect(final.timeline.map((e) => [e.event, e.actorName ?? null])).toEqual([
      ["received", null],
      ["routed", null],
      ["delivered", null],
      ["claimed", "Anna"],
      ["note", "Anna"],
      ["transferred", "Anna"],
      ["delivered", null],
      ["claimed", "Bo"],
      ["in_progress", "Bo"],
      ...(done.status === 200 ? [["note", "Bo"]] : []),
      ["closed", "Bo"],
    ]);
    expect(final.timeline.find((e) => e.event === "transferred")?.detail).toBe("Produktionen ligger i Vejle");
    const stored = await svc.ctx.cases.get(ref);
    expect(stored?.closedAt).toBeDefined();
    // Retention: the closed case (and its personal data) expires RETENTION_DAYS after closing (TTL).
    const raw = await svc.ctx.db.send(
      new GetCommand({ TableName: svc.ctx.config.tableName, Key: { pk: `CASE#${ref}`, sk: "CASE" } }),
    );
    const days = svc.ctx.config.RETENTION_DAYS;
    expect(raw.Item?.expiresAt).toBe(Math.floor(Date.parse(stored?.closedAt ?? "") / 1000) + days * 86_400);
  });

  it("marks a coupled follow-up done once", async () => {
    const ref = await submitAndDeliver("461", "Vi søger investorer og vil gerne lave en vækststrategi.");
    const fyn = consultant("rar-fyn");
    const d = (await api(fyn, "GET", `/api/inbox/cases/${ref}`)).body as unknown as CaseDetail;
    const couplingId = d.followUps[0]?.couplingId ?? "";
    expect(couplingId).not.toBe("");
    const first = await api(fyn, "POST", `/api/inbox/cases/${ref}/follow-ups/${couplingId}/done`);
    expect((first.body as unknown as CaseDetail).followUps[0]?.done).toBe(true);
    expect((await api(fyn, "POST", `/api/inbox/cases/${ref}/follow-ups/${couplingId}/done`)).status).toBe(
      409,
    );
    expect((await api(fyn, "POST", `/api/inbox/cases/${ref}/follow-ups/nope/done`)).status).toBe(404);
  });
});

describe("a case's size", () => {
  it("refuses a note that would fill the case (one DynamoDB item, 400 KB), and the full case can still be closed", async () => {
    const ref = await submitAndDeliver("461", "Vi mangler en kok.");
    const fyn = consultant("rar-fyn", "Anna");
    expect((await api(fyn, "POST", `/api/inbox/cases/${ref}/claim`)).status).toBe(200);
    const long = "æ".repeat(5000); // the longest note, 10 KB in UTF-8
    let accepted = 0;
    let refused: Awaited<ReturnType<typeof api>> | undefined;
    while (!refused && accepted < 60) {
      const res = await api(fyn, "POST", `/api/inbox/cases/${ref}/notes`, { text: long });
      if (res.status === 201) accepted++;
      else refused = res;
    }
    expect(accepted).toBeGreaterThanOrEqual(25); // ~300 KB of notes went in
    expect(refused?.status).toBe(409);
    expect(JSON.stringify(refused?.body)).toContain("no room for more notes");
    const closed = await api(fyn, "POST", `/api/inbox/cases/${ref}/status`, {
      status: "closed",
      outcome: "no_action",
    });
    expect(closed.status).toBe(200);
    const final = closed.body as unknown as CaseDetail;
    expect(final.timeline.filter((e) => e.event === "note")).toHaveLength(accepted);
  });
});

describe("rules of access", () => {
  let ref: string;
  beforeAll(async () => {
    ref = await submitAndDeliver("751", "Vi mangler 4 elektrikere til nye projekter.");
  });

  it("anonymous: 401 on every inbox route", async () => {
    for (const [m, path] of [
      ["GET", "/api/inbox/cases"],
      ["GET", `/api/inbox/cases/${ref}`],
      ["POST", `/api/inbox/cases/${ref}/claim`],
      ["POST", `/api/inbox/cases/${ref}/notes`],
      ["POST", `/api/inbox/cases/${ref}/status`],
      ["POST", `/api/inbox/cases/${ref}/transfer`],
    ] as const) {
      expect((await api(null, m, path)).status, `${m} ${path}`).toBe(401);
    }
  });

  it("forged and expired tokens: 401", async () => {
    const good = await svc.issueToken(consultant("rar-oestjylland"));
    const [h, , s] = good.split(".");
    const forgedPayload = Buffer.from(
      JSON.stringify({ principal: admin, iss: "indgang-local", exp: Math.floor(Date.now() / 1000) + 600 }),
    ).toString("base64url");
    expect((await api(`${h}.${forgedPayload}.${s}`, "GET", "/api/inbox/cases")).status).toBe(401);
    const expired = await svc.issueToken(consultant("rar-oestjylland"), -10);
    expect((await api(expired, "GET", "/api/inbox/cases")).status).toBe(401);
    expect((await api(good, "GET", "/api/inbox/cases")).status).toBe(200);
  });

  it("a consultant of another consortium gets 404 for the case and every action, and cannot list that inbox", async () => {
    const other = consultant("rar-fyn");
    expect((await api(other, "GET", `/api/inbox/cases/${ref}`)).status).toBe(404);
    expect((await api(other, "POST", `/api/inbox/cases/${ref}/claim`)).status).toBe(404);
    expect((await api(other, "POST", `/api/inbox/cases/${ref}/notes`, { text: "x" })).status).toBe(404);
    expect(
      (
        await api(other, "POST", `/api/inbox/cases/${ref}/transfer`, {
          consortiumId: "rar-fyn",
          reason: "mine",
        })
      ).status,
    ).toBe(404);
    expect((await api(other, "GET", "/api/inbox/cases?consortiumId=rar-oestjylland")).status).toBe(404);
    const list = (await api(other, "GET", "/api/inbox/cases")).body.items as InboxItem[];
    expect(list.map((i) => i.id)).not.toContain(ref);
    expect((await svc.ctx.cases.get(ref))?.timeline.length).toBe(3); // nothing changed
  });

  it("an administrator sees every consortium's cases", async () => {
    expect((await api(admin, "GET", `/api/inbox/cases/${ref}`)).status).toBe(200);
    const list = (await api(admin, "GET", "/api/inbox/cases?consortiumId=rar-oestjylland")).body
      .items as InboxItem[];
    expect(list.map((i) => i.id)).toContain(ref);
  });

  it("the dev token route exists only locally and validates its input", async () => {
    const bad = await api(null, "POST", "/api/dev/token", { role: "consultant" });
    expect(bad.status).toBe(400);
    const ok = await api(null, "POST", "/api/dev/token", { role: "admin" });
    expect(typeof ok.body.token).toBe("string");
  });
});

describe("one owner at a time", () => {
  it("two consultants claiming at once: exactly one wins, the other gets 409; reassign takes over", async () => {
    const ref = await submitAndDeliver("751", "Vi skal ansætte tre nye lagermedarbejdere.");
    const a = consultant("rar-oestjylland", "A");
    const b = consultant("rar-oestjylland", "B");
    const results = await Promise.all([
      api(a, "POST", `/api/inbox/cases/${ref}/claim`),
      api(b, "POST", `/api/inbox/cases/${ref}/claim`),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const loser = results[0]?.status === 409 ? a : b;
    const winner = loser === a ? b : a;
    expect((await svc.ctx.cases.get(ref))?.assignee?.name).toBe(winner.name);
    expect(
      (await api(loser, "POST", `/api/inbox/cases/${ref}/status`, { status: "in_progress" })).status,
    ).toBe(409);
    const taken = await api(loser, "POST", `/api/inbox/cases/${ref}/claim`, { reassign: true });
    expect(taken.status).toBe(200);
    expect((await svc.ctx.cases.get(ref))?.assignee?.name).toBe(loser.name);
  });
});

describe("inbox listing", () => {
  it("pages newest first with a cursor, filters by status and need, and refuses a cursor of another inbox", async () => {
    const refs: string[] = [];
    for (let i = 0; i < 7; i++)
      refs.push(await submitAndDeliver("400", `Vi mangler ${i + 2} sæsonarbejdere til sommeren.`));
    const bo = consultant("rar-bornholm");
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
      const page = await api(bo, "GET", `/api/inbox/cases?limit=3${q}`);
      expect(page.status).toBe(200);
      seen.push(...(page.body.items as InboxItem[]).map((i) => i.id));
      cursor = page.body.nextCursor as string | null;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual([...refs].reverse());
    expect(pages).toBe(3);

    await api(bo, "POST", `/api/inbox/cases/${refs[0]}/claim`);
    const claimed = (await api(bo, "GET", "/api/inbox/cases?status=claimed")).body;
    expect((claimed.items as InboxItem[]).map((i) => i.id)).toEqual([refs[0]]);
    expect((claimed.counts as Record<string, number>).delivered).toBe(6);
    expect(((await api(bo, "GET", "/api/inbox/cases?need=growth")).body.items as InboxItem[]).length).toBe(0);

    const fynCursor = Buffer.from(
      JSON.stringify({ pk: "CASE#x", sk: "CASE", gsi1pk: "CONSORTIUM#rar-fyn", gsi1sk: "z" }),
    ).toString("base64url");
    expect((await api(bo, "GET", `/api/inbox/cases?cursor=${fynCursor}`)).status).toBe(400);
    expect((await api(bo, "GET", "/api/inbox/cases?status=nope")).status).toBe(400);
  });

  it("lists an inbox only for a consortium in the map: a token naming `manual` or an unknown consortium gets 403", async () => {
    for (const id of ["manual", "rar-nowhere"]) {
      const res = await api(consultant(id), "GET", "/api/inbox/cases");
      expect(res.status, id).toBe(403);
      expect(res.body).not.toHaveProperty("items");
      expect((await api(consultant(id), "GET", `/api/inbox/cases?consortiumId=${id}`)).status).toBe(403);
    }
    // The regional manual-triage inbox is the administrators' to work.
    expect((await api(admin, "GET", "/api/inbox/cases?consortiumId=manual")).status).toBe(200);
  });

  it("refuses a forged cursor of the right inbox but the wrong shape with 400 at `cursor`, never a failed query", async () => {
    const bo = consultant("rar-bornholm");
    const inbox = "CONSORTIUM#rar-bornholm";
    const forged: unknown[] = [
      { pk: "CASE#x", gsi1pk: inbox }, // no sort keys: DynamoDB refused it with a 500 before
      { pk: "CASE#IND-AAAA-AAAA", sk: "CASE", gsi1pk: inbox, gsi1sk: { S: "x" } },
      {
        pk: "CASE#IND-AAAA-AAAA",
        sk: "CASE",
        gsi1pk: inbox,
        gsi1sk: "2026-11-27T09:00:00.000Z#IND-AAAA-AAAA",
        x: 1,
      },
      {
        pk: "CASE#IND-AAAA-AAAA",
        sk: "CASE",
        gsi1pk: inbox,
        gsi1sk: "2026-11-27T09:00:00.000Z#IND-BBBB-BBBB",
      },
      { pk: 7, sk: "CASE", gsi1pk: inbox, gsi1sk: "2026-11-27T09:00:00.000Z#IND-AAAA-AAAA" },
      [inbox],
      "not json",
    ];
    for (const key of forged) {
      const cursor = Buffer.from(typeof key === "string" ? key : JSON.stringify(key)).toString("base64url");
      const res = await api(bo, "GET", `/api/inbox/cases?cursor=${cursor}`);
      expect(res.status, JSON.stringify(key)).toBe(400);
      expect(res.body.error).toMatchObject({ fields: [{ path: "cursor" }] });
    }
  });

  it("notifies the consortium's webhook once per delivery, signed", async () => {
    const before = notices.length;
    const ref = await submitAndDeliver("400", "Vi vil gerne have hjælp til at rekruttere en kok.");
    await waitFor(async () => (notices.length > before ? true : undefined));
    await svc.ctx.queues.toInbox(ref, "rar-bornholm"); // a duplicate delivery message
    await new Promise((r) => setTimeout(r, 1500));
    const mine = notices.filter((n) => n.body.includes(ref));
    expect(mine).toHaveLength(1);
    const n = mine[0];
    if (!n) throw new Error("no notice");
    expect(n.signature).toBe(signature(WEBHOOK_SECRET, n.timestamp, n.body));
    expect(JSON.parse(n.body)).toMatchObject({
      event: "case.delivered",
      reference: ref,
      consortiumId: "rar-bornholm",
    });
    expect(n.body).not.toContain("@"); // no contact details in the notice
  });
});

describe("company history and the web UI", () => {
  it("shows the company's other cases (any consortium) without their notes, and escapes user text", async () => {
    const cvr = "11742238";
    const first = await submitAndDeliver("461", "Vi mangler <script>alert('x')</script> tre kokke.", cvr);
    const fyn = consultant("rar-fyn");
    await api(fyn, "POST", `/api/inbox/cases/${first}/notes`, { text: "HEMMELIG NOTE" });
    const second = await submitAndDeliver("751", "Vi vil gerne sende vores smede på AMU-kursus.", cvr);
    const oest = consultant("rar-oestjylland");
    const d = (await api(oest, "GET", `/api/inbox/cases/${second}`)).body as unknown as CaseDetail;
    expect(d.companyHistory.map((h) => [h.reference, h.consortiumId])).toEqual([[first, "rar-fyn"]]);
    expect(JSON.stringify(d.companyHistory)).not.toContain("HEMMELIG");

    const token = await svc.issueToken(fyn);
    const page = await fetch(`${svc.url}/inbox/cases/${first}`, {
      headers: { cookie: `indgang_session=${token}`, accept: "text/html" },
    });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    expect(html).not.toContain("<script>alert");
    const inbox = await fetch(`${svc.url}/inbox`, { headers: { cookie: `indgang_session=${token}` } });
    expect(await inbox.text()).toContain(first);
    const anon = await fetch(`${svc.url}/inbox`, { headers: { accept: "text/html" }, redirect: "manual" });
    expect(anon.status).toBe(303);
    expect(anon.headers.get("location")).toBe("/signin");
  });

  it("web forms act like the API and refuse a cross-site post", async () => {
    const ref = await submitAndDeliver("461", "Vi mangler en ny tømrerlærling.");
    const token = await svc.issueToken(consultant("rar-fyn", "Web"));
    const post = (path: string, form: Record<string, string>, origin = svc.url) =>
      fetch(`${svc.url}${path}`, {
        method: "POST",
        headers: {
          cookie: `indgang_session=${token}`,
          origin,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams(form),
        redirect: "manual",
      });
    expect((await post(`/inbox/cases/${ref}/claim`, {}, "https://evil.example")).status).toBe(403);
    expect((await svc.ctx.cases.get(ref))?.assignee).toBeUndefined();
    const claimed = await post(`/inbox/cases/${ref}/claim`, {});
    expect(claimed.status).toBe(303);
    expect((await svc.ctx.cases.get(ref))?.assignee?.name).toBe("Web");
    const bad = await post(`/inbox/cases/${ref}/status`, { status: "closed", outcome: "nonsense" });
    expect(bad.status).toBe(400);
  });
});

describe("manual triage", () => {
  it("an administrator sends a manual-triage case to a consortium; consultants cannot see it before", async () => {
    const p = aPayload();
    const res = await fetch(`${svc.url}/api/requests`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        ...p,
        company: { ...p.company, municipalityCode: "860" },
        request: { description: "Hej, kan I ringe mig op i morgen?" },
      }),
    });
    const { reference } = (await res.json()) as { reference: string };
    await waitFor(async () => ((await svc.ctx.cases.get(reference))?.pending === false ? true : undefined));
    expect((await svc.ctx.cases.get(reference))?.status).toBe("manual_triage");
    const fyn = consultant("rar-fyn");
    expect((await api(fyn, "GET", `/api/inbox/cases/${reference}`)).status).toBe(404);
    const manualInbox = await api(admin, "GET", "/api/inbox/cases?consortiumId=manual");
    expect((manualInbox.body.items as InboxItem[]).map((i) => i.id)).toContain(reference);
    const sent = await api(admin, "POST", `/api/inbox/cases/${reference}/transfer`, {
      consortiumId: "rar-fyn",
      reason: "Ringede op: de mangler en tømrer",
    });
    expect(sent.status).toBe(202);
    await waitFor(async () =>
      (await svc.ctx.cases.get(reference))?.status === "delivered" ? true : undefined,
    );
    expect((await api(fyn, "GET", `/api/inbox/cases/${reference}`)).status).toBe(200);
  });
});
