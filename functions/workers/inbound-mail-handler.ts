import type { SESEvent, SESMail, SESReceipt } from "aws-lambda";
import type { InboundMail, InboundOutcome } from "#shared/conversation/inbound.ts";
import type { Log } from "#shared/log.ts";
import { escapeHtml, type MailSender } from "#shared/notify.ts";
import type { InboundMailStore } from "../commons/s3-mail-store.ts";

export interface InboundMailHandlerDeps {
  log: Pick<Log, "info" | "warn">;
  /** The bucket SES wrote the raw message to, under `objectKeyPrefix` + its message id. */
  store: InboundMailStore;
  objectKeyPrefix: string;
  /** `receiveReply` with its dependencies bound (the case store, the case-link key, the limiter). */
  receive: (mail: InboundMail) => Promise<InboundOutcome>;
  /** The bounce to the sender of a refused reply; undefined without a configured SES sender. */
  bounce: MailSender | undefined;
}

/** The subject of a bounce, in both languages (the reason itself is bilingual, from inbound.ts). */
export const BOUNCE_SUBJECT = "Jeres svar blev ikke modtaget / Your reply was not received";

/**
 * Why SES's own checks rule a message out, or undefined: a virus or spam verdict FAIL, or SPF and
 * DKIM both FAIL (nothing vouches for the sender). `PROCESSING_FAILED` or `GRAY` do not drop.
 */
export function failedVerdict(receipt: SESReceipt): string | undefined {
  if (receipt.virusVerdict.status === "FAIL") return "virus verdict FAIL";
  if (receipt.spamVerdict.status === "FAIL") return "spam verdict FAIL";
  if (receipt.spfVerdict.status === "FAIL" && receipt.dkimVerdict.status === "FAIL")
    return "SPF and DKIM verdicts FAIL";
  return undefined;
}

/** A bounce goes nowhere near a null or mailer-daemon sender (no bounce loops). */
const bounceable = (sender: string) => sender.includes("@") && !/^(mailer-daemon|postmaster)@/i.test(sender);

/**
 * SES inbound's function (receipt rule: S3, then this function, invoked asynchronously): one reply
 * per record. SES's verdicts first, then `receiveReply` on the raw message from S3; a refusal is
 * bounced to the envelope sender when a sender address is configured. The S3 object is deleted
 * once the message is handled, whatever the outcome; an error (DynamoDB or S3 unreachable) is
 * thrown with the object left in place, so Lambda's asynchronous retries read it again and the
 * last failure lands in the dead-letter queue. Logs carry SES's message id, the reference and the
 * reason only: no address, no subject, no text.
 */
export function createInboundMailHandler(deps: InboundMailHandlerDeps) {
  return async (event: SESEvent): Promise<void> => {
    for (const record of event.Records) await handle(deps, record.ses.mail, record.ses.receipt);
  };
}

async function handle(deps: InboundMailHandlerDeps, mail: SESMail, receipt: SESReceipt): Promise<void> {
  const key = `${deps.objectKeyPrefix}${mail.messageId}`;
  const failed = failedVerdict(receipt);
  if (failed) {
    deps.log.warn("inbound e-mail dropped", { why: failed, messageId: mail.messageId });
  } else {
    const raw = await deps.store.read(key);
    const outcome = await deps.receive({ recipients: receipt.recipients, sender: mail.source, raw });
    if (outcome.kind === "refused") await bounce(deps, mail, outcome.message, outcome.why);
  }
  await deps.store.remove(key);
}

async function bounce(
  deps: InboundMailHandlerDeps,
  mail: SESMail,
  message: string,
  why: string,
): Promise<void> {
  if (!deps.bounce) {
    deps.log.info("inbound e-mail bounce skipped: no sender configured", { why, messageId: mail.messageId });
    return;
  }
  if (!bounceable(mail.source)) {
    deps.log.info("inbound e-mail bounce skipped: no sender to bounce to", {
      why,
      messageId: mail.messageId,
    });
    return;
  }
  await deps.bounce({
    to: mail.source,
    subject: BOUNCE_SUBJECT,
    text: message,
    html: `<!doctype html><html lang="da"><body><p>${escapeHtml(message)}</p></body></html>`,
  });
  deps.log.info("inbound e-mail bounced", { why, messageId: mail.messageId });
}
