import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storeConsortia } from "#tests/support/local.ts";
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
  waitDelivered,
} from "./support/browser.ts";

/**
 * Working the inbox in the browser (issue #17): a consultant finds a case by CVR and by a word,
 * answers the company, closes the case choosing an outcome, and reopens it — each action confirmed
 * in the reader's language — in Danish and in English, on a desktop and on a phone.
 */

let browser: Browser;
let svc: Service;
let site: string;

beforeAll(async () => {
  const [b, started] = await Promise.all([launchBrowser(), startSite()]);
  browser = b;
  svc = started.svc;
  site = started.site;
  // Fyn lists two consultants: Anna of the job centre, Bo of the VEU centre.
  await storeConsortia(svc, (c) =>
    c.id === "rar-fyn"
      ? { ...c, consultants: [ANNA, { name: "Bo Veu", email: BO_EMAIL, system: "veuCentre" }] }
      : c,
  );
});
afterAll(async () => {
  await browser?.close();
  await svc?.stop();
});

const BO_EMAIL = "bo@veu.fyn.example";
const ANNA = { name: "Anna Fyn", email: "anna@jobcenter.fyn.example", system: "jobCentre" } as const;
const CVR = "11696422";
const COMPANY = "Fynske Stålværker ApS";

/** A request through the public API, delivered to its inbox; its reference. */
async function submit(municipalityCode: string, description: string): Promise<string> {
  const res = await fetch(`${site}/api/requests`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      company: { cvr: CVR, name: COMPANY, municipalityCode, employees: 40 },
      contact: { name: "Lise Lund", email: "lise@staal.example.dk", language: "da" },
      request: { description },
      consent: true,
    }),
  });
  expect(res.status).toBe(202);
  const { reference } = (await res.json()) as { reference: string };
  await waitDelivered(svc, reference);
  return reference;
}

const text = async (page: Page, selector: string) => (await page.locator(selector).innerText()).trim();
const rowOf = (page: Page, reference: string) => page.locator("tbody tr", { hasText: reference });
/** The live confirmation an action left on the page it led to. */
const confirmation = (page: Page) => text(page, "p.confirmation[role=status]");

/** Searches with the inbox's own form, as a consultant types it. */
async function search(page: Page, q: string) {
  await page.fill("#f-q", q);
  await clickAndWait(page, "form.filters button[type=submit]");
}

/** No two entries of the timeline share any pixel (today's lines overlapped their neighbours). */
async function expectTimelineReadable(page: Page) {
  const boxes = await page.locator(".timeline > li").evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom };
    }),
  );
  expect(boxes.length).toBeGreaterThan(2);
  for (let i = 1; i < boxes.length; i++)
    expect(boxes[i]?.top ?? 0, `timeline entry ${i} starts inside the one before`).toBeGreaterThanOrEqual(
      boxes[i - 1]?.bottom ?? 0,
    );
}

let fyn = "";
let elsewhere = "";

describe("working a case in Danish", () => {
  it("finds the case by CVR and by a word, with the hit marked", async () => {
    elsewhere = await submit("101", "Vi vil gerne tale om vækst og eksport til Tyskland.");
    fyn = await submit("461", "Vi søger to svejsere og en CNC-operatør til fast ansættelse på værkstedet.");
    const anna = await openPage(browser);
    await signIn(anna, site, { role: "consultant", consortiumId: "rar-fyn", name: "Anna Fyn" });
    // Every case carries its due time: a new one is due by a day, not yet overdue.
    expect(await rowOf(anna, fyn).locator("td").nth(5).innerText()).toMatch(
      /^Første kontakt: senest \d{1,2}\. /,
    );

    await search(anna, "1169642");
    expect(await anna.inputValue("#f-q")).toBe("1169642");
    expect(await text(anna, "#h-results")).toBe("Søgeresultater for “1169642”, nyeste først");
    expect(await rowOf(anna, fyn).count()).toBe(1);
    expect(await anna.locator("tbody tr").count()).toBe(1); // the Hovedstaden case is not Fyn's to see
    expect(await rowOf(anna, fyn).locator(".hit").innerText()).toBe(`Fundet i CVR-nummer: ${CVR}`);
    expect(await rowOf(anna, fyn).locator(".hit mark").innerText()).toBe("1169642");
    await expectAccessible(anna, "work-search-cvr");

    // A word of the request, typed without the Danish letters.
    await search(anna, "svejsere vaerkstedet");
    expect(await rowOf(anna, fyn).locator(".hit").innerText()).toContain("Fundet i henvendelsen:");
    expect(await rowOf(anna, fyn).locator(".hit mark").allInnerTexts()).toEqual(["svejsere", "værkstedet"]);
    await screenshot(anna, "work-search-word");

    // The filters narrow the same search: nobody holds it, so "mine" finds nothing and "unclaimed" it.
    await anna.selectOption("#f-show", "mine");
    await clickAndWait(anna, "form.filters button[type=submit]");
    expect(await rowOf(anna, fyn).count()).toBe(0);
    await anna.selectOption("#f-show", "unclaimed");
    await clickAndWait(anna, "form.filters button[type=submit]");
    expect(await rowOf(anna, fyn).count()).toBe(1);
  });

  it("gives the case to a colleague and back, records a call, answers the company, closes choosing an outcome and reopens, each confirmed", async () => {
    const anna = await openPage(browser);
    await signIn(anna, site, {
      role: "consultant",
      consortiumId: "rar-fyn",
      name: "Anna Fyn",
      email: ANNA.email,
    });
    await anna.goto(`${site}/inbox/cases/${fyn}`);
    expect(await anna.locator("main > dl.facts").innerText()).toMatch(/Første kontakt\s+senest /);
    // The company's other case is in another consortium: its name, no link to a page Anna may not open.
    const history = anna.locator("section[aria-labelledby=h-history] li");
    expect(await history.innerText()).toContain(`${elsewhere} – Hos teamet – Konsortium Hovedstaden`);
    expect(await history.locator("a").count()).toBe(0);

    // Given to a colleague: the job centre's consultant is suggested for a recruitment case.
    expect(await text(anna, "#f-assign option:checked")).toBe("Anna Fyn – Jobcenter");
    await anna.selectOption("#f-assign", BO_EMAIL);
    await clickAndWait(anna, "button:text-is('Giv sagen')");
    expect(await confirmation(anna)).toBe("Sagen er givet videre, og konsulenten får besked på e-mail.");
    expect(await anna.locator("main > dl.facts").innerText()).toContain("Bo Veu");
    await expectAccessible(anna, "work-assigned");
    // Then given back to Anna, listed under her e-mail: the case is hers, with nothing to claim.
    await anna.selectOption("#f-assign", ANNA.email);
    await clickAndWait(anna, "button:text-is('Giv sagen')");
    expect(await anna.locator("button:text-is('Tag sagen'), button:text-is('Overtag sagen')").count()).toBe(
      0,
    );

    await anna.fill("#f-note", "Ringede til Lise: de vil gerne have kandidater i næste uge.");
    await anna.selectOption("#f-contact", "phone");
    await clickAndWait(anna, "button:text-is('Tilføj notat')");
    expect(await confirmation(anna)).toBe("Notatet er gemt, og kontakten med virksomheden er registreret.");
    expect(await anna.locator("main > dl.facts").innerText()).toMatch(/Første kontakt\s+Nået /);
    expect(await anna.locator(".timeline li", { hasText: "Notat" }).innerText()).toContain(
      "Anna Fyn (Telefon)",
    );

    await anna.fill("#company-message", "Tak for snakken. Vi sender tre kandidater på mandag.");
    await clickAndWait(anna, "#conversation button[type=submit]");
    expect(await text(anna, "#conversation [role=status]")).toBe("Beskeden er sendt til virksomheden.");

    // Closing asks for the outcome: none is chosen for the consultant.
    expect(await anna.inputValue("#f-outcome")).toBe("");
    expect(await text(anna, "#f-outcome option:checked")).toBe("Vælg et resultat");
    // Past the browser's own check (a form without JavaScript validation): the page says it, at the field.
    await anna.$eval("#f-outcome", (e) => e.removeAttribute("required"));
    const refused = anna.waitForResponse((r) => r.url().endsWith(`/inbox/cases/${fyn}/status`));
    await clickAndWait(anna, "button:text-is('Afslut sagen')");
    expect((await refused).status()).toBe(400);
    expect(await text(anna, "#f-outcome-error")).toBe("Vælg, hvordan sagen endte.");
    expect(await anna.getAttribute("#f-outcome", "aria-invalid")).toBe("true");
    expect(await text(anna, "[role=alert]")).toBe("Det gik ikke: Vælg, hvordan sagen endte.");
    expect(await anna.locator("main").innerText()).not.toMatch(/Invalid|expected|outcome/);
    await expectAccessible(anna, "work-close-refused");

    await anna.selectOption("#f-outcome", "recruited");
    await clickAndWait(anna, "button:text-is('Afslut sagen')");
    expect(await confirmation(anna)).toBe("Sagen er afsluttet.");
    expect(await text(anna, "main > dl.facts dd:first-of-type")).toBe("Afsluttet – Rekrutteret");
    // A closed case takes no notes, follow-ups or messages: the page does not offer them.
    expect(
      await anna.locator("#f-note, #f-contact, #company-message, form[action*=follow-ups]").count(),
    ).toBe(0);
    expect(await anna.locator(".timeline li").last().innerText()).toMatch(
      /Sagen er afsluttet – Anna Fyn\s+Rekrutteret$/,
    );
    await expectTimelineReadable(anna);
    await expectAccessible(anna, "work-closed");
    await screenshot(anna, "work-closed");

    await anna.fill("#f-reopen-reason", "Virksomheden mangler endnu en svejser");
    await clickAndWait(anna, "button:text-is('Genåbn sagen')");
    expect(await confirmation(anna)).toBe("Sagen er genåbnet, og du har den nu.");
    expect(await text(anna, "main > dl.facts .badge")).toBe("I gang");
    expect(await anna.locator(".timeline li").last().innerText()).toContain(
      "Virksomheden mangler endnu en svejser",
    );
    expect(await anna.locator("#f-note").count()).toBe(1);
    // Every line of the Danish page is Danish: none of the English words the page used to leak.
    const main = await anna.locator("main").innerText();
    for (const english of ["Growth help", "follow-up done", "recruited", "rar-fyn", "rar-hovedstaden"])
      expect(main, english).not.toContain(english);
  });

  it("refuses a search over the limit at the search field, with 400 and in Danish", async () => {
    const anna = await openPage(browser);
    await signIn(anna, site, { role: "consultant", consortiumId: "rar-fyn", name: "Anna Fyn" });
    const nineWords = "en to tre fire fem seks syv otte ni";
    const refused = anna.waitForResponse(
      (r) => new URL(r.url()).pathname === "/inbox" && r.request().method() === "GET",
    );
    await search(anna, nineWords);
    expect((await refused).status()).toBe(400);
    expect(await text(anna, "#f-q-error")).toBe("Søgningen må højst være 200 tegn og 8 ord.");
    expect(await anna.getAttribute("#f-q", "aria-invalid")).toBe("true");
    expect(await anna.inputValue("#f-q")).toBe(nineWords);
    await expectAccessible(anna, "work-search-refused");
    // Longer than the field lets one type (a link, a script): the same answer.
    const long = await anna.goto(`${site}/inbox?q=${"a".repeat(201)}`);
    expect(long?.status()).toBe(400);
    expect(await text(anna, "#f-q-error")).toBe("Søgningen må højst være 200 tegn og 8 ord.");
  });
});

describe("in English and on a phone", () => {
  it("the same work reads in English, and a refused search is refused in English", async () => {
    const bo = await openPage(browser);
    await signIn(bo, site, { role: "consultant", consortiumId: "rar-fyn", name: "Bo Fyn" });
    await clickAndWait(bo, "header a.lang");
    expect(await bo.getAttribute("html", "lang")).toBe("en");
    await search(bo, "Stålværker");
    expect(await rowOf(bo, fyn).locator(".hit").innerText()).toBe(`Found in company: ${COMPANY}`);
    expect(await rowOf(bo, fyn).locator("td").nth(5).innerText()).toMatch(/^Close: by \d{1,2} \w+ \d{4}$/);
    await expectAccessible(bo, "work-search-en");

    await clickAndWait(bo, `tbody a:text-is("${fyn}")`);
    await clickAndWait(bo, "button:text-is('Take over the case')");
    expect(await confirmation(bo)).toBe("You have claimed the case.");
    expect(await text(bo, "#f-outcome option:checked")).toBe("Choose an outcome");
    await bo.selectOption("#f-outcome", "referred");
    await clickAndWait(bo, "button:text-is('Close the case')");
    expect(await confirmation(bo)).toBe("The case is closed.");
    expect(await bo.locator(".timeline li").last().innerText()).toMatch(
      /The case is closed – Bo Fyn\s+Referred$/,
    );
    await bo.fill("#f-reopen-reason", "The company called again");
    await clickAndWait(bo, "button:text-is('Reopen the case')");
    expect(await confirmation(bo)).toBe("The case is reopened, and you hold it now.");
    await expectAccessible(bo, "work-reopened-en");

    const refused = await bo.goto(
      `${site}/inbox?q=${encodeURIComponent("one two three four five six seven eight nine")}`,
    );
    expect(refused?.status()).toBe(400);
    expect(await text(bo, "#f-q-error")).toBe("A search may be at most 200 characters and 8 words.");
  });

  it("the filter form, the list and the case fit a phone (390×844)", async () => {
    const phone = await openPage(browser, {
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    await signIn(phone, site, { role: "consultant", consortiumId: "rar-fyn", name: "Anna Fyn" });
    await expectNoHorizontalScroll(phone, "the inbox on a phone");
    await search(phone, "svejsere");
    expect(await rowOf(phone, fyn).count()).toBe(1);
    await expectNoHorizontalScroll(phone, "search results on a phone");
    // Each case a card: no cell sticks out of the screen (a table that scrolls sideways would).
    const rights = await phone
      .locator("form.filters, table.cases td")
      .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right));
    expect(Math.max(...rights)).toBeLessThanOrEqual(390);
    await expectAccessible(phone, "work-search-phone");
    await screenshot(phone, "work-search-phone");
    await phone.goto(`${site}/inbox/cases/${fyn}`);
    await expectNoHorizontalScroll(phone, "the case on a phone");
    await expectTimelineReadable(phone);
    await screenshot(phone, "work-case-phone");
  });
});
