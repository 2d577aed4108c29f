import { SendMessageCommand } from "@aws-sdk/client-sqs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "#shared/principal.ts";
import { dlqName, INTAKE_QUEUE } from "#shared/resources.ts";
import { aPayload, waitFor } from "#tests/support/local.ts";
import {
  clickAndWait,
  expectAccessible,
  expectNoHorizontalScroll,
  launchBrowser,
  openPage,
  type Service,
  screenshot,
  signIn,
  startSite,
} from "./support/browser.ts";

let browser: Browser;
let svc: Service;
let site: string;
let admin: Page;

/** A request no shipped rule understands: Fyn gets it with its need unclear, until the admin's edit. */
const PIZZA = "Vi vil gerne have besøg om vores pizzabagere til sommer.";
const references: Record<string, string> = {};

/** Arrangement through the public JSON API: a request, in its inbox. */
async function submit(municipalityCode: string, description: string) {
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
    20_000,
    `${reference} delivered`,
  );
  return reference;
}

async function inboxApi(p: Principal, path: string, body?: unknown) {
  const res = await fetch(`${svc.url}/api/inbox/cases/${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${await svc.issueToken(p)}`, "content-type": "application/json" },
    body: JSON.stringify(body ?? {}),
  });
  expect(res.status, path).toBeLessThan(300);
}

beforeAll(async () => {
  const [b, started] = await Promise.all([launchBrowser(), startSite()]);
  browser = b;
  svc = started.svc;
  site = started.site;
  // Some history for the backtest and the statistics: four requests, one of them worked to the end.
  references.pizza = await submit("461", PIZZA);
  references.kitchen = await submit("461", "Vi mangler to kokke til fast ansættelse.");
  references.course = await submit("751", "Vores ansatte skal på AMU-kursus i truckkørsel.");
  references.export = await submit("630", "Vi vil eksportere til Tyskland og søger finansiering.");
  const fyn: Principal = { sub: "u-fyn", name: "Anna Fyn", role: "consultant", consortiumId: "rar-fyn" };
  await inboxApi(fyn, `${references.kitchen}/claim`);
  await inboxApi(fyn, `${references.kitchen}/status`, { status: "in_progress" });
  await inboxApi(fyn, `${references.kitchen}/status`, { status: "closed", outcome: "recruited" });
  admin = await openPage(browser);
});
afterAll(async () => {
  await browser?.close();
  await svc?.stop();
});

const text = async (page: Page, selector: string) => (await page.locator(selector).innerText()).trim();

describe("administration", () => {
  it("is for administrators only", async () => {
    const consultant = await openPage(browser);
    await signIn(consultant, site, { role: "consultant", consortiumId: "rar-fyn", name: "Anna Fyn" });
    for (const path of ["/admin/rules", "/admin/stats", "/admin/dead-letters"]) {
      const res = await consultant.goto(`${site}${path}`);
      expect(res?.status(), path).toBe(403);
    }
  });

  it("an admin edits a rule, dry-runs it, backtests it, publishes it and rolls it back", async () => {
    await signIn(admin, site, { role: "admin", name: "Dorte Admin" });
    await admin.goto(`${site}/admin/rules`);
    expect(await text(admin, "h1")).toBe("Regler");
    // The doctype puts the browser in standards mode, not quirks mode.
    expect(await admin.evaluate(() => document.compatMode)).toBe("CSS1Compat");
    expect(await text(admin, "nav[aria-label=Administration] a[aria-current=page]")).toBe("Regler");
    expect(await text(admin, "#h-active + p")).toMatch(/^Version 1 – .+ \(leveret standard\)$/);
    await expectAccessible(admin, "admin-rules");
    await screenshot(admin, "admin-rules");

    // The edit: pizza bakers are a hiring word now. The admin puts the cursor in rec-hire's word list,
    // after its first word, and types the new one.
    const editor = admin.locator("#f-ruleset");
    const at = await editor.evaluate((e) => {
      const area = e as HTMLTextAreaElement;
      const hire = area.value.indexOf('"id": "rec-hire"');
      const first = area.value.indexOf('"ansætte",', hire) + '"ansætte",'.length;
      area.focus();
      area.setSelectionRange(first, first);
      return hire < 0 ? -1 : first;
    });
    expect(at).toBeGreaterThan(0);
    await admin.keyboard.type(' "pizzabager*",');
    await clickAndWait(admin, "button:text-is('Gem kladde')");
    expect(await text(admin, "p.confirmation")).toBe("Kladden er gemt.");
    expect(await admin.inputValue("#f-ruleset")).toContain('"pizzabager*"');
    // Who saved it and when, as Danes write a date.
    expect(await text(admin, "#h-draft + p")).toMatch(
      /^Dorte Admin, \d{1,2}\. \p{L}+ \d{4} kl\. \d{2}\.\d{2} – Startet fra version 1$/u,
    );

    // Dry-run the same request on the draft and on the active rules.
    const payload = JSON.stringify({
      company: { cvr: "11696422", name: "Pizza ApS", municipalityCode: "461" },
      contact: { name: "Mario", email: "mario@pizza.example.dk", language: "da" },
      request: { description: PIZZA },
      consent: true,
    });
    await admin.fill("#f-payload", payload);
    await admin.selectOption("#f-which", "draft");
    await clickAndWait(admin, "button:text-is('Prøv')");
    const tried = admin.locator("section[aria-labelledby=h-try] [aria-live]");
    expect(await tried.locator("strong").innerText()).toBe("rar-fyn · Rekruttering (Rekruttering)");
    // Why, in Danish, with the municipality's name (the dry-run page names consortia by id).
    expect(await tried.innerText()).toContain("Kommunen Odense (461) hører til rar-fyn");
    expect(await tried.locator("li code").allInnerTexts()).toContain("rec-hire");
    expect(await admin.inputValue("#f-payload")).toBe(payload); // kept for the next try
    await admin.selectOption("#f-which", "active");
    await clickAndWait(admin, "button:text-is('Prøv')");
    expect(await tried.locator("strong").innerText()).toBe("rar-fyn · –");

    // Backtest on the cases so far: only the pizza request would change.
    await clickAndWait(admin, "button:text-is('Kør test')");
    const backtest = admin.locator("section[aria-labelledby=h-backtest] [aria-live]");
    expect(await backtest.locator("p").first().innerText()).toBe("Sammenlignet: 4. Ville ændre sig: 1.");
    expect(await backtest.locator("tbody tr").allInnerTexts()).toEqual([
      expect.stringMatching(/^rar-fyn · –\s+rar-fyn · Rekruttering \(Rekruttering\)\s+1$/),
    ]);
    expect(await backtest.locator("li a").allInnerTexts()).toEqual([references.pizza]);
    await expectAccessible(admin, "admin-rules-backtest");
    await screenshot(admin, "admin-rules-backtest");

    await clickAndWait(admin, "button:has-text('Udgiv kladden')");
    expect(await text(admin, "p.confirmation")).toBe("Udgivet som version 2");
    expect(await text(admin, "#h-active + p")).toMatch(/^Version 2 – .+ – Udgivet af Dorte Admin$/);
    // What changed, version 1 → 2.
    await clickAndWait(admin, "a:text-is('Forskel fra forrige')");
    expect(await text(admin, "#h-diff")).toBe("Version 1 → 2");
    expect(await admin.locator("#h-diff ~ p").first().innerText()).toBe(
      "rules: Tilføjet: –; Fjernet: –; Ændret: rec-hire",
    );
    // A new request is classified by the published rules.
    const after = await submit("461", PIZZA.replace("sommer", "efteråret")); // not a re-submission
    expect((await svc.ctx.cases.get(after))?.consortiumId).toBe("rar-fyn");

    // Rolled back to the shipped rules, as a new version.
    const rollback = admin
      .locator("tr", { hasText: /^1/ })
      .locator("button:text-is('Rul tilbage til denne')");
    const navigated = admin.waitForEvent("framenavigated");
    await rollback.click();
    await navigated;
    await admin.waitForLoadState("load");
    expect(await text(admin, "p.confirmation")).toBe("Rullet tilbage; aktiv nu som version 3");
    expect(await text(admin, "#h-active + p")).toMatch(/^Version 3 – /);
    expect(await admin.locator("section[aria-labelledby=h-history] tbody tr").count()).toBe(3);
    await expectAccessible(admin, "admin-rules-history");
  });

  it("the consortia page lists who covers which municipalities and saves the map", async () => {
    await admin.goto(`${site}/admin/consortia`);
    expect(await text(admin, "h1")).toBe("Konsortier");
    const rows = admin.locator("main table tbody tr");
    expect(await rows.count()).toBe(8);
    expect(await rows.filter({ hasText: "Konsortium Fyn" }).innerText()).toContain("Odense");
    await expectAccessible(admin, "admin-consortia");
    await screenshot(admin, "admin-consortia");
    await clickAndWait(admin, "button:text-is('Gem konsortier')");
    expect(await text(admin, "p.confirmation")).toBe("Konsortierne er gemt.");
  });

  it("the campaigns page creates a campaign and lists it", async () => {
    await admin.goto(`${site}/admin/campaigns`);
    expect(await text(admin, "h1")).toBe("Kampagner");
    expect(await text(admin, "main > p")).toBe("Ingen kampagner endnu.");
    await clickAndWait(admin, "button:text-is('Gem kampagne')"); // the example in the editor
    expect(new URL(admin.url()).pathname).toBe("/admin/campaigns");
    const row = admin.locator("main table tbody tr");
    expect(await row.count()).toBe(1);
    expect(await row.innerText()).toContain("Femern-byggeriet");
    expect(await row.innerText()).toContain("Femern-taskforcen (rar-sjaelland)");
    await expectAccessible(admin, "admin-campaigns");
    await screenshot(admin, "admin-campaigns");
  });

  it("the dead-letters page shows a failed message with its case and error, and redrives it", async () => {
    const reference = references.export ?? "";
    const intake = svc.ctx.queues.url(INTAKE_QUEUE);
    const dlq = intake.replace(/[^/]+$/, dlqName(svc.ctx.config.RESOURCE_PREFIX, INTAKE_QUEUE));
    await svc.ctx.sqs.send(
      new SendMessageCommand({ QueueUrl: dlq, MessageBody: JSON.stringify({ reference }) }),
    );
    await svc.ctx.cases.recordError(reference, {
      at: new Date().toISOString(),
      message: "ProvisionedThroughputExceededException: <b>slow down</b>",
      queue: "intake",
    });
    await admin.goto(`${site}/admin/dead-letters`);
    expect(await text(admin, "h1")).toBe("Fejlede beskeder");
    const row = admin.locator("main table tbody tr");
    expect(await row.count()).toBe(1);
    expect(await row.innerText()).toContain(reference);
    expect(await row.innerText()).toContain("ProvisionedThroughputExceededException: <b>slow down</b>");
    await expectAccessible(admin, "admin-dead-letters");
    await screenshot(admin, "admin-dead-letters");
    await admin.check(`main table tbody input[type=checkbox]`);
    await clickAndWait(admin, "button:text-is('Send valgte igen')");
    expect(await text(admin, ".confirmation")).toBe("Sendt tilbage til køen: 1");
    expect(await text(admin, "main > p:not(.confirmation):last-of-type")).toBe("Ingen fejlede beskeder.");
  });

  it("the statistics page shows the period's figures in Danish and in English, as charts and tables", async () => {
    await admin.goto(`${site}/admin/stats`);
    expect(await text(admin, "h1")).toBe("Statistik");
    const facts = await admin.locator("main > dl.facts").innerText();
    expect(facts).toMatch(/Sager i alt\s+5/);
    // Hours with a decimal comma, dates with Danish month names.
    expect(facts).toMatch(/Median til afsluttet \(timer\)\s+\d+,\d t \(sager afsluttet: 1\)/);
    expect(facts).toMatch(/Periode\s+\d{1,2}\. \p{L}+ \d{4} – \d{1,2}\. \p{L}+ \d{4}/u);
    // Every chart is an image with a name and a description, and has its figures as a table.
    const charts = admin.locator("svg[role=img]");
    expect(await charts.count()).toBeGreaterThanOrEqual(10); // 8 areas + manual, time to claim, outcomes
    for (const chart of await charts.all()) {
      expect(await chart.locator("title").count()).toBe(1);
      expect(await chart.locator("desc").textContent()).not.toBe("");
    }
    // Three in the needs, claim and outcome sections, three in the response-time and rating sections.
    expect(await admin.locator("details.data table").count()).toBe(6);
    await expectAccessible(admin, "admin-stats");
    await screenshot(admin, "admin-stats");

    await clickAndWait(admin, "header a.lang");
    expect(await admin.getAttribute("html", "lang")).toBe("en");
    expect(await text(admin, "h1")).toBe("Statistics");
    expect(await admin.locator("main > dl.facts").innerText()).toMatch(/Cases in all\s+5/);
    await expectAccessible(admin, "admin-stats-en");
    await screenshot(admin, "admin-stats-en");
    // The choice holds on the other admin pages, and every link of the admin menu leads to a page.
    for (const href of await admin
      .locator("nav[aria-label=Administration] a")
      .evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""))) {
      const res = await admin.goto(`${site}${href}`);
      expect(res?.status(), href).toBe(200);
      expect(await admin.getAttribute("html", "lang"), href).toBe("en");
    }
    // The audit log lists what this admin did above, and is accessible too.
    await admin.goto(`${site}/admin/audit`);
    expect(await admin.locator("tbody tr", { hasText: "rules.publish" }).count()).toBeGreaterThan(0);
    await expectAccessible(admin, "admin-audit");
    await screenshot(admin, "admin-audit");
    await clickAndWait(admin, "header a.lang"); // back to Danish for whoever comes next
  });

  it("the admin's inbox chooses among all consortia", async () => {
    await admin.goto(`${site}/inbox`);
    await admin.selectOption("#f-inbox", "rar-fyn");
    await clickAndWait(admin, "button:text-is('Filtrer')");
    expect(await text(admin, "h1")).toBe("Indbakke: Konsortium Fyn");
    expect(await admin.locator("tbody tr", { hasText: references.pizza ?? "-" }).count()).toBe(1);
    await expectAccessible(admin, "inbox-admin-fyn");
    await screenshot(admin, "inbox-admin-fyn");
  });

  it("the admin pages fit a phone without sideways scrolling of the page", async () => {
    const phone = await openPage(browser, {
      viewport: { width: 375, height: 812 },
      isMobile: true,
      hasTouch: true,
    });
    await signIn(phone, site, { role: "admin", name: "Dorte Admin" });
    for (const path of ["/admin/rules", "/admin/consortia", "/admin/campaigns", "/admin/stats"]) {
      await phone.goto(`${site}${path}`);
      await expectNoHorizontalScroll(phone, path);
    }
  });

  it("a draft made stale by a rollback elsewhere is refused, a new draft offered; the home shows the state", async () => {
    await admin.goto(`${site}/admin/rules`);
    await clickAndWait(admin, "button:text-is('Gem kladde')");
    expect(await text(admin, "p.confirmation")).toBe("Kladden er gemt.");
    // Another administrator rolls back while this page is open with its publish button.
    const other: Principal = { sub: "u-other", name: "Ole Admin", role: "admin" };
    const res = await fetch(`${svc.url}/api/admin/rules/rollback`, {
      method: "POST",
      headers: { authorization: `Bearer ${await svc.issueToken(other)}`, "content-type": "application/json" },
      body: JSON.stringify({ toVersion: 2 }),
    });
    expect(res.status).toBe(201);
    const { version } = (await res.json()) as { version: number };
    await clickAndWait(admin, "button:has-text('Udgiv kladden')");
    expect(await text(admin, ".error-summary h2")).toMatch(
      /^Kladden blev ikke udgivet: den er startet fra version \d+, men version \d+ er aktiv nu\./,
    );
    expect(await admin.locator("button:has-text('Udgiv kladden')").count()).toBe(0);
    expect(await text(admin, "#draft-stale p")).toContain(`version ${version} er aktiv nu`);
    await expectAccessible(admin, "admin-rules-stale-draft");
    await screenshot(admin, "admin-rules-stale-draft");
    await clickAndWait(admin, "button:text-is('Start ny kladde fra den aktive version')");
    expect(await text(admin, "p.confirmation")).toBe(
      "En ny kladde er startet fra den aktive version; den gamle kladde er kasseret.",
    );
    expect(await admin.locator("#draft-stale").count()).toBe(0);

    // The home, from the header's link.
    await clickAndWait(admin, "header nav.staff a[href='/admin']");
    expect(await admin.evaluate(() => document.compatMode)).toBe("CSS1Compat");
    expect(await text(admin, "h1")).toBe("Overblik");
    expect(await text(admin, "section[aria-labelledby=h-rules] dd:first-of-type")).toMatch(
      new RegExp(`^${version} – `),
    );
    expect(await text(admin, "#home-draft")).toMatch(/^Der er en kladde, startet fra den aktive version/);
    await expectAccessible(admin, "admin-home");
    await screenshot(admin, "admin-home");
  });

  it("erases a contact's data after a confirmation that names each case", async () => {
    const p = aPayload();
    const res = await fetch(`${svc.url}/api/requests`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        ...p,
        company: { ...p.company, cvr: "11777112" },
        contact: { ...p.contact, email: "slet.mig@firma.example.dk" },
        request: { description: "Vi mangler en smed til værkstedet." },
      }),
    });
    const { reference } = (await res.json()) as { reference: string };
    await admin.goto(`${site}/admin`);
    await clickAndWait(admin, "nav[aria-label=Administration] a:text-is('Persondata')");
    await admin.fill("#f-cvr", "11777112");
    await admin.fill("#f-email", "slet.mig@firma.example.dk");
    await clickAndWait(admin, "button:text-is('Find')");
    expect(await text(admin, "#h-found")).toBe("Fundne sager: 1");
    await clickAndWait(admin, "a:text-is('Slet …')");
    expect(await text(admin, "#h-found")).toBe("Bekræft sletning: 1");
    expect(await text(admin, "#erase-confirm p")).toMatch(/^Disse 1 sager bliver anonymiseret/);
    expect(await admin.locator("tbody tr", { hasText: reference }).count()).toBe(1);
    await expectAccessible(admin, "admin-personal-data-confirm");
    await screenshot(admin, "admin-personal-data-confirm");
    await clickAndWait(admin, "button:text-is('Slet nu')");
    expect(await text(admin, "p.confirmation")).toBe(`Slettet: 1 sager. ${reference}`);
    expect(await text(admin, "#h-found")).toBe("Fundne sager: 0");
    expect((await svc.ctx.cases.get(reference))?.payload.contact.email).toBe("erased@invalid");
    await expectAccessible(admin, "admin-personal-data-erased");
  });
});
