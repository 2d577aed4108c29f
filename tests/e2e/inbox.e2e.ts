import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "#tests/support/local.ts";
import {
  clickAndWait,
  expectAccessible,
  expectNoHorizontalScroll,
  fillForm,
  launchBrowser,
  openPage,
  referenceOf,
  type Service,
  screenshot,
  signIn,
  startSite,
  submitForm,
  waitDelivered,
} from "./support/browser.ts";

let browser: Browser;
let svc: Service;
let site: string;

beforeAll(async () => {
  const [b, started] = await Promise.all([launchBrowser(), startSite()]);
  browser = b;
  svc = started.svc;
  site = started.site;
});
afterAll(async () => {
  await browser?.close();
  await svc?.stop();
});

/** Markup a careless template would run: an inline script and an event handler. */
const EVIL = `<script>window.__xss=1</script><img src=x onerror="window.__xss=2">`;
const COMPANY = `Smedjen ${EVIL} ApS`;
const DESCRIPTION = `Vi mangler to smede til fast ansættelse og vil gerne have hjælp til rekruttering. ${EVIL}`;
const NOTE = `Ringet op; de vil også høre om kurser. <b>vigtigt</b> ${EVIL}`;

const text = async (page: Page, selector: string) => (await page.locator(selector).innerText()).trim();
/** Nothing injected ran: no global was set, and no element came from the submitted text. */
async function expectNoXss(page: Page, where: string) {
  expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss), where).toBeUndefined();
  expect(await page.locator('img[src="x"]').count(), `${where}: an <img> from the text`).toBe(0);
  expect(
    await page.evaluate(() => [...document.scripts].filter((s) => s.textContent?.includes("__xss")).length),
    `${where}: a <script> from the text`,
  ).toBe(0);
}

const caseRow = (page: Page, reference: string) => page.locator("tbody tr", { hasText: reference });

let reference = "";
let statusUrl = "";

describe("a request with markup in it", () => {
  it("is shown as text to the company: on the form that sends it back, and on the status page", async () => {
    const company = await openPage(browser);
    await company.goto(`${site}/`);
    await fillForm(company, {
      cvr: "11696422",
      name: COMPANY,
      municipality: "Odense",
      employees: "1250",
      contactName: "Jens Smed",
      email: "jens@smedjen.example.dk",
      description: DESCRIPTION,
      consent: false,
    });
    await submitForm(company);
    // The form comes back with what was typed, as values, not as markup.
    expect(await company.locator(".error-summary li").allInnerTexts()).toEqual([
      "Vi skal have jeres samtykke for at kunne hjælpe",
    ]);
    expect(await company.inputValue("#f-company-name")).toBe(COMPANY);
    expect(await company.inputValue("#f-request-description")).toBe(DESCRIPTION);
    await expectNoXss(company, "the form with errors");

    await company.check("#f-consent");
    await submitForm(company);
    reference = referenceOf(company.url());
    statusUrl = company.url();
    await expectNoXss(company, "the confirmation");
    await waitDelivered(svc, reference);
  });
});

describe("the consortium's inbox", () => {
  it("a consultant of another consortium cannot reach the case", async () => {
    const other = await openPage(browser);
    await signIn(other, site, { role: "consultant", consortiumId: "rar-nordjylland", name: "Nina Nord" });
    expect(await text(other, "h1")).toBe("Indbakke: Konsortium Nordjylland");
    expect(await other.locator("main").innerText()).not.toContain(reference);
    const direct = await other.goto(`${site}/inbox/cases/${reference}`);
    expect(direct?.status()).toBe(404);
    expect(await other.locator("body").innerText()).not.toContain("Smedjen");
    const api = await other.goto(`${site}/api/inbox/cases/${reference}`);
    expect(api?.status()).toBe(404);
    // And nobody signed out gets in.
    const anonymous = await openPage(browser);
    await anonymous.goto(`${site}/inbox/cases/${reference}`);
    expect(new URL(anonymous.url()).pathname).toBe("/signin");
  });

  it("a consultant signs in, finds the case, reads why it came, claims, notes, starts and transfers it", async () => {
    const anna = await openPage(browser);
    await anna.goto(`${site}/signin`);
    await expectAccessible(anna, "signin");
    await screenshot(anna, "signin");
    await signIn(anna, site, { role: "consultant", consortiumId: "rar-fyn", name: "Anna Fyn" });
    expect(await text(anna, "h1")).toBe("Indbakke: Konsortium Fyn");
    expect(await text(anna, "nav.staff")).toContain("Anna Fyn");
    const row = caseRow(anna, reference);
    expect(await row.count()).toBe(1);
    // The company's name is shown as the text it is.
    expect(await row.locator("td").nth(1).innerText()).toContain(COMPANY);
    expect(await row.locator("td").nth(3).innerText()).toBe("Hos teamet");
    expect(await row.locator("td").nth(4).innerText()).toMatch(/^\d{1,2}\. \p{L}+ \d{4} kl\. \d{2}\.\d{2}$/u);
    await expectNoXss(anna, "the inbox");
    await expectAccessible(anna, "inbox");
    await screenshot(anna, "inbox");
    // The filters: "all statuses" and one need, as the form sends them.
    await anna.selectOption("#f-need", "growth");
    await clickAndWait(anna, "button:text-is('Filtrer')");
    expect(await caseRow(anna, reference).count()).toBe(0);
    await anna.selectOption("#f-need", "recruitment");
    await clickAndWait(anna, "button:text-is('Filtrer')");
    expect(await text(anna, "h1")).toBe("Indbakke: Konsortium Fyn");
    expect(await caseRow(anna, reference).count()).toBe(1);

    await clickAndWait(anna, `tbody a:text-is("${reference}")`);
    expect(new URL(anna.url()).pathname).toBe(`/inbox/cases/${reference}`);
    expect(await text(anna, "h1")).toBe(`Sag ${reference}: ${COMPANY}`);
    expect(await text(anna, "#h-request + p.quote")).toBe(DESCRIPTION);
    // Why it came here: the route and the rules that fired, with the words they matched.
    const why = anna.locator("section[aria-labelledby=h-why]");
    expect(await why.innerText()).toContain("Kommunen Odense (461) hører til Konsortium Fyn");
    expect(await why.innerText()).not.toContain("belongs to");
    expect(await why.innerText()).toMatch(/Regelsæt, version 1\./);
    expect(await why.locator("li code").count()).toBeGreaterThan(0);
    expect(await why.innerText()).toContain("Rekruttering");
    // Numbers as Danes write them.
    const facts = await anna.locator("section[aria-labelledby=h-request] dl").innerText();
    expect(facts).toMatch(/Antal ansatte\s+1\.250/);
    expect(facts).toMatch(/Kommune\s+Odense \(461\)/);
    await expectNoXss(anna, "the case page");
    await expectAccessible(anna, "case");
    await screenshot(anna, "case");

    await clickAndWait(anna, "button:text-is('Tag sagen')");
    expect(await text(anna, "main > dl.facts .badge")).toBe("En konsulent har taget sagen");
    expect(await anna.locator("main > dl.facts").innerText()).toMatch(/Ansvarlig\s+Anna Fyn/);

    await anna.fill("#f-note", NOTE);
    await anna.selectOption("#f-system", "jobCentre");
    await clickAndWait(anna, "button:text-is('Tilføj notat')");
    const note = anna.locator(".timeline li", { hasText: "Notat" });
    expect(await note.innerText()).toContain("Anna Fyn (Jobcenter)");
    expect(await note.locator(".quote").innerText()).toBe(NOTE);
    await expectNoXss(anna, "the case page with a note");

    await clickAndWait(anna, "button:text-is('Sæt i gang')");
    expect(await text(anna, "main > dl.facts .badge")).toBe("I gang");
    await expectAccessible(anna, "case-in-progress");
    await screenshot(anna, "case-in-progress");

    // Misrouted: the work is in Vejle.
    await anna.selectOption("#f-transfer", "rar-sydjylland");
    await anna.fill("#f-reason", "Produktionen ligger i Vejle");
    await clickAndWait(anna, "button:text-is('Flyt til andet konsortium')");
    expect(new URL(anna.url()).pathname).toBe("/inbox");
    expect(await text(anna, "p.confirmation[role=status]")).toBe(
      "Sagen er flyttet til det andet konsortium.",
    );
    expect(await caseRow(anna, reference).count()).toBe(0);
    const gone = await anna.goto(`${site}/inbox/cases/${reference}`);
    expect(gone?.status()).toBe(404);
  });

  it("the consultant it was moved to takes it over, works in English, and closes it with an outcome", async () => {
    await waitFor(
      async () => {
        const c = await svc.ctx.cases.get(reference);
        return c?.consortiumId === "rar-sydjylland" && c.status === "delivered" ? true : undefined;
      },
      20_000,
      "the transferred case delivered in Sydjylland",
    );
    const bo = await openPage(browser);
    await signIn(bo, site, { role: "consultant", consortiumId: "rar-sydjylland", name: "Bo Syd" });
    await clickAndWait(bo, "header a.lang");
    expect(await bo.getAttribute("html", "lang")).toBe("en");
    expect(await text(bo, "h1")).toBe("Inbox: Konsortium Sydjylland");
    expect(await caseRow(bo, reference).locator("td").nth(3).innerText()).toBe("With the team");
    await expectNoXss(bo, "the inbox (English)");
    await expectAccessible(bo, "inbox-en");
    await screenshot(bo, "inbox-en");

    await clickAndWait(bo, `tbody a:text-is("${reference}")`);
    expect(await bo.getAttribute("html", "lang")).toBe("en"); // remembered
    expect(await text(bo, "h1")).toBe(`Case ${reference}: ${COMPANY}`);
    expect(await bo.locator("section[aria-labelledby=h-request] dl").innerText()).toMatch(
      /Number of employees\s+1,250/,
    );
    const history = await bo.locator(".timeline li").allInnerTexts();
    expect(history.join("\n")).toContain(
      "The case was moved to another team – Anna Fyn → Konsortium Sydjylland",
    );
    expect(history.join("\n")).toContain("Produktionen ligger i Vejle");
    await clickAndWait(bo, "button:text-is('Claim the case')");
    await bo.selectOption("#f-outcome", "recruited");
    await clickAndWait(bo, "button:text-is('Close the case')");
    expect(await text(bo, "main > dl.facts dd:first-of-type")).toBe("Closed – Recruited");
    expect(await bo.locator("#h-actions").count()).toBe(0); // nothing left to do on a closed case
    await expectNoXss(bo, "the closed case");
    await expectAccessible(bo, "case-closed-en");
    await screenshot(bo, "case-closed-en");
    const wide = await openPage(browser, {
      viewport: { width: 375, height: 812 },
      isMobile: true,
      hasTouch: true,
    });
    await signIn(wide, site, { role: "consultant", consortiumId: "rar-sydjylland", name: "Bo Syd" });
    await wide.goto(`${site}/inbox/cases/${reference}`);
    await expectNoHorizontalScroll(wide, "the case page on a phone");
  });

  it("the company sees the case closed, and still only as text", async () => {
    const company = await openPage(browser);
    await company.goto(statusUrl.replace("&submitted=1", ""));
    expect(await text(company, ".badge")).toBe("Afsluttet");
    expect(await company.locator(".timeline li").last().innerText()).toMatch(/Sagen er afsluttet$/);
    await expectNoXss(company, "the status page");
  });
});
