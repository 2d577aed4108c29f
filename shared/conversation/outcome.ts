import * as z from "zod/mini";
import { htmlMail } from "./mail-texts.ts";
import "#shared/zod.ts";
import { tokenMatches } from "#shared/cases/ids.ts";
import type { CaseRecord } from "#shared/cases/model.ts";
import { conflict, notFound } from "#shared/errors.ts";
import { escapeHtml, type Mail } from "#shared/notify.ts";
import { parseBody } from "#shared/validation.ts";
import { companyStatusUrl } from "./acknowledgement.ts";
import { headerSafe, ratingSignature, ratingSignatureMatches, statusTokenFor } from "./case-links.ts";
import { MAIL_TEXTS } from "./mail-texts.ts";
import type { ConversationDeps } from "./messages.ts";

/**
 * The end of a case for the company: the closing e-mail (how it ended, in plain words, and a rating
 * link per score), once per case; the rating itself, once per case; and the ratings per consortium
 * and need for the statistics.
 */

/** `/rate/:reference?score=N&sig=…`: the link opens a page with the score chosen and a comment field; the post records it. */
export function ratingUrl(publicBaseUrl: string, reference: string, secret: string, score: number): string {
  return `${publicBaseUrl.replace(/\/+$/, "")}/rate/${encodeURIComponent(reference)}?score=${score}&sig=${ratingSignature(secret, reference)}`;
}

export function closingMail(
  c: CaseRecord,
  statusUrl: string | null,
  rateUrl: (score: number) => string,
): Mail {
  const lang = c.payload.contact.language;
  const t = MAIL_TEXTS[lang];
  const subject = headerSafe(t.closingSubject(c.reference));
  const outcome = c.outcome ? t.outcomes[c.outcome] : "";
  const scores = [1, 2, 3, 4, 5];
  const text = [
    `${t.greeting(c.payload.contact.name)},`,
    "",
    t.closingIntro,
    outcome,
    "",
    t.rateAsk,
    ...scores.map((s) => `${s}: ${rateUrl(s)}`),
    t.rateOnce,
    "",
    ...(statusUrl ? [statusUrl] : []),
    "",
  ].join("\n");
  const e = escapeHtml;
  const html = htmlMail(lang, subject, t.greeting(c.payload.contact.name), [
    `<p>${e(t.closingIntro)}<br><strong>${e(outcome)}</strong></p>`,
    `<p>${e(t.rateAsk)}</p>`,
    `<p>${scores.map((s) => `<a href="${e(rateUrl(s))}">${s}</a>`).join(" ")}</p>`,
    `<p>${e(t.rateOnce)}</p>`,
    statusUrl ? `<p><a href="${e(statusUrl)}">${e(statusUrl)}</a></p>` : "",
  ]);
  return { to: headerSafe(c.payload.contact.email), subject, text, html };
}

/**
 * After a case was closed: its closing e-mail, once (claimed with a conditional write; a failed send
 * is logged, and the claim stays: the status page says how it ended all the same).
 */
export async function sendClosingMail(deps: ConversationDeps, reference: string): Promise<boolean> {
  if (!deps.mail) return false;
  const c = await deps.cases.get(reference);
  if (c?.status !== "closed" || c.closingMailedAt) return false;
  const secret = await deps.caseLinkSecret?.();
  if (!secret) return false;
  if (!(await deps.cases.claimClosingMail(reference, deps.now()))) return false;
  const token = statusTokenFor(secret, reference);
  const url = tokenMatches(token, c.tokenHash)
    ? companyStatusUrl(deps.config.PUBLIC_BASE_URL, reference, token)
    : null;
  try {
    await deps.mail(closingMail(c, url, (s) => ratingUrl(deps.config.PUBLIC_BASE_URL, reference, secret, s)));
    deps.log.info("closing e-mail sent", { reference });
    return true;
  } catch (err) {
    deps.log.warn("closing e-mail not sent", {
      reference,
      error: err instanceof Error ? err.message : String(err),
    });
    return false;
  }
}

export const RatingSchema = z.strictObject({
  score: z.coerce.number().check(z.int(), z.minimum(1), z.maximum(5)),
  comment: z.optional(z.string().check(z.trim(), z.maxLength(1000))),
});

/** The company's rating through its signed link: once per closed case. */
export async function rateCase(
  deps: Pick<ConversationDeps, "cases" | "now" | "caseLinkSecret">,
  reference: string,
  sig: string,
  body: unknown,
): Promise<void> {
  const secret = await deps.caseLinkSecret?.();
  if (!secret || !ratingSignatureMatches(secret, reference, sig)) throw notFound();
  const r = parseBody(RatingSchema, body);
  const rating = { score: r.score, ...(r.comment ? { comment: r.comment } : {}), at: deps.now() };
  if (!(await deps.cases.recordRating(reference, rating))) throw conflict("This case has been rated already");
}
