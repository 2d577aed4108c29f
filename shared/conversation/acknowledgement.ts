import { tokenMatches } from "#shared/cases/ids.ts";
import type { CaseRecord } from "#shared/cases/model.ts";
import { DEFAULT_TARGETS } from "#shared/cases/response-times.ts";
import type { CaseStore } from "#shared/cases/store.ts";
import type { Log } from "#shared/log.ts";
import { escapeHtml, type Mail, type MailSender } from "#shared/notify.ts";
import type { Consortium } from "#shared/reference/consortia.ts";
import type { ConsortiumDirectory } from "#shared/reference/consortium-directory.ts";
import { headerSafe, statusTokenFor } from "./case-links.ts";
import { htmlMail, MAIL_TEXTS } from "./mail-texts.ts";

/** The company's status page (`GET /status/:reference` in functions/http/status/). */
export function companyStatusUrl(publicBaseUrl: string, reference: string, token: string): string {
  return `${publicBaseUrl.replace(/\/+$/, "")}/status/${encodeURIComponent(reference)}?token=${encodeURIComponent(token)}`;
}

/** At most this much of the company's own description is quoted back in the e-mail. */
const QUOTE_CHARS = 400;

/**
 * The acknowledgement a company receives once its case has reached an inbox (a consortium's or
 * manual triage's), in the contact's language: the reference, the status link (when `statusUrl` is
 * known), what it asked, who handles it, what happens next and when. The contact's and company's
 * names appear only in the body (escaped in the HTML), never in a header; the subject holds only
 * the reference, and every header value is checked for line breaks.
 */
export function acknowledgementMail(
  c: CaseRecord,
  consortium: Consortium | null,
  statusUrl: string | null,
  firstContactWorkingDays: number,
): Mail {
  const lang = c.payload.contact.language;
  const t = MAIL_TEXTS[lang];
  const needs = (
    c.primaryNeed ? [c.primaryNeed, ...c.needs.filter((n) => n !== c.primaryNeed)] : c.needs
  ).map((n) => t.needs[n]);
  const description = c.payload.request.description;
  const quote =
    description.length > QUOTE_CHARS ? `${description.slice(0, QUOTE_CHARS).trimEnd()} …` : description;
  const handledBy = consortium
    ? t.consortium(
        consortium.name,
        [
          consortium.members.jobCentre.name,
          consortium.members.veuCentre.name,
          consortium.members.businessHub.name,
        ].join(", "),
      )
    : t.manual;
  const subject = headerSafe(t.ackSubject(c.reference));
  const rows: [string, string][] = [
    [t.reference, c.reference],
    [t.company, c.payload.company.name],
    [t.needs_, needs.length > 0 ? needs.join(", ") : t.unclear],
    [t.handledBy, handledBy],
  ];
  const text = [
    `${t.greeting(c.payload.contact.name)},`,
    "",
    t.ackIntro,
    "",
    ...rows.map(([k, v]) => `${k}: ${v}`),
    "",
    `${t.yourWords}:`,
    ...quote.split(/\r?\n/).map((l) => `> ${l}`),
    "",
    `${t.next}:`,
    t.nextText(firstContactWorkingDays),
    "",
    ...(statusUrl ? [t.statusLink, statusUrl] : [t.noStatusLink]),
    "",
    t.automatic,
    "",
  ].join("\n");
  const e = escapeHtml;
  const html = htmlMail(lang, subject, t.greeting(c.payload.contact.name), [
    `<p>${e(t.ackIntro)}</p>`,
    "<table>",
    ...rows.map(([k, v]) => `<tr><th align="left">${e(k)}</th><td>${e(v)}</td></tr>`),
    "</table>",
    `<h2>${e(t.yourWords)}</h2>`,
    `<blockquote style="white-space: pre-wrap">${e(quote)}</blockquote>`,
    `<h2>${e(t.next)}</h2>`,
    `<p>${e(t.nextText(firstContactWorkingDays))}</p>`,
    statusUrl
      ? `<p>${e(t.statusLink)}<br><a href="${e(statusUrl)}">${e(statusUrl)}</a></p>`
      : `<p>${e(t.noStatusLink)}</p>`,
    `<p>${e(t.automatic)}</p>`,
  ]);
  return { to: headerSafe(c.payload.contact.email), subject, text, html };
}

export interface AcknowledgeDeps {
  cases: Pick<CaseStore, "claimAcknowledgement" | "markAcknowledged" | "releaseAcknowledgement">;
  consortia: () => Promise<ConsortiumDirectory>;
  send: MailSender;
  /** The secret status tokens are derived with (CASE_LINK_SECRET); undefined: no link in the mail. */
  caseLinkSecret: () => Promise<string | undefined>;
  config: { PUBLIC_BASE_URL: string };
  now: () => string;
  log: Pick<Log, "info" | "warn">;
}

/** Sends a case's acknowledgement if it has not been sent yet. */
/**
 * `claimedAt`: the delivering write took the claim already (its `ackClaimedAt`), saving a write;
 * otherwise the acknowledger claims the case itself.
 */
export type Acknowledger = (c: CaseRecord, opts?: { claimedAt?: string }) => Promise<void>;

/**
 * The acknowledgement, once per case. The case is claimed first (`ackClaimedAt`, a conditional
 * write only one worker wins), then the e-mail is sent, then `acknowledgedAt` is recorded. A repeat
 * or a concurrent copy of the delivery message finds the claim and sends nothing; a send that fails
 * gives the claim back and throws, so the retried message tries again. The one window left is a
 * crash between the claim and the record: that case gets no acknowledgement rather than two
 * (a company mailed twice is worse than a missing receipt the status page also gives).
 */
export function acknowledger(deps: AcknowledgeDeps): Acknowledger {
  return async (c, opts) => {
    if (c.acknowledgedAt) return;
    const taken = opts?.claimedAt !== undefined && c.ackClaimedAt === opts.claimedAt;
    if (c.ackClaimedAt && !taken) return;
    const claimedAt = taken ? (opts?.claimedAt as string) : deps.now();
    if (!taken && !(await deps.cases.claimAcknowledgement(c.reference, claimedAt))) return;
    try {
      const secret = await deps.caseLinkSecret();
      const token = secret ? statusTokenFor(secret, c.reference) : undefined;
      // A case created before status tokens were derived has a random token: no link then.
      const url =
        token && tokenMatches(token, c.tokenHash)
          ? companyStatusUrl(deps.config.PUBLIC_BASE_URL, c.reference, token)
          : null;
      const consortium = c.consortiumId ? ((await deps.consortia()).byId.get(c.consortiumId) ?? null) : null;
      // The handling consortium's target; the defaults while the regional secretariat routes it.
      const days = (consortium?.targets ?? DEFAULT_TARGETS).firstContactWorkingDays;
      await deps.send(acknowledgementMail(c, consortium, url, days));
    } catch (err) {
      await deps.cases.releaseAcknowledgement(c.reference, claimedAt);
      throw err;
    }
    await deps.cases.markAcknowledged(c.reference, deps.now());
    // No address, no name: the reference says which case.
    deps.log.info("acknowledgement sent", { reference: c.reference, language: c.payload.contact.language });
  };
}
