import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "#tests/support/local.ts";
import {
  clickAndWait,
  expectAccessible,
  launchBrowser,
  openPage,
  type Service,
  startSite,
} from "./support/browser.ts";

/**
 * The company hears back, in a real browser: it reads its acknowledgement in the local outbox
 * page, follows the status link in it, and answers the team on the status page — in Danish and in
 * English, axe-clean at every step.
 */
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

async function submit(language: "da" | "en", email: string) {
  const res = await fetch(`${site}/api/requests`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      company: { cvr: "11696422", name: "Værkstedet ApS", municipalityCode: "400" },
      contact: { name: "Mette Hansen", email, language },
      request: { description: "Vi vil gerne ansætte en ny tømrer til værkstedet." },
      consent: true,
    }),
  });
  expect(res.status).toBe(202);
  const { reference } = (await res.json()) as { reference: string };
  await waitFor(
    async () => ((await svc.ctx.cases.get(reference))?.acknowledgedAt ? true : undefined),
    20_000,
  );
  return reference;
}

const cases = [
  {
    lang: "da" as const,
    email: "mette@vaerksted.example.dk",
    subject: "Vi har modtaget jeres henvendelse",
    reply: "Vi kan også tage en lærling.",
    sent: "Tak – jeres besked er sendt til teamet.",
  },
  {
    lang: "en" as const,
    email: "mette@workshop.example.com",
    subject: "We have received your request",
    reply: "We could also take an apprentice.",
    sent: "Thank you – your message has been sent to the team.",
  },
];

describe("the company's e-mail, in the browser", () => {
  for (const c of cases) {
    it(`${c.lang}: acknowledgement in the outbox → status link → a message to the team`, async () => {
      const reference = await submit(c.lang, c.email);
      const page = await openPage(browser, { locale: c.lang === "da" ? "da-DK" : "en-GB" });
      await page.goto(`${site}/dev/outbox?lang=${c.lang}`);
      await expectAccessible(page, `outbox-${c.lang}`);
      await clickAndWait(page, `a:has-text("${c.subject} (${reference})")`);
      await expect(page.locator("h1").innerText()).resolves.toBe(`${c.subject} (${reference})`);
      await expectAccessible(page, `outbox-mail-${c.lang}`);

      await clickAndWait(page, `pre a[href*="/status/${reference}"]`);
      expect(new URL(page.url()).pathname).toBe(`/status/${reference}`);
      await expectAccessible(page, `status-${c.lang}`);

      await page.fill("#message-text", c.reply);
      await clickAndWait(page, "#messages form button[type=submit]");
      await expect(page.locator("#messages [role=status]").innerText()).resolves.toBe(c.sent);
      await expect(page.locator("#messages .message-text").last().innerText()).resolves.toBe(c.reply);
      await expectAccessible(page, `status-after-reply-${c.lang}`);
      const stored = await svc.ctx.cases.get(reference);
      expect(stored?.newReplyAt).toBeDefined();
      await page.context().close();
    });
  }
});
