import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  clickAndWait,
  expectAccessible,
  expectNoHorizontalScroll,
  type FormInput,
  fillForm,
  launchBrowser,
  openPage,
  referenceOf,
  type Service,
  screenshot,
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

const DANISH_MONTHS = "januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december";
const ENGLISH_MONTHS =
  "January|February|March|April|May|June|July|August|September|October|November|December";
/** "27. november 2026 kl. 14.05" — how Danes write a date and a time. */
const DANISH_DATE_TIME = new RegExp(`^\\d{1,2}\\. (${DANISH_MONTHS}) \\d{4} kl\\. \\d{2}\\.\\d{2}$`);
const ENGLISH_DATE_TIME = new RegExp(`^\\d{1,2} (${ENGLISH_MONTHS}) \\d{4} at \\d{2}:\\d{2}$`);
const REFERENCE = /^IND-[0-9A-Z]{4}-[0-9A-Z]{4}$/;

const VALID_CVR = "11696422";
const BAD_CVR = "12345678"; // eight digits, but the modulus-11 check fails

const danish: FormInput = {
  cvr: BAD_CVR,
  name: "Café Nørrebro ApS",
  municipality: "Odense",
  employees: "14",
  industry: "Restauration",
  contactName: "Mette Hansen",
  email: "mette@cafe.example.dk",
  phone: "+45 12 34 56 78",
  description: "Vi mangler to kokke og en opvasker til fast ansættelse fra foråret.",
  needs: ["recruitment"],
  consent: false,
};

const text = async (page: Page, selector: string) => (await page.locator(selector).innerText()).trim();
const attr = async (page: Page, selector: string, name: string) => page.locator(selector).getAttribute(name);
const summaryItems = (page: Page) => page.locator(".error-summary li").allInnerTexts();

/** The checks every error page gets: the summary, and each error next to its field, wired for screen readers. */
async function expectFieldErrors(page: Page, expected: Record<string, string>) {
  expect(page.url()).toMatch(/\/\?lang=(da|en)$/);
  expect(await summaryItems(page)).toEqual(Object.values(expected));
  for (const [id, message] of Object.entries(expected)) {
    const errorId = id === "f-consent" ? "err-consent" : `${id}-error`;
    expect(await text(page, `#${errorId}`)).toBe(message);
    expect(await attr(page, `#${id}`, "aria-invalid")).toBe("true");
    expect((await attr(page, `#${id}`, "aria-describedby"))?.split(" ")).toContain(errorId);
    // Next to the field: the message and the control share one field container.
    const together = await page.evaluate(
      ([field, error]) =>
        document.getElementById(field)?.closest(".field") ===
        document.getElementById(error)?.closest(".field"),
      [id, errorId] as const,
    );
    expect(together, `${errorId} is in the same field as #${id}`).toBe(true);
    const summaryLink = page.locator(`.error-summary a[href="#${id}"]`);
    expect(await summaryLink.innerText()).toBe(message);
  }
}

describe("a company fills in the form in Danish", () => {
  it("reads short help, makes mistakes, sees them next to the fields, corrects them, gets a reference and follows its case", async () => {
    const page = await openPage(browser);
    const response = await page.goto(`${site}/`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-security-policy"]).toContain("script-src 'self'");
    expect(await attr(page, "html", "lang")).toBe("da");
    expect(await text(page, "h1")).toBe("Fortæl os, hvad din virksomhed har brug for");
    expect(await page.title()).toBe("Fortæl os, hvad din virksomhed har brug for – Indgang");
    // Plain help next to the fields a company may be unsure of, read out with them.
    for (const [field, help] of [
      ["f-company-cvr", /^8 cifre\. Du finder det på virk\.dk/],
      ["f-company-municipalityCode", /^Den kommune, hvor virksomheden/],
      ["f-request-description", /^Skriv med jeres egne ord/],
    ] as const) {
      expect(await text(page, `#${field}-help`)).toMatch(help);
      expect(await attr(page, `#${field}`, "aria-describedby")).toContain(`${field}-help`);
      expect(await page.locator(`label[for=${field}]`).count()).toBe(1);
    }
    expect(await page.locator("#f-company-municipalityCode option").count()).toBe(99); // 98 + "Vælg kommune"
    await expectAccessible(page, "form-da");
    await screenshot(page, "form-da");

    // Mistakes: a CVR number that fails its check digit, and no consent.
    await fillForm(page, danish);
    await submitForm(page);
    await expectFieldErrors(page, {
      "f-company-cvr": "Skriv et gyldigt CVR-nummer på 8 cifre",
      "f-consent": "Vi skal have jeres samtykke for at kunne hjælpe",
    });
    // Nothing typed is lost.
    expect(await page.inputValue("#f-company-name")).toBe(danish.name);
    expect(await page.inputValue("#f-company-municipalityCode")).toBe("461");
    expect(await page.inputValue("#f-request-description")).toBe(danish.description);
    expect(await page.isChecked('input[name="request.needHints"][value=recruitment]')).toBe(true);
    expect(await page.locator(".field.has-error").count()).toBe(2);
    await expectAccessible(page, "form-errors-da");
    await screenshot(page, "form-errors-da");

    // An error link takes the company to its field.
    await page.click('.error-summary a[href="#f-company-cvr"]');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("f-company-cvr");

    // Corrected and sent.
    await page.fill("#f-company-cvr", VALID_CVR);
    await page.check("#f-consent");
    await submitForm(page);
    expect(page.url()).toMatch(/\/status\/IND-[0-9A-Z]{4}-[0-9A-Z]{4}\?token=[^&]+&submitted=1&lang=da$/);
    const reference = referenceOf(page.url());
    expect(await text(page, ".confirmation h1")).toBe("Tak – vi har modtaget jeres henvendelse");
    expect(await text(page, ".confirmation .reference")).toMatch(REFERENCE);
    expect(await text(page, ".confirmation .reference")).toBe(reference);
    expect(await text(page, "dl.facts dd:nth-of-type(3)")).toMatch(DANISH_DATE_TIME);
    expect(await text(page, ".timeline li:first-child time")).toMatch(DANISH_DATE_TIME);
    const statusLink = page.locator(".confirmation a");
    const href = await statusLink.getAttribute("href");
    expect(href).toMatch(new RegExp(`^${site}/status/${reference}\\?token=`));
    expect(await statusLink.innerText()).toBe(href); // the link a company can copy is written out
    await expectAccessible(page, "confirmation-da");
    await screenshot(page, "confirmation-da");

    // The status link, later: the case has reached its team.
    await waitDelivered(svc, reference);
    await clickAndWait(page, ".confirmation a");
    expect(page.url()).toBe(href);
    expect(await page.locator(".confirmation").count()).toBe(0);
    expect(await text(page, "h1")).toBe(`Status for sag ${reference}`);
    expect(await text(page, ".badge")).toBe("Hos teamet");
    expect(await page.locator("dl.facts").innerText()).toMatch(/Team\s+Konsortium Fyn/);
    expect(await page.locator("dl.facts").innerText()).toMatch(/Behov\s+Rekruttering/);
    expect(await page.locator(".timeline li").allInnerTexts()).toEqual([
      expect.stringMatching(/Henvendelsen er modtaget$/),
      expect.stringMatching(/Henvendelsen er sendt til teamet$/),
      expect.stringMatching(/Teamet har modtaget sagen$/),
    ]);
    await expectAccessible(page, "status-da");
    await screenshot(page, "status-da");
  });
});

describe("a company chooses English", () => {
  it("switches once, is answered in English on every page after, and can switch back", async () => {
    const page = await openPage(browser); // a Danish browser: the choice, not the browser, decides
    await page.goto(`${site}/`);
    expect(await attr(page, "html", "lang")).toBe("da");
    const english = page.locator("header a.lang");
    expect(await english.innerText()).toBe("English");
    expect(await english.getAttribute("lang")).toBe("en");
    await clickAndWait(page, "header a.lang");
    expect(await attr(page, "html", "lang")).toBe("en");
    expect(await text(page, "h1")).toBe("Tell us what your company needs");
    await expectAccessible(page, "form-en");
    await screenshot(page, "form-en");

    // Remembered: another page, without ?lang, is in English too; and the choice lasts.
    const missing = await page.goto(`${site}/status/IND-0000-0000?token=nope`);
    expect(missing?.status()).toBe(404);
    expect(await attr(page, "html", "lang")).toBe("en");
    expect(await text(page, "h1")).toBe("Page not found");
    await expectAccessible(page, "not-found-en");
    await clickAndWait(page, "main a[href='/']");
    expect(page.url()).toBe(`${site}/`);
    expect(await attr(page, "html", "lang")).toBe("en");
    const cookie = (await page.context().cookies()).find((c) => c.name === "lang");
    expect(cookie?.value).toBe("en");
    expect(cookie?.expires ?? 0).toBeGreaterThan(Date.now() / 1000 + 300 * 24 * 3600);

    await fillForm(page, {
      ...danish,
      name: "Nordic Robotics ApS",
      municipality: "Aarhus",
      contactName: "Sam Taylor",
      email: "sam@robotics.example.com",
      language: "en",
      description: "We need training for our engineers in welding certification and new safety courses.",
      needs: [],
      employees: "1250",
    });
    await submitForm(page);
    await expectFieldErrors(page, {
      "f-company-cvr": "Enter a valid 8-digit CVR number",
      "f-consent": "We need your consent to be able to help",
    });
    expect(await attr(page, "html", "lang")).toBe("en");
    await expectAccessible(page, "form-errors-en");
    await screenshot(page, "form-errors-en");

    await page.fill("#f-company-cvr", VALID_CVR);
    await page.check("#f-consent");
    await submitForm(page);
    const reference = referenceOf(page.url());
    expect(await text(page, ".confirmation h1")).toBe("Thank you – we have received your request");
    expect(await text(page, ".timeline li:first-child time")).toMatch(ENGLISH_DATE_TIME);
    await expectAccessible(page, "confirmation-en");
    await screenshot(page, "confirmation-en");

    await waitDelivered(svc, reference);
    await clickAndWait(page, ".confirmation a");
    expect(await attr(page, "html", "lang")).toBe("en");
    expect(await text(page, "h1")).toBe(`Status of case ${reference}`);
    expect(await text(page, ".badge")).toBe("With the team");
    await screenshot(page, "status-en");

    // And back to Danish, remembered the same way.
    await clickAndWait(page, "header a.lang");
    expect(await attr(page, "html", "lang")).toBe("da");
    await page.goto(`${site}/`);
    expect(await attr(page, "html", "lang")).toBe("da");
  });
});

describe("without JavaScript", () => {
  it("the form shows its errors and sends the request all the same", async () => {
    const page = await openPage(browser, { javaScriptEnabled: false });
    await page.goto(`${site}/`);
    await fillForm(page, { ...danish, cvr: VALID_CVR, email: "mette@" });
    await submitForm(page);
    await expectFieldErrors(page, {
      "f-contact-email": "Skriv en gyldig e-mailadresse, f.eks. navn@firma.dk",
      "f-consent": "Vi skal have jeres samtykke for at kunne hjælpe",
    });
    await page.fill("#f-contact-email", "mette@cafe.example.dk");
    await page.check("#f-consent");
    await submitForm(page);
    expect(await text(page, ".confirmation .reference")).toMatch(REFERENCE);
    expect(await svc.ctx.cases.get(referenceOf(page.url()))).toMatchObject({
      payload: { company: { cvr: VALID_CVR }, contact: { email: "mette@cafe.example.dk" } },
    });
  });
});

describe("with the keyboard only", () => {
  /** What has the focus: its id, or its text for a link or a button. */
  const focused = (page: Page) =>
    page.evaluate(() => {
      const e = document.activeElement as HTMLElement | null;
      if (!e || e === document.body) return "(body)";
      if (e.id) return `#${e.id}`;
      if (e instanceof HTMLInputElement) return `${e.type}:${e.name}=${e.value}`;
      return `${e.tagName.toLowerCase()}:${e.textContent?.trim()}`;
    });
  const tab = async (page: Page, key = "Tab") => {
    await page.keyboard.press(key);
    return focused(page);
  };

  it("goes through the form in reading order, sees where focus is, and reaches a field from its error", async () => {
    const page = await openPage(browser);
    await page.goto(`${site}/`);
    expect(await tab(page)).toBe("a:Gå til indhold");
    // The focused element is clearly marked.
    const outline = await page.evaluate(
      () => getComputedStyle(document.activeElement as Element).outlineStyle,
    );
    expect(outline).toBe("solid");
    await page.keyboard.press("Enter"); // skip the header: the next Tab lands in the form
    const order: string[] = [];
    const typed: Record<string, string> = {
      "#f-company-cvr": BAD_CVR,
      "#f-company-name": "Tømrer Jensen ApS",
      "#f-company-municipalityCode": "Vejle",
      "#f-company-employees": "8",
      "#f-contact-name": "Lars Jensen",
      "#f-contact-email": "lars@tomrer.example.dk",
      "#f-request-description": "Vi vil gerne sende to svende på kursus i tagkonstruktioner.",
    };
    for (let i = 0; i < 40; i++) {
      const at = await tab(page);
      order.push(at);
      if (at === "#f-company-cvr") await screenshot(page, "form-keyboard-focus", false);
      const value = typed[at];
      if (value) await page.keyboard.type(value);
      if (at === "button:Send henvendelse") break;
    }
    expect(order).toEqual([
      "#f-company-cvr",
      "#f-company-name",
      "#f-company-municipalityCode",
      "#f-company-employees",
      "#f-company-industry",
      "#f-contact-name",
      "#f-contact-email",
      "#f-contact-phone",
      "radio:contact.language=da", // one stop for the group, on the chosen language
      "#f-request-description",
      "checkbox:request.needHints=growth",
      "checkbox:request.needHints=recruitment",
      "checkbox:request.needHints=upskilling",
      "#f-request-timeframe",
      "#f-consent",
      "button:Send henvendelse",
    ]);
    expect(await page.inputValue("#f-company-municipalityCode")).toBe("630"); // Vejle, by typing its name
    const navigated = page.waitForEvent("framenavigated");
    await page.keyboard.press("Enter");
    await navigated;
    await page.waitForLoadState("load");
    expect(await summaryItems(page)).toEqual([
      "Skriv et gyldigt CVR-nummer på 8 cifre",
      "Vi skal have jeres samtykke for at kunne hjælpe",
    ]);

    // From the top: skip link, site name, language, then the error summary's links.
    expect(await tab(page)).toBe("a:Gå til indhold");
    expect(await tab(page)).toBe("a:Indgang");
    expect(await tab(page)).toBe("a:English");
    expect(await tab(page)).toBe("a:Skriv et gyldigt CVR-nummer på 8 cifre");
    await page.keyboard.press("Enter");
    expect(await focused(page)).toBe("#f-company-cvr");
    await page.keyboard.press("Control+A");
    await page.keyboard.type(VALID_CVR);
    // Back into the summary (the link before the field), to the consent error, and to its checkbox.
    expect(await tab(page, "Shift+Tab")).toBe("a:Vi skal have jeres samtykke for at kunne hjælpe");
    await page.keyboard.press("Enter");
    expect(await focused(page)).toBe("#f-consent");
    await page.keyboard.press("Space");
    expect(await page.isChecked("#f-consent")).toBe(true);
    expect(await tab(page)).toBe("button:Send henvendelse");
    const sent = page.waitForEvent("framenavigated");
    await page.keyboard.press("Enter");
    await sent;
    await page.waitForLoadState("load");
    expect(await text(page, ".confirmation .reference")).toMatch(REFERENCE);
    expect(await svc.ctx.cases.get(referenceOf(page.url()))).toMatchObject({
      payload: { company: { cvr: VALID_CVR, municipalityCode: "630", name: "Tømrer Jensen ApS" } },
    });
  });
});

describe("on a phone", () => {
  it("fits a 375 px screen without sideways scrolling, from the form to the status page", async () => {
    const page = await openPage(browser, {
      viewport: { width: 375, height: 812 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    await page.goto(`${site}/`);
    await expectNoHorizontalScroll(page, "form");
    // Fields use the width of the screen, and targets are big enough to tap.
    const box = await page.locator("#f-company-name").boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(300);
    expect(
      (await page.locator("main form button[type=submit]").boundingBox())?.height ?? 0,
    ).toBeGreaterThanOrEqual(44);
    await screenshot(page, "form-phone");
    await fillForm(page, danish);
    await submitForm(page);
    await expectNoHorizontalScroll(page, "form with errors");
    await expectAccessible(page, "form-errors-phone");
    await screenshot(page, "form-errors-phone");
    await page.fill("#f-company-cvr", VALID_CVR);
    await page.check("#f-consent");
    await submitForm(page);
    expect(await text(page, ".confirmation .reference")).toMatch(REFERENCE);
    await expectNoHorizontalScroll(page, "confirmation");
    await expectAccessible(page, "confirmation-phone");
    await screenshot(page, "confirmation-phone");
  });
});

describe("under the site's own Content Security Policy", () => {
  it("the pages render with their stylesheet and break no rule of the policy", async () => {
    const page = await openPage(browser, { bypassCSP: false });
    const refused: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) refused.push(m.text());
    });
    await page.goto(`${site}/`);
    const header = await page.evaluate(
      () => getComputedStyle(document.querySelector("header.site") as Element).backgroundColor,
    );
    expect(header).toBe("rgb(11, 83, 148)");
    await fillForm(page, { ...danish, cvr: VALID_CVR, consent: true });
    await submitForm(page);
    expect(await text(page, ".confirmation .reference")).toMatch(REFERENCE);
    await page.goto(`${site}/api/docs`);
    expect(refused).toEqual([]);
  });
});

describe("the accessibility check itself", () => {
  it("fails on a page with a serious violation, and says which", async () => {
    const page = await openPage(browser);
    await page.setContent(
      `<!doctype html><html lang="da"><head><title>x</title></head><body><main><h1>x</h1>` +
        `<input type="text" name="cvr"><p style="color:#bbb">grå tekst</p></main></body></html>`,
    );
    const failure = await expectAccessible(page, "self-test").then(
      () => "",
      (err: unknown) => String(err),
    );
    expect(failure).toContain("[critical] label");
    expect(failure).toContain("[serious] color-contrast");
  });
});
