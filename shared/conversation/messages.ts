import * as z from "zod/mini";
import { htmlMail } from "./mail-texts.ts";
import "#shared/zod.ts";
import { CASE_NOTES_LIMIT_BYTES } from "#shared/cases/casework.ts";
import { tokenMatches } from "#shared/cases/ids.ts";
import type { CaseRecord, TimelineEntry } from "#shared/cases/model.ts";
import type { CaseStore } from "#shared/cases/store.ts";
import { AppError, conflict, notFound } from "#shared/errors.ts";
import type { Log } from "#shared/log.ts";
import { escapeHtml, type Mail, type MailSender } from "#shared/notify.ts";
import { canAccessConsortium, type Principal } from "#shared/principal.ts";
import type { ConsortiumDirectory } from "#shared/reference/consortium-directory.ts";
import { parseBody } from "#shared/validation.ts";
import { companyStatusUrl } from "./acknowledgement.ts";
import { headerSafe, replyAddress, statusTokenFor } from "./case-links.ts";
import { MAIL_TEXTS } from "./mail-texts.ts";

/**
 * The conversation on a case: a consultant writes to the company (the timeline, and an e-mail with
 * the status link and the case's signed reply address), the company writes back (the status page,
 * or a reply to the e-mail). The company sees the messages and nothing else of the staff side: no
 * notes, no consultant's name or address.
 */
export interface ConversationDeps {
  cases: CaseStore;
  consortia: () => Promise<ConsortiumDirectory>;
  now: () => string;
  log: Pick<Log, "info" | "warn">;
  /** The company's e-mail; absent: the message is on the status page only. */
  mail?: MailSender | undefined;
  caseLinkSecret?: () => Promise<string | undefined>;
  config: { PUBLIC_BASE_URL: string; REPLY_DOMAIN?: string | undefined };
}

export const MESSAGE_MAX_CHARS = 3000;
/** A company may write this many messages on one case per hour (the form and e-mail together). */
export const COMPANY_MESSAGES_PER_HOUR = 10;

const messageText = z.string().check(
  z.trim(),
  z.normalize("NFC"),
  // Line breaks and tabs stay; other control and text-direction characters do not.
  z.refine(
    (s) => !/(?![\t\n\r])[\p{Cc}\u202A-\u202E\u2066-\u2069]/u.test(s),
    "must not contain control characters",
  ),
  z.minLength(1, "must not be empty"),
  z.maxLength(MESSAGE_MAX_CHARS, `must be at most ${MESSAGE_MAX_CHARS} characters`),
);
export const MessageSchema = z.strictObject({ text: messageText });

function roomFor(c: CaseRecord, entry: TimelineEntry) {
  if (
    Buffer.byteLength(JSON.stringify(c)) + Buffer.byteLength(JSON.stringify(entry)) >
    CASE_NOTES_LIMIT_BYTES
  )
    throw conflict("This case has no room for more messages");
}

/** The message e-mail a company receives: the text, the status link, and the reply address. */
export function messageMail(
  c: CaseRecord,
  team: string,
  text: string,
  statusUrl: string | null,
  replyTo: string | null,
): Mail {
  const lang = c.payload.contact.language;
  const t = MAIL_TEXTS[lang];
  const subject = headerSafe(t.messageSubject(c.reference));
  const how = replyTo ? t.replyHow : t.replyLinkOnly;
  const body = [
    `${t.greeting(c.payload.contact.name)},`,
    "",
    t.messageIntro(team),
    "",
    text,
    "",
    ...(statusUrl ? [how, statusUrl] : [t.noStatusLink]),
    "",
    `${t.reference}: ${c.reference}`,
    "",
  ].join("\n");
  const e = escapeHtml;
  const html = htmlMail(lang, subject, t.greeting(c.payload.contact.name), [
    `<p>${e(t.messageIntro(team))}</p>`,
    `<blockquote style="white-space: pre-wrap">${e(text)}</blockquote>`,
    statusUrl
      ? `<p>${e(how)}<br><a href="${e(statusUrl)}">${e(statusUrl)}</a></p>`
      : `<p>${e(t.noStatusLink)}</p>`,
    `<p>${e(t.reference)}: ${e(c.reference)}</p>`,
  ]);
  return {
    to: headerSafe(c.payload.contact.email),
    ...(replyTo ? { replyTo: headerSafe(replyTo) } : {}),
    subject,
    text: body,
    html,
  };
}

/**
 * A consultant (or an administrator) writes to the company of a case they may see. The message is
 * on the timeline first (the company reads it on the status page whatever happens to the e-mail),
 * then mailed; a failed e-mail is logged and reported as `mailed: false`, the message stays.
 */
export async function messageCompany(
  deps: ConversationDeps,
  p: Principal,
  reference: string,
  body: unknown,
): Promise<{ mailed: boolean }> {
  const c = await deps.cases.get(reference);
  if (!c || !canAccessConsortium(p, c.consortiumId)) throw notFound("No such case");
  const { text } = parseBody(MessageSchema, body);
  if (!c.consortiumId) throw conflict("The case is not in a consortium inbox yet");
  if (c.status === "closed") throw conflict("The case is closed");
  const now = deps.now();
  const entry: TimelineEntry = {
    at: now,
    event: "message_to_company",
    actor: p.sub,
    actorName: p.name,
    consortiumId: c.consortiumId,
    detail: text,
  };
  roomFor(c, entry);
  if (!(await deps.cases.addMessage(reference, entry, { consultantIn: c.consortiumId }, now)))
    throw conflict("The case moved to another consortium meanwhile");
  if (!deps.mail) return { mailed: false };
  try {
    const secret = await deps.caseLinkSecret?.();
    const token = secret ? statusTokenFor(secret, reference) : undefined;
    const url =
      token && tokenMatches(token, c.tokenHash)
        ? companyStatusUrl(deps.config.PUBLIC_BASE_URL, reference, token)
        : null;
    const replyTo =
      secret && deps.config.REPLY_DOMAIN
        ? replyAddress(secret, reference, deps.config.REPLY_DOMAIN, now)
        : null;
    const team = (await deps.consortia()).byId.get(c.consortiumId)?.name ?? c.consortiumId;
    await deps.mail(messageMail(c, team, text, url, replyTo));
    deps.log.info("message mailed to the company", { reference });
    return { mailed: true };
  } catch (err) {
    deps.log.warn("message to the company not mailed (it is on the status page)", {
      reference,
      error: err instanceof Error ? err.message : String(err),
    });
    return { mailed: false };
  }
}

/**
 * The company writes on its case (`via` the status page's form or a reply e-mail): on the timeline
 * "from the company", and the case is marked "new reply" for the inbox. At most
 * COMPANY_MESSAGES_PER_HOUR per case (counted on the case itself, so the limit holds across every
 * function instance); refused on a closed case.
 */
export async function replyFromCompany(
  deps: Pick<ConversationDeps, "cases" | "now" | "log">,
  c: CaseRecord,
  body: unknown,
  via: "web" | "email",
): Promise<void> {
  const { text } = parseBody(MessageSchema, body);
  if (c.status === "closed") throw conflict("The case is closed");
  const now = deps.now();
  const hourAgo = new Date(Date.parse(now) - 3_600_000).toISOString();
  const recent = c.timeline.filter((e) => e.event === "message_from_company" && e.at > hourAgo).length;
  if (recent >= COMPANY_MESSAGES_PER_HOUR) throw tooMany();
  const entry: TimelineEntry = {
    at: now,
    event: "message_from_company",
    actor: "company",
    detail: text,
    via,
  };
  roomFor(c, entry);
  if (!(await deps.cases.addMessage(c.reference, entry, "company", now)))
    throw conflict("The case is closed");
  deps.log.info("reply from the company", { reference: c.reference, via });
}

const tooMany = () =>
  new AppError(
    "rate_limited",
    `At most ${COMPANY_MESSAGES_PER_HOUR} messages an hour on one case; try again later`,
  );
