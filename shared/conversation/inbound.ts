import PostalMime from "postal-mime";
import type { CaseStore } from "#shared/cases/store.ts";
import { AppError } from "#shared/errors.ts";
import type { Log } from "#shared/log.ts";
import { verifyReplyAddress } from "./case-links.ts";
import { MESSAGE_MAX_CHARS, replyFromCompany } from "./messages.ts";

/**
 * A company's reply by e-mail, as the SMTP receiver (locally) or the SES inbound function (AWS)
 * hands it over: the envelope's recipients and sender, and the raw message. The case is found by
 * the signed reply address among the recipients — never by the subject — and the reply text is the
 * new part of the body, without the quoted history.
 */
export interface InboundMail {
  recipients: readonly string[];
  sender: string;
  raw: Uint8Array | string;
}

/** A whole message may be this large (the SMTP receiver announces it as SIZE; SES's is 40 MB). */
export const MAX_INBOUND_BYTES = 256 * 1024;

export type InboundOutcome =
  | { kind: "accepted"; reference: string }
  /** Forged, expired, foreign or unknown: no bounce (it would go to whoever forged the sender), no change. */
  | { kind: "dropped"; why: string }
  /** Bounced with a reason the company can act on. */
  | {
      kind: "refused";
      why: "too_large" | "attachment" | "empty" | "too_long" | "closed" | "rate_limited";
      message: string;
    };

export interface InboundDeps {
  cases: CaseStore;
  now: () => string;
  log: Pick<Log, "info" | "warn">;
  caseLinkSecret: () => Promise<string | undefined>;
  config: { REPLY_DOMAIN?: string | undefined };
  /** Per sender (any case): how many replies in the last hour; the caller's in-memory limiter. */
  senderAllowed?: (sender: string) => boolean;
}

const BOUNCE = {
  too_large: `The message is too large (at most ${MAX_INBOUND_BYTES / 1024} KB). Write a shorter reply, without attachments. / Beskeden er for stor; skriv et kortere svar uden vedhæftede filer.`,
  attachment:
    "Attachments are not accepted: write your reply as text, or use the link to your case page. / Vedhæftede filer modtages ikke; skriv svaret som tekst.",
  empty: "We found no text in your reply above the quoted message. / Vi fandt ingen tekst i jeres svar.",
  too_long: `The reply is longer than ${MESSAGE_MAX_CHARS} characters. / Svaret er længere end ${MESSAGE_MAX_CHARS} tegn.`,
  closed:
    "The case is closed. Send a new request on the web form. / Sagen er afsluttet; send en ny henvendelse.",
  rate_limited:
    "Too many replies in a short time; try again in an hour. / For mange svar på kort tid; prøv igen om en time.",
} as const;

const refused = (why: keyof typeof BOUNCE): InboundOutcome => ({
  kind: "refused",
  why,
  message: BOUNCE[why],
});

/**
 * The lines where the quoted history of a reply begins: a quote marker, the "On … wrote:" line of
 * the common mail programs (English and Danish), Outlook's separator and header block.
 */
const HISTORY_STARTS = [
  /^>/,
  /^On .{1,200} wrote:\s*$/i,
  /^Den .{1,200} skrev .{0,200}:\s*$/i,
  /^.{1,200} skrev:\s*$/i,
  /^-{2,}\s*(Original Message|Oprindelig meddelelse|Forwarded message|Videresendt meddelelse)\s*-{2,}/i,
  /^_{10,}\s*$/,
  /^(From|Fra): .+/,
];

/** The reply's own text: the lines before the quoted history, trimmed. */
export function newPartOf(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const cut = lines.findIndex((l) => HISTORY_STARTS.some((re) => re.test(l.trim())));
  return (cut === -1 ? lines : lines.slice(0, cut)).join("\n").trim();
}

const byteLength = (raw: Uint8Array | string) =>
  typeof raw === "string" ? Buffer.byteLength(raw) : raw.byteLength;

/**
 * Turns an inbound e-mail into a company message on its case, or says why not. Logs carry the
 * reference and the reason only: no address, no subject, no text.
 */
export async function receiveReply(deps: InboundDeps, mail: InboundMail): Promise<InboundOutcome> {
  const domain = deps.config.REPLY_DOMAIN;
  const secret = await deps.caseLinkSecret();
  const drop = (why: string, reference?: string): InboundOutcome => {
    deps.log.warn("inbound e-mail dropped", { why, ...(reference ? { reference } : {}) });
    return { kind: "dropped", why };
  };
  if (!domain || !secret) return drop("no reply domain or key configured");
  const now = deps.now();
  const checks = mail.recipients.map((r) => verifyReplyAddress(secret, r, domain, now));
  const match = checks.find((c) => c.ok);
  if (!match?.ok) {
    const why = checks.flatMap((c) => (c.ok || c.why === "not_a_reply_address" ? [] : [c.why]))[0];
    return drop(why ?? "not_a_reply_address");
  }
  const reference = match.reference;
  const bounce = (why: keyof typeof BOUNCE) => {
    deps.log.info("inbound e-mail refused", { reference, why });
    return refused(why);
  };
  if (byteLength(mail.raw) > MAX_INBOUND_BYTES) return bounce("too_large");
  if (deps.senderAllowed && !deps.senderAllowed(mail.sender.toLowerCase())) return bounce("rate_limited");
  const c = await deps.cases.get(reference);
  if (!c) return drop("no such case (erased?)", reference);
  const email = await PostalMime.parse(mail.raw, { attachmentEncoding: "arraybuffer" });
  // Inline parts of the text itself (a text/plain alternative) are fine; files are not.
  if (email.attachments.some((a) => !a.mimeType.toLowerCase().startsWith("text/")))
    return bounce("attachment");
  const body = email.text ?? (email.html ? htmlToText(email.html) : "");
  const text = newPartOf(body);
  if (!text) return bounce("empty");
  if (text.length > MESSAGE_MAX_CHARS) return bounce("too_long");
  // The same reply again (a mail program's retry, or a replayed message): once is enough.
  if (c.timeline.some((e) => e.event === "message_from_company" && e.via === "email" && e.detail === text))
    return drop("replay of an earlier reply", reference);
  try {
    await replyFromCompany(deps, c, { text }, "email");
  } catch (err) {
    if (err instanceof AppError && err.code === "rate_limited") return bounce("rate_limited");
    if (err instanceof AppError && err.code === "conflict") return bounce("closed");
    if (err instanceof AppError && err.code === "validation_failed") return bounce("empty");
    throw err;
  }
  return { kind: "accepted", reference };
}

/** Crude but safe: the text of an HTML-only reply (tags dropped, entities of the five kinds decoded). */
function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, "")
    .replace(/<br\s*\/?>|<\/p>|<\/div>/gi, "\n")
    .replace(/<blockquote[\s\S]*$/i, "")
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&");
}
