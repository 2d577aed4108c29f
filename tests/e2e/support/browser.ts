import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import axe from "axe-core";
import { type Browser, type BrowserContextOptions, chromium, type Page } from "playwright-core";
import { expect } from "vitest";
import { startTestService, waitFor } from "#tests/support/local.ts";
import { AXE_RESULTS, CHROMIUM, SCREENSHOTS } from "./paths.ts";

/** WCAG 2.1 A and AA: what Danish public-sector sites must meet (webtilgængelighedsloven). */
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/**
 * Chromium headless on this machine: no sandbox (CI runs as root), no GPU, and none of the
 * background traffic (updates, sync, QUIC probes) that would hammer a machine without internet.
 * Playwright adds `--headless`, `--no-sandbox` and a fresh temporary `--user-data-dir` of its own on
 * every launch (it refuses one in `args`); they are listed here too so that the command is complete.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does this)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * The service under test. `startTestService()` is the same start-up as `npm start` (local/start.ts
 * calls the same `startLocalService`): DynamoDB Local, fauxqs, the pollers running the Lambda
 * handlers, and both HTTP apps on loopback, here on free ports in a fresh data directory.
 *
 * The browser uses the service's public origin (`PUBLIC_BASE_URL`, http://localhost:<port>), the
 * origin of the status links it sends companies, so that a followed status link stays on the site
 * (and its language cookie) the company is on.
 */
export async function startSite() {
  // Errors are logged (a 500 behind a page shows its cause in the test output); rules apply at once.
  const svc = await startTestService({ env: { RULES_CACHE_SECONDS: "0" }, logLevel: "ERROR" });
  return { svc, site: svc.ctx.config.PUBLIC_BASE_URL.replace(/\/$/, "") };
}

export type Service = Awaited<ReturnType<typeof startSite>>["svc"];

/**
 * A browser context for a Danish visitor (Accept-Language da). `bypassCSP` lets the tests inject
 * axe-core as an inline script: the pages send a strict CSP (`script-src 'self'`) that would block it,
 * and the app's CSP is not weakened for the tests. It also makes the XSS checks stricter: a script
 * that escaped the templates would run here instead of being stopped by the CSP, so they test the
 * escaping itself. The check that the pages work under their real CSP (public-form.e2e.ts) opens a
 * context with `bypassCSP: false`.
 */
export function contextOptions(extra: BrowserContextOptions = {}): BrowserContextOptions {
  return {
    bypassCSP: true,
    locale: "da-DK",
    timezoneId: "Europe/Copenhagen",
    viewport: { width: 1280, height: 900 },
    ...extra,
  };
}

/** One person at one browser: a context of their own (cookies, language), and a page in it. */
export async function openPage(browser: Browser, extra: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext(contextOptions(extra));
  context.setDefaultTimeout(15_000); // fail on a missing element well before the test's own timeout
  return context.newPage();
}

/** Saves a full-page PNG as a test artefact: test-results/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string, fullPage = true) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });
}

interface AxeWindow {
  axe: typeof axe;
}

/**
 * Runs axe-core (WCAG 2.1 A + AA rules) on the page as it is now. Fails on any serious or critical
 * violation, printing each with its help text and the elements concerned; minor and moderate ones are
 * printed (and kept in test-results/axe/<name>.json) but do not fail.
 */
export async function expectAccessible(page: Page, name: string) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: axe.source });
  const results = await page.evaluate(
    (tags) =>
      (window as unknown as AxeWindow).axe.run(document, {
        runOnly: { type: "tag", values: tags },
        resultTypes: ["violations"],
      }),
    WCAG_TAGS,
  );
  // A run that checked nothing would pass too: the WCAG rules must really have been applied.
  expect(results.passes.length + results.violations.length, `axe checked nothing on ${name}`).toBeGreaterThan(
    5,
  );
  mkdirSync(AXE_RESULTS, { recursive: true });
  writeFileSync(
    join(AXE_RESULTS, `${name}.json`),
    JSON.stringify({ url: results.url, violations: results.violations }, null, 2),
  );
  const describe = (v: axe.Result) =>
    `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${v.nodes
      .slice(0, 8)
      .map(
        (n) => `      ${n.target.join(" ")}\n        ${n.failureSummary?.replace(/\n/g, "\n        ") ?? ""}`,
      )
      .join("\n")}`;
  const blocking = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const other = results.violations.filter((v) => !blocking.includes(v));
  if (other.length > 0)
    console.info(
      `axe ${name} (${page.url()}): ${other.length} minor/moderate\n${other.map(describe).join("\n")}`,
    );
  expect(
    blocking,
    `axe: serious or critical WCAG 2.1 AA violations on ${name} (${page.url()}):\n${blocking.map(describe).join("\n")}`,
  ).toEqual([]);
}

/** The page's horizontal overflow: a phone user must never scroll sideways. */
export async function expectNoHorizontalScroll(page: Page, name: string) {
  const { scrollWidth, innerWidth, wide } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    // The elements that stick out, to say what to fix.
    wide: [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
      .slice(0, 5)
      .map(
        (e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ""}${e.className ? `.${e.className}` : ""}`,
      ),
  }));
  expect(scrollWidth, `${name} scrolls sideways at ${innerWidth}px: ${wide.join(", ")}`).toBeLessThanOrEqual(
    innerWidth,
  );
}

/** Signs in through the real local sign-in page (`/signin`): role, consortium, name. */
export async function signIn(
  page: Page,
  site: string,
  who:
    | { role: "consultant"; consortiumId: string; name: string; email?: string }
    | { role: "admin"; name: string },
) {
  await page.goto(`${site}/signin`);
  await page.check(`input[name=role][value=${who.role}]`);
  if (who.role === "consultant") await page.selectOption("#f-consortium", who.consortiumId);
  await page.fill("#f-name", who.name);
  if (who.role === "consultant" && who.email) await page.fill("#f-email", who.email);
  await Promise.all([page.waitForURL(/\/inbox/), page.click("main button[type=submit]")]);
}

/** Waits until the case is in an inbox (delivered), through the service's own store. */
export async function waitDelivered(svc: Service, reference: string) {
  await waitFor(
    async () => ((await svc.ctx.cases.get(reference))?.status === "delivered" ? true : undefined),
    20_000,
    `${reference} delivered`,
  );
}

/** The reference on a status page's URL. */
export function referenceOf(url: string): string {
  const m = /\/status\/(IND-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(url);
  if (!m?.[1]) throw new Error(`no reference in ${url}`);
  return m[1];
}

/** A request form filled in as a company would, field by field (the caller submits). */
export interface FormInput {
  cvr: string;
  name: string;
  municipality: string;
  employees?: string;
  industry?: string;
  contactName: string;
  email: string;
  phone?: string;
  language?: "da" | "en";
  description: string;
  needs?: string[];
  consent: boolean;
}

export async function fillForm(page: Page, f: FormInput) {
  await page.fill("#f-company-cvr", f.cvr);
  await page.fill("#f-company-name", f.name);
  await page.selectOption("#f-company-municipalityCode", { label: f.municipality });
  await page.fill("#f-company-employees", f.employees ?? "");
  await page.fill("#f-company-industry", f.industry ?? "");
  await page.fill("#f-contact-name", f.contactName);
  await page.fill("#f-contact-email", f.email);
  await page.fill("#f-contact-phone", f.phone ?? "");
  if (f.language) await page.check(`input[name="contact.language"][value=${f.language}]`);
  await page.fill("#f-request-description", f.description);
  for (const need of f.needs ?? []) await page.check(`input[name="request.needHints"][value=${need}]`);
  await page.setChecked("#f-consent", f.consent);
}

/** Clicks (a link or a submit button) and waits until the page it leads to has loaded. */
export async function clickAndWait(page: Page, selector: string) {
  const navigated = page.waitForEvent("framenavigated", (f) => f === page.mainFrame());
  await page.click(selector);
  await navigated;
  await page.waitForLoadState("load");
}

/** Submits the request form and waits for the answer page. */
export async function submitForm(page: Page) {
  await clickAndWait(page, "main form button[type=submit]");
}
