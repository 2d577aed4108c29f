import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isoWeek } from "#shared/admin/stats.ts";
import type { StatsReport } from "#shared/admin/stats-report.ts";
import type { Principal } from "#shared/principal.ts";
import { DEFAULT_CONSORTIA } from "#shared/reference/consortia.ts";
import { aPayload, startTestService, storeConsortia, waitFor } from "#tests/support/local.ts";

let svc: Awaited<ReturnType<typeof startTestService>>;
const admin: Principal = { sub: "u-admin", name: "Admin", role: "admin" };
const consultant = (consortiumId: string, name = "Konsulent"): Principal => ({
  sub: `u-${consortiumId}-${name}`,
  name,
  role: "consultant",
  consortiumId,
});
const EVIL = "<script>alert('x')</script>";

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
// Yesterday to tomorrow (UTC): robust to a test run that crosses midnight.
const RANGE = `from=${day(-1)}&to=${day(1)}`;

async function get(p: Principal | null, path: string, headers: Record<string, string> = {}) {
  const token = p ? await svc.issueToken(p) : undefined;
  return fetch(`${svc.url}${path}`, {
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    redirect: "manual",
  });
}

async function post(p: Principal, path: string, body?: unknown) {
  const res = await fetch(`${svc.url}${path}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${await svc.issueToken(p)}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(res.status, `POST ${path}`).toBe(200);
}

/** Submits a request and waits until it is in an inbox (a consortium's, or manual triage). */
async function submit(municipalityCode: string, description: string): Promise<string> {
  const p = aPayload();
  const res = await fetch(`${svc.url}/api/requests`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...p, company: { ...p.company, municipalityCode }, request: { description } }),
  });
  expect(res.status).toBe(202);
  const { reference } = (await res.json()) as { reference: string };
  await waitFor(
    async () => ((await svc.ctx.cases.get(reference))?.deliveredAt ? true : undefined),
    15_000,
    `${reference} delivered`,
  );
  return reference;
}

beforeAll(async () => {
  svc = await startTestService({ env: { RULES_CACHE_SECONDS: "0" } });
  // A consortium name with markup: the page must show it as text.
  // Hjørring (860) is left out of the map: its request reaches manual triage (a need-unclear request
  // with a consortium goes to that consortium).
  await storeConsortia(svc, (c) =>
    c.id === "rar-bornholm"
      ? { ...c, name: `Bornholm ${EVIL}` }
      : { ...c, municipalities: c.municipalities.filter((m) => m !== "860") },
  );
  const [growthFyn, recruitAarhus, , bothAarhus, bornholm] = await Promise.all([
    submit("461", "Vi vil gerne eksportere til Tyskland og søger finansiering til vækst."), // fyn: growth
    submit("751", "Vi mangler 4 elektrikere til nye projekter."), // østjylland: recruitment
    submit("751", "Vi vil gerne sende vores smede på AMU-kursus."), // østjylland: upskilling
    submit("751", "Vi skal ansætte tre nye lagermedarbejdere og sende dem på AMU-kursus i truckkørsel."), // both
    submit("400", "Vi mangler 2 sæsonarbejdere til sommeren."), // bornholm: recruitment
    submit("860", "Hej, vi har et spørgsmål om noget helt andet end det her."), // manual triage: no consortium
    submit("461", "Vi mangler en ny tømrerlærling."), // fyn: recruitment
  ]);
  const fyn = consultant("rar-fyn");
  const oest = consultant("rar-oestjylland");
  const bo = consultant("rar-bornholm");
  await post(fyn, `/api/inbox/cases/${growthFyn}/claim`);
  await post(fyn, `/api/inbox/cases/${growthFyn}/status`, { status: "closed", outcome: "growth_programme" });
  await post(oest, `/api/inbox/cases/${recruitAarhus}/claim`);
  await post(oest, `/api/inbox/cases/${recruitAarhus}/status`, { status: "closed", outcome: "recruited" });
  await post(oest, `/api/inbox/cases/${bothAarhus}/claim`);
  await post(bo, `/api/inbox/cases/${bornholm}/claim`);
  await post(bo, `/api/inbox/cases/${bornholm}/status`, { status: "in_progress" });
});
afterAll(async () => {
  await svc?.stop();
});

describe("GET /api/admin/stats", () => {
  it("counts by consortium × need × status, with medians, outcomes and totals", async () => {
    const res = await get(admin, `/api/admin/stats?${RANGE}&groupBy=day`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    const r = (await res.json()) as StatsReport;
    expect(r).toMatchObject({
      from: day(-1),
      to: day(1),
      groupBy: "day",
      periods: [day(-1), day(0), day(1)],
    });
    const counts: Record<string, number> = {};
    for (const row of r.rows) {
      const key = `${row.consortiumId}|${row.need}|${row.status}`;
      counts[key] = (counts[key] ?? 0) + row.count;
    }
    expect(counts).toEqual({
      "rar-fyn|growth|closed": 1,
      "rar-fyn|recruitment|delivered": 1,
      "rar-oestjylland|recruitment|closed": 1,
      "rar-oestjylland|upskilling|delivered": 1,
      "rar-oestjylland|recruitment|claimed": 1,
      "rar-oestjylland|upskilling|claimed": 1,
      "rar-bornholm|recruitment|in_progress": 1,
      "manual|none|manual_triage": 1,
    });
    expect(r.totals).toEqual({
      cases: 7,
      byNeed: { growth: 1, recruitment: 4, upskilling: 2, none: 1 },
      byConsortium: { "rar-fyn": 2, "rar-oestjylland": 3, "rar-bornholm": 1, manual: 1 },
      byStatus: { closed: 2, delivered: 2, claimed: 1, in_progress: 1, manual_triage: 1 },
    });
    expect(r.medians.overall.claimedCases).toBe(4);
    expect(r.medians.overall.closedCases).toBe(2);
    expect(r.medians.overall.receivedToClaimedHours).toBeGreaterThanOrEqual(0);
    expect(r.medians.overall.receivedToClaimedHours).toBeLessThan(1);
    expect(r.medians.byConsortium["rar-oestjylland"]?.claimedCases).toBe(2);
    expect(r.medians.byConsortium.manual).toMatchObject({ receivedToClaimedHours: null, claimedCases: 0 });
    expect(r.outcomes.overall).toMatchObject({ growth_programme: 1, recruited: 1, referred: 0 });
    expect(r.outcomes.byConsortium["rar-fyn"]).toMatchObject({ growth_programme: 1, recruited: 0 });
    // The default range (the last 12 weeks, by week) holds the same cases.
    const byDefault = (await (await get(admin, "/api/admin/stats")).json()) as StatsReport;
    expect(byDefault.groupBy).toBe("week");
    expect(byDefault.periods.length).toBeGreaterThanOrEqual(12);
    expect(byDefault.totals.cases).toBe(7);
  });

  it("gives CSV when the Accept header prefers it, or with ?format=csv", async () => {
    const res = await get(admin, `/api/admin/stats?${RANGE}`, { accept: "text/csv" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="indgang-stats-.+\.csv"$/);
    const lines = (await res.text()).split("\r\n");
    expect(lines[0]).toBe("period,consortiumId,need,status,count");
    expect(lines.at(-1)).toBe(""); // CRLF after the last line
    expect(lines.slice(1, -1).length).toBeGreaterThanOrEqual(8);
    expect(lines.some((l) => /^\d{4}-W\d{2},rar-fyn,growth,closed,1$/.test(l))).toBe(true);
    expect(lines.some((l) => /,manual,none,manual_triage,1$/.test(l))).toBe(true);

    const preferJson = await get(admin, `/api/admin/stats?${RANGE}`, {
      accept: "text/csv;q=0.5, application/json",
    });
    expect(preferJson.headers.get("content-type")).toContain("application/json");
    const link = await get(admin, `/api/admin/stats?${RANGE}&format=csv`, { accept: "text/html,*/*;q=0.8" });
    expect(link.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  });

  it("refuses bad input with 400 and the field", async () => {
    for (const [query, path] of [
      ["from=2026-13-01", "from"],
      ["to=yesterday", "to"],
      [`from=${day(1)}&to=${day(-1)}`, "from"],
      ["from=2024-01-01&to=2025-12-31", "to"],
      ["groupBy=year", "groupBy"],
    ] as const) {
      const res = await get(admin, `/api/admin/stats?${query}`);
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as { error: { code: string; fields: { path: string }[] } };
      expect(body.error.code).toBe("validation_failed");
      expect(body.error.fields.map((f) => f.path)).toEqual([path]);
    }
  });

  it("administrators only: a consultant gets 403, anonymous 401", async () => {
    expect((await get(consultant("rar-fyn"), "/api/admin/stats")).status).toBe(403);
    expect((await get(consultant("rar-fyn"), "/admin/stats")).status).toBe(403);
    expect((await get(null, "/api/admin/stats")).status).toBe(401);
    const page = await get(null, "/admin/stats", { accept: "text/html" });
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe("/signin");
  });
});

describe("the page /admin/stats", () => {
  it("draws each chart as SVG with a name, a description and a table, in Danish, escaping names", async () => {
    const res = await get(admin, `/admin/stats?${RANGE}&groupBy=week&lang=da`, { accept: "text/html" });
    expect(res.status).toBe(200);
    const html = await res.text();
    const charts = html.match(/<svg[^>]*role="img"[^>]*>/g) ?? [];
    // One small chart per consortium (8) and one for manual triage; time to claim; outcomes; first
    // contacts on time (no ratings yet: that section says so instead of a chart).
    expect(charts).toHaveLength(DEFAULT_CONSORTIA.length + 1 + 3);
    expect(html).toContain("Svartid og mål");
    expect(html).toContain("Virksomhedernes vurdering");
    for (const svg of charts) expect(svg).toMatch(/aria-labelledby="[^"]+-title [^"]+-desc"/);
    expect(html.match(/<title id="[^"]+-title">/g)).toHaveLength(charts.length);
    // Needs, time to claim, outcomes; targets per area and per period; ratings.
    expect(html.match(/<details class="data">/g)).toHaveLength(6);
    expect(html).toContain('<html lang="da">');
    expect(html).toContain("Behov efter område over tid");
    expect(html).toContain(`uge ${Number(isoWeek(day(0)).slice(6))}, `); // e.g. "uge 48, 2026"
    expect(html).toMatch(/href="\/api\/admin\/stats\?from=[^"]+&amp;format=csv"/);
    // The consortium name with markup is text everywhere; the page has no script at all.
    expect(html).toContain("Bornholm &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    expect(html).not.toContain("<script");

    const en = await (await get(admin, `/admin/stats?${RANGE}&lang=en`, { accept: "text/html" })).text();
    expect(en).toContain("Needs by area over time");
  });

  it("shows bad input next to the form with 400", async () => {
    const res = await get(admin, "/admin/stats?from=2026-11-30&to=2026-11-01&lang=da", {
      accept: "text/html",
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('class="error-summary"');
    expect(html).toContain('aria-invalid="true"');
    expect(html).not.toContain('role="img"');
  });
});
