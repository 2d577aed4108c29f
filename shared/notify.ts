import { createHmac } from "node:crypto";
import type { CaseNotice } from "#shared/cases/attention.ts";
import type { Need } from "#shared/needs.ts";
import { type CaseRecord, NOTICE_CHANNELS, type NoticeChannel } from "./cases/model.ts";
import type { Consortium } from "./reference/consortia.ts";

/**
 * What a consortium's inbox is told: a case arrived, the company replied, or a response-time target
 * passed (`target`). No personal data: the inbox has the rest.
 */
export interface DeliveryNotice {
  event: "case.delivered" | "case.reply" | "case.overdue" | "case.assigned";
  /** With `case.overdue`: which target passed. */
  target?: "first_contact" | "close";
  /** Stable per notice: receivers use it to drop a repeated notice. */
  deliveryId: string;
  reference: string;
  consortiumId: string;
  needs: CaseRecord["needs"];
  primaryNeed: CaseRecord["primaryNeed"];
  deliveredAt: string;
}

/**
 * What earlier tries of this delivery's notice achieved, and how to record a channel that succeeds:
 * a channel that told the inbox is recorded at once, so that another channel's failure (which
 * retries the whole delivery message) does not send it again. Single-channel notifiers ignore it.
 */
export interface NoticeProgress {
  /** Channels that already sent this delivery's notice (an earlier try of the message). */
  readonly done: ReadonlySet<NoticeChannel>;
  /** Records that `channel` sent it. */
  readonly sent: (channel: NoticeChannel) => Promise<unknown>;
}

export type Notifier = (
  consortium: Consortium,
  notice: DeliveryNotice,
  progress?: NoticeProgress,
) => Promise<void>;

type InfoLog = { info(m: string, ...x: Record<string, unknown>[]): void };

export function deliveryNotice(c: CaseRecord, consortiumId: string): DeliveryNotice {
  const deliveredAt = c.deliveredAt ?? c.updatedAt;
  return {
    event: "case.delivered",
    deliveryId: `${c.reference}/${consortiumId}/${deliveredAt}`,
    reference: c.reference,
    consortiumId,
    needs: c.needs,
    primaryNeed: c.primaryNeed,
    deliveredAt,
  };
}

/** A notice after delivery (attention.ts), for the case's consortium. */
export function caseNotice(c: CaseRecord, consortiumId: string, notice: CaseNotice): DeliveryNotice {
  return {
    ...deliveryNotice(c, consortiumId),
    deliveryId: `${c.reference}/${consortiumId}/${notice.id}`,
    ...(notice.kind === "reply"
      ? { event: "case.reply" }
      : notice.kind === "assigned"
        ? { event: "case.assigned" }
        : {
            event: "case.overdue",
            target: notice.kind === "overdue_first_contact" ? "first_contact" : "close",
          }),
  };
}

/** `v1=<hex HMAC-SHA256 of "<timestamp>.<body>">`: receivers recompute it with the shared secret. */
export function signature(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/**
 * Posts the notice to the consortium's webhook, signed; throws on failure so that the delivery
 * message is retried (the case stays delivered; only the notice is tried again).
 */
export function webhookNotifier(
  secret: () => Promise<string | undefined>,
  fetchImpl: typeof fetch = fetch,
): Notifier {
  return async (consortium, notice) => {
    const url = consortium.notify.webhookUrl;
    if (!url) return; // `inboxNotifier` calls a channel only when the consortium has it
    const key = await secret();
    if (!key) throw new Error("WEBHOOK_SECRET is not set: webhooks cannot be signed");
    const body = JSON.stringify(notice);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const res = await fetchImpl(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-indgang-timestamp": timestamp,
        "x-indgang-signature": signature(key, timestamp, body),
        "x-indgang-delivery": notice.deliveryId,
      },
      body,
      signal: AbortSignal.timeout(5_000),
    });
    // Only the origin: a webhook URL often carries its own secret in the path or query (Teams, Slack),
    // and this message is logged and shown to administrators with the case.
    if (!res.ok) throw new Error(`webhook at ${new URL(url).origin} answered ${res.status}`);
  };
}

/** One e-mail, as the MailSender port takes it: SES on AWS, a file in the outbox locally. */
export interface Mail {
  to: string;
  /** Where the recipient's reply goes (a case's signed reply address); never a person's address. */
  replyTo?: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends one e-mail; throws when it was not accepted (the delivery message is then retried). */
export type MailSender = (mail: Mail) => Promise<void>;

/**
 * Danish need labels for the e-mail, as the inbox shows them (`need_short_*` in
 * functions/http/i18n.ts, which shared/ does not import; a unit test keeps the two equal).
 */
export const NEED_LABELS_DA: Readonly<Record<Need, string>> = {
  recruitment: "Rekruttering",
  upskilling: "Opkvalificering",
  growth: "Vækst",
};

/** The case in the staff inbox (`/inbox/cases/:id` in functions/http/staff-app.tsx). */
export function inboxCaseUrl(publicBaseUrl: string, reference: string): string {
  return `${publicBaseUrl.replace(/\/+$/, "")}/inbox/cases/${encodeURIComponent(reference)}`;
}

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

type NoticeKey = "delivered" | "reply" | "assigned" | "first_contact" | "close";
const noticeKey = (n: DeliveryNotice): NoticeKey =>
  n.event === "case.delivered"
    ? "delivered"
    : n.event === "case.reply"
      ? "reply"
      : n.event === "case.assigned"
        ? "assigned"
        : (n.target ?? "first_contact");

/** Subject, first line and the English line of each notice's e-mail. */
const NOTICE_TEXTS: Record<
  NoticeKey,
  (reference: string, url: string) => { subject: string; intro: string; english: string }
> = {
  delivered: (ref) => ({
    subject: `Ny sag i jeres indbakke: ${ref}`,
    intro: "Der er kommet en ny henvendelse fra en virksomhed til jeres indbakke i Indgang.",
    english: `In English: a new case, ${ref}, is in your Indgang inbox. Sign in to read it:`,
  }),
  reply: (ref) => ({
    subject: `Virksomheden har svaret på sag ${ref}`,
    intro: "Virksomheden har skrevet en ny besked på sagen. Læs og svar i indbakken.",
    english: `In English: the company replied on case ${ref}. Sign in to read it:`,
  }),
  assigned: (ref) => ({
    subject: `Du har fået sag ${ref}`,
    intro:
      "En kollega har givet dig en sag i Indgang. Tag kontakt til virksomheden inden for jeres svarfrist.",
    english: `In English: a colleague gave you case ${ref} in Indgang. Sign in to read it:`,
  }),
  first_contact: (ref) => ({
    subject: `Første kontakt er overskredet: ${ref}`,
    intro:
      "Fristen for første kontakt med virksomheden er overskredet. Kontakt virksomheden, og registrér kontakten på sagen.",
    english: `In English: the first-contact target of case ${ref} has passed. Sign in to act on it:`,
  }),
  close: (ref) => ({
    subject: `Fristen for at afslutte sagen er overskredet: ${ref}`,
    intro: "Sagen har været åben længere end jeres mål for at afslutte den.",
    english: `In English: the target for closing case ${ref} has passed. Sign in to act on it:`,
  }),
};

/**
 * The e-mail that tells a consortium's inbox of a delivered case (or of a reply, an overdue target). It is built from the notice
 * alone, which carries no personal data (no company, contact or description): the inbox shows
 * those after sign-in, as for the webhook notice. Danish, with one English line.
 */
export function deliveryMail(notice: DeliveryNotice, to: string, publicBaseUrl: string): Mail {
  const url = inboxCaseUrl(publicBaseUrl, notice.reference);
  const needs = [
    ...(notice.primaryNeed ? [notice.primaryNeed] : []),
    ...notice.needs.filter((n) => n !== notice.primaryNeed),
  ].map((n, i) => `${NEED_LABELS_DA[n]}${i === 0 && notice.primaryNeed ? " (primært)" : ""}`);
  const needText = needs.length > 0 ? needs.join(", ") : "ikke afklaret";
  const when = new Intl.DateTimeFormat("da-DK", {
    dateStyle: "long",
    timeStyle: "short",
    timeZone: "Europe/Copenhagen",
  }).format(new Date(notice.deliveredAt));
  const { subject, intro, english } = NOTICE_TEXTS[noticeKey(notice)](notice.reference, url);
  const privacy = "Virksomhedens oplysninger står kun i indbakken, ikke i denne e-mail.";
  const automatic = "Denne e-mail er sendt automatisk; svar venligst ikke på den.";
  const text = [
    intro,
    "",
    `Sag: ${notice.reference}`,
    `Behov: ${needText}`,
    `Modtaget i indbakken: ${when}`,
    "",
    "Se sagen i indbakken (log ind først):",
    url,
    "",
    privacy,
    automatic,
    "",
    `${english} ${url}`,
    "",
  ].join("\n");
  const e = escapeHtml;
  const html = [
    "<!doctype html>",
    '<html lang="da"><head><meta charset="utf-8">',
    `<title>${e(subject)}</title></head>`,
    '<body style="font-family: Arial, Helvetica, sans-serif; line-height: 1.5">',
    `<p>${e(intro)}</p>`,
    "<table>",
    `<tr><th align="left">Sag</th><td>${e(notice.reference)}</td></tr>`,
    `<tr><th align="left">Behov</th><td>${e(needText)}</td></tr>`,
    `<tr><th align="left">Modtaget i indbakken</th><td>${e(when)}</td></tr>`,
    "</table>",
    `<p><a href="${e(url)}">Se sagen i indbakken</a> (log ind først)</p>`,
    `<p>${e(privacy)}<br>${e(automatic)}</p>`,
    `<p lang="en">${e(english)} <a href="${e(url)}">${e(url)}</a></p>`,
    "</body></html>",
    "",
  ].join("\n");
  return { to, subject, text, html };
}

/**
 * Who a consortium's e-mail notices go to: its `notify.email` (a shared inbox) when set, else each
 * consultant it lists; nobody when it has neither.
 */
export function noticeRecipients(c: Pick<Consortium, "notify" | "consultants">): string[] {
  return c.notify.email ? [c.notify.email] : c.consultants.map((m) => m.email);
}

/** Sends the notice as an e-mail to each of the consortium's recipients; throws when a send fails. */
export function emailNotifier(send: MailSender, options: { publicBaseUrl: string; log: InfoLog }): Notifier {
  return async (consortium, notice) => {
    // `inboxNotifier` calls a channel only when the consortium has it. A failure retries them all.
    for (const to of noticeRecipients(consortium))
      await send(deliveryMail(notice, to, options.publicBaseUrl));
    // The address is not logged: it may be a person's.
    options.log.info("e-mail notice sent", { consortiumId: consortium.id, reference: notice.reference });
  };
}

/** Where a consortium wants each channel's notice, if it does. */
const ADDRESS: Record<NoticeChannel, (c: Consortium) => string | undefined> = {
  webhook: (c) => c.notify.webhookUrl,
  email: (c) => noticeRecipients(c)[0],
};

/**
 * Tells a consortium's inbox on every channel it has configured (webhook, e-mail, or both), each
 * at most once per delivery as far as retries go:
 *
 * - a channel recorded in `progress.done` (it succeeded on an earlier try) is not sent again;
 * - a channel that succeeds while another is also being sent is recorded (`progress.sent`) at
 *   once, before any failure is thrown (a channel sent alone is covered by the caller's
 *   `markNotified`, which follows only when nothing failed);
 * - if any channel failed, this throws after the others have run, so that the delivery message is
 *   retried and only the failed channel is tried again.
 *
 * So a webhook failure never repeats the e-mail and vice versa. What remains is at-least-once: a
 * crash between a send and its record, or two copies of the message handled at the same instant,
 * can send a channel twice (the webhook's `x-indgang-delivery` id lets receivers drop it).
 *
 * A channel the consortium has but this process cannot send (`email` without a sender, i.e. no
 * NOTIFY_FROM_EMAIL on AWS) is skipped with one INFO line: no error, no retry, nothing recorded.
 */
export function inboxNotifier(channels: Partial<Record<NoticeChannel, Notifier>>, log: InfoLog): Notifier {
  return async (consortium, notice, progress) => {
    const due = NOTICE_CHANNELS.filter((ch) => ADDRESS[ch](consortium) && !progress?.done.has(ch));
    for (const channel of due.filter((ch) => !channels[ch])) {
      const why = channel === "email" ? "no sender configured (NOTIFY_FROM_EMAIL)" : "no notifier";
      log.info(`${channel} notice skipped: ${why}`, {
        consortiumId: consortium.id,
        reference: notice.reference,
      });
    }
    const sending = due.flatMap((channel) => {
      const send = channels[channel];
      return send ? [{ channel, send }] : [];
    });
    const failures: { channel: NoticeChannel; error: unknown }[] = [];
    await Promise.all(
      sending.map(async ({ channel, send }) => {
        try {
          await send(consortium, notice);
          // A lone channel needs no record of its own: the caller marks the whole notice done
          // right after (`markNotified`). Each record is a write of the case (and its indexes).
          if (sending.length > 1) await progress?.sent(channel);
        } catch (error) {
          failures.push({ channel, error });
        }
      }),
    );
    if (failures.length > 0) {
      const detail = failures
        .map((f) => `${f.channel}: ${f.error instanceof Error ? f.error.message : String(f.error)}`)
        .join("; ");
      throw new Error(`inbox notice failed (${detail})`, { cause: failures[0]?.error });
    }
  };
}
