import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendSmtp } from "#local/smtp-client.ts";
import type { CaseRecord } from "#shared/cases/model.ts";
import { replyAddress } from "#shared/conversation/case-links.ts";
import { ungrantedCalls } from "#tests/support/grants.ts";
import { startTestService, submitAndDeliver, waitFor } from "#tests/support/local.ts";

/**
 * Replies by e-mail on the embedded stack: the consultant's message lands in the outbox with a
 * signed Reply-To; the company answers through the loopback SMTP receiver; the reply (without its
 * quoted history) is on the timeline, "from the company", and the case shows "new reply".
 */
let svc: Awaited<ReturnType<typeof startTestService>>;
let consultant: string;
let ref: string;
let replyTo: string;
let contact: string;

beforeAll(async () => {
  svc = await startTestService();
  consultant = await svc.issueToken({
    sub: "u-bh",
    name: "Karen",
    role: "consultant",
    consortiumId: "rar-bornholm",
  });
  const c = await submitAndDeliver(svc, "400", "Vi vil gerne ansætte en ny tømrer til værkstedet.");
  ref = c.reference;
  contact = c.payload.contact.email;
  const res = await fetch(`${svc.url}/api/inbox/cases/${ref}/messages`, {
    method: "POST",
    headers: { authorization: `Bearer ${consultant}`, "content-type": "application/json" },
    body: JSON.stringify({ text: "Hvornår kan tømreren starte?" }),
  });
  expect(res.status).toBe(201);
  const mail = await waitFor(async () => {
    const dir = join(svc.dataDir, "outbox");
    if (!existsSync(dir)) return undefined;
    return readdirSync(dir)
      .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as { replyTo?: string; text: string })
      .find((m) => m.text.includes("Hvornår kan tømreren starte?"));
  });
  replyTo = mail.replyTo ?? "";
  expect(replyTo).toMatch(/^svar\+/);
});
afterAll(async () => {
  await svc?.stop();
});

const message = (to: string, body: string, extraHeaders = "") =>
  [
    `From: Mette <${contact}>`,
    `To: ${to}`,
    "Subject: Re: Ny besked om jeres sag IND-0000-0000",
    "MIME-Version: 1.0",
    extraHeaders,
    "Content-Type: text/plain; charset=utf-8",
    "",
    body,
  ]
    .filter((l, i) => l !== "" || i > 4)
    .join("\r\n");

const caseNow = async () => (await svc.ctx.cases.get(ref)) as CaseRecord;
const companyMessages = async () =>
  (await caseNow()).timeline.filter((e) => e.event === "message_from_company");

describe("replies by e-mail through the local SMTP receiver", () => {
  it("a reply to the signed address lands on the timeline without its quoted history and marks the case", async () => {
    const body = [
      "Han kan starte 1. marts.",
      "",
      "Den 2. mar. 2026 kl. 10.00 skrev Indgang <noreply@indgang.example.dk>:",
      "> Hvornår kan tømreren starte?",
    ].join("\n");
    const r = await sendSmtp(svc.smtpPort, { from: contact, to: [replyTo] }, message(replyTo, body));
    expect(r.code).toBe(250);
    const msgs = await companyMessages();
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatchObject({ actor: "company", via: "email", detail: "Han kan starte 1. marts." });
    expect((await caseNow()).newReplyAt).toBeDefined();
    // The same message again (a retry or a replay) adds nothing.
    expect(
      (await sendSmtp(svc.smtpPort, { from: contact, to: [replyTo] }, message(replyTo, body))).code,
    ).toBe(250);
    expect(await companyMessages()).toHaveLength(1);
  });

  it("forged, expired and foreign addresses are dropped (250, no bounce to a forger) and change nothing", async () => {
    const before = (await caseNow()).timeline.length;
    const forged = replyTo.replace(/[0-9a-f]{20}@/, "00000000000000000000@");
    const secret = svc.ctx.config.CASE_LINK_SECRET as string;
    const expired = replyAddress(
      secret,
      ref,
      "svar.localhost",
      new Date(Date.now() - 400 * 86_400_000).toISOString(),
    );
    const foreign = replyTo.replace("@svar.localhost", "@evil.example.com");
    for (const to of [forged, expired, foreign, `kontakt@svar.localhost`]) {
      const r = await sendSmtp(svc.smtpPort, { from: contact, to: [to] }, message(to, `Forsøg til ${to}`));
      expect(r.code, to).toBe(250);
    }
    expect((await caseNow()).timeline.length).toBe(before);
  });

  it("oversized messages and attachments are refused with a clear SMTP error; nothing is stored", async () => {
    const before = (await caseNow()).timeline.length;
    const big = await sendSmtp(
      svc.smtpPort,
      { from: contact, to: [replyTo] },
      message(replyTo, "x".repeat(300 * 1024)),
    );
    expect(big.code).toBe(552);
    expect(big.text).toMatch(/too large/i);

    const boundary = "b1";
    const withPdf = [
      `From: ${contact}`,
      `To: ${replyTo}`,
      "Subject: Re: sag",
      "MIME-Version: 1.0",
      `Content-Type: multipart/mixed; boundary="${boundary}"`,
      "",
      `--${boundary}`,
      "Content-Type: text/plain; charset=utf-8",
      "",
      "Se vedhæftede CV.",
      `--${boundary}`,
      "Content-Type: application/pdf",
      'Content-Disposition: attachment; filename="cv.pdf"',
      "Content-Transfer-Encoding: base64",
      "",
      Buffer.from("%PDF-1.4 not really").toString("base64"),
      `--${boundary}--`,
      "",
    ].join("\r\n");
    const pdf = await sendSmtp(svc.smtpPort, { from: contact, to: [replyTo] }, withPdf);
    expect(pdf.code).toBe(554);
    expect(pdf.text).toMatch(/attachments are not accepted/i);

    const quotedOnly = await sendSmtp(
      svc.smtpPort,
      { from: contact, to: [replyTo] },
      message(replyTo, "> kun citat"),
    );
    expect(quotedOnly.code).toBe(554);
    expect((await caseNow()).timeline.length).toBe(before);
  });

  it("runs as the inboundMail function: its calls are exactly what the inbound-mail stack grants it", () => {
    // The SMTP receiver's receiveReply runs under the call recorder as SES inbound's function would.
    expect([...(svc.calls.get("inboundMail") ?? [])].sort()).toEqual([
      "dynamodb:GetItem",
      "dynamodb:UpdateItem",
    ]);
    expect(ungrantedCalls(svc.calls)).toEqual([]);
  });
});
