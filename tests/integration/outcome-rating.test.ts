import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StatsReport } from "#shared/admin/stats-report.ts";
import type { CaseRecord } from "#shared/cases/model.ts";
import { readOutbox, startTestService, submitAndDeliver, waitFor } from "#tests/support/local.ts";

/**
 * The end of a case on the embedded stack: the consultant closes it, the company gets one closing
 * e-mail (how it ended, five rating links), its status page says how it ended, and its rating is
 * recorded once through the signed link.
 */
let svc: Awaited<ReturnType<typeof startTestService>>;
let consultant: string;

beforeAll(async () => {
  svc = await startTestService();
  consultant = await svc.issueToken({
    sub: "u-bh",
    name: "Karen",
    role: "consultant",
    consortiumId: "rar-bornholm",
  });
});
afterAll(async () => {
  await svc?.stop();
});

const api = (path: string, body: unknown) =>
  fetch(`${svc.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${consultant}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });

const outbox = () => readOutbox(svc);

const rate = (link: string, fields: Record<string, string>) => {
  const u = new URL(link);
  return fetch(`${u.origin}${u.pathname}?lang=da`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
    body: new URLSearchParams({ sig: u.searchParams.get("sig") ?? "", ...fields }).toString(),
    redirect: "manual",
  });
};

describe("closing e-mail and rating", () => {
  it("one closing e-mail with the outcome in plain words; the rating is recorded once; a forged link opens nothing", async () => {
    const c = await submitAndDeliver(svc, "400", "Vi vil gerne ansætte en ny tømrer til værkstedet.");
    const ref = c.reference;
    expect((await api(`/api/inbox/cases/${ref}/claim`, {})).status).toBe(200);
    expect(
      (await api(`/api/inbox/cases/${ref}/status`, { status: "closed", outcome: "recruited" })).status,
    ).toBe(200);
    // A second close changes nothing and mails nothing.
    expect(
      (await api(`/api/inbox/cases/${ref}/status`, { status: "closed", outcome: "recruited" })).status,
    ).toBe(409);

    const closing = await waitFor(async () => {
      const m = outbox().filter((x) => x.subject === `Jeres sag ${ref} er afsluttet`);
      return m.length > 0 ? m : undefined;
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(outbox().filter((x) => x.subject === `Jeres sag ${ref} er afsluttet`)).toHaveLength(1);
    const [mail] = closing;
    expect(mail?.text).toContain("I har fået hjælp til at rekruttere.");
    const links = [...(mail?.text ?? "").matchAll(/http:\/\/127\.0\.0\.1:\d+\/rate\/\S+/g)].map((m) => m[0]);
    expect(links).toHaveLength(5);

    // The status page says how it ended.
    const statusLink = (mail?.text ?? "").match(/http:\/\/127\.0\.0\.1:\d+\/status\/\S+/)?.[0] ?? "";
    const status = await (await fetch(`${statusLink}&lang=da`, { headers: { accept: "text/html" } })).text();
    expect(status).toContain("Sådan endte sagen");
    expect(status).toContain("I har fået hjælp til at rekruttere.");

    // Opening a link records nothing (mail scanners open links); it shows the score chosen.
    const four = links[3] ?? "";
    const page = await (await fetch(four, { headers: { accept: "text/html" } })).text();
    expect(page).toMatch(/value="4" checked/);
    expect(((await svc.ctx.cases.get(ref)) as CaseRecord).rating).toBeUndefined();

    const first = await rate(four, { score: "4", comment: "Hurtig hjælp <b>tak</b>" });
    expect(first.status).toBe(303);
    expect(first.headers.get("location")).toContain("done=1");
    const again = await rate(links[0] ?? "", { score: "1" });
    expect(again.status).toBe(409);
    const stored = ((await svc.ctx.cases.get(ref)) as CaseRecord).rating;
    expect(stored).toMatchObject({ score: 4, comment: "Hurtig hjælp <b>tak</b>" });

    const forged = four.replace(/sig=[^&]+/, "sig=AAAAAAAAAAAAAAAAAAAAAA");
    expect((await fetch(forged, { headers: { accept: "text/html" } })).status).toBe(404);
    expect((await rate(forged, { score: "5" })).status).toBe(404);
    expect((await rate(four, { score: "9" })).status).toBe(303); // out of range: back to the form
    expect(((await svc.ctx.cases.get(ref)) as CaseRecord).rating?.score).toBe(4);

    // The statistics count the score (not the comment) for the consortium and the case's need.
    const admin = await svc.issueToken({ sub: "u-admin", name: "Admin", role: "admin" });
    const stats = await fetch(`${svc.url}/api/admin/stats`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    const report = (await stats.json()) as StatsReport;
    expect(report.service.ratings.byConsortium["rar-bornholm"]).toEqual({
      count: 1,
      average: 4,
      scores: [0, 0, 0, 1, 0],
    });
    expect(report.service.ratings.byNeed.recruitment?.count).toBe(1);
    expect(JSON.stringify(report)).not.toContain("Hurtig hjælp");
    const html = await (
      await fetch(`${svc.url}/admin/stats?lang=da`, {
        headers: { authorization: `Bearer ${admin}`, accept: "text/html" },
      })
    ).text();
    expect(html).toContain("Virksomhedernes vurdering");
    expect(html).toMatch(/Bornholm: 4 \(1\)/);
  });
});
