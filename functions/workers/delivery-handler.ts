import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import middy from "@middy/core";
import sqsPartialBatchFailure from "@middy/sqs-partial-batch-failure";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import {
  eachCaseMessage,
  logFailedRecord,
  type RecordOutcomes,
  recordErrorsOnCases,
} from "#functions/commons/batch.ts";
import type { AppContext } from "#functions/commons/context.ts";
import { cached } from "#shared/cached.ts";
import type { Config } from "#shared/config.ts";
import { type Acknowledger, acknowledger } from "#shared/conversation/acknowledgement.ts";
import {
  emailNotifier,
  inboxNotifier,
  type MailSender,
  type Notifier,
  webhookNotifier,
} from "#shared/notify.ts";
import { deliverCase, noticeCase } from "#shared/workflow.ts";
import { caseLinkSecret } from "../commons/case-link-secret.ts";
import { sesMailSender } from "../commons/ses-mail.ts";

export { sesMailSender };

/**
 * Consortium and manual-triage queue consumer: place each case in its inbox (status delivered) and
 * tell the consortium (a signed webhook notice and/or an e-mail, whichever it has); later notices
 * on the same queue (the company replied, a target passed) go out the same ways.
 */
export function createDeliveryHandler(
  ctx: AppContext,
  notify: Notifier = deliveryNotifier(ctx),
  acknowledge: Acknowledger | undefined = companyAcknowledger(ctx),
) {
  const deps = { ...ctx, notify, ...(acknowledge ? { acknowledge } : {}) };
  // The response is the records' outcomes until sqsPartialBatchFailure makes it the batch response;
  // middy runs the `after`s in reverse, so the errors are on their cases before it reports them.
  return middy<SQSEvent, RecordOutcomes | SQSBatchResponse, Error, Context>()
    .use(sqsPartialBatchFailure({ logger: logFailedRecord(ctx.log) }))
    .use(recordErrorsOnCases(ctx))
    .handler<SQSEvent, SQSBatchResponse>(async (event) =>
      eachCaseMessage(event, (message) =>
        message.notice && message.consortiumId
          ? noticeCase(deps, message.reference, message.consortiumId, message.notice)
          : deliverCase(deps, message.reference, message.consortiumId ?? null, message.receivedAt),
      ),
    );
}

/**
 * The delivery worker's notifier: the signed webhook, and e-mail through `mail` — by default SES
 * from NOTIFY_FROM_EMAIL; with no sender, e-mail notices are skipped (one INFO line each).
 * `npm start` passes the local outbox instead (local/outbox-mail.ts).
 */
export function deliveryNotifier(
  ctx: Pick<AppContext, "config" | "log">,
  mail: MailSender | undefined = sesMailSender(ctx.config),
): Notifier {
  return inboxNotifier(
    {
      webhook: webhookNotifier(webhookSecret(ctx.config)),
      ...(mail
        ? { email: emailNotifier(mail, { publicBaseUrl: ctx.config.PUBLIC_BASE_URL, log: ctx.log }) }
        : {}),
    },
    ctx.log,
  );
}

/**
 * The company's acknowledgement e-mail, through `mail` (SES from NOTIFY_FROM_EMAIL by default, the
 * local outbox with `npm start`); undefined when there is no sender (then none is sent).
 */
export function companyAcknowledger(
  ctx: Pick<AppContext, "config" | "log" | "cases" | "consortia" | "now">,
  mail: MailSender | undefined = sesMailSender(ctx.config),
): Acknowledger | undefined {
  if (!mail) return undefined;
  return acknowledger({
    cases: ctx.cases,
    consortia: ctx.consortia,
    send: mail,
    caseLinkSecret: caseLinkSecret(ctx.config),
    config: ctx.config,
    now: ctx.now,
    log: ctx.log,
  });
}

/**
 * The key that signs webhook notices: WEBHOOK_SECRET locally, or read from Secrets Manager on AWS
 * (once per container, only when a notice is actually sent) — never in code, config files or logs.
 */
function webhookSecret(config: Config): () => Promise<string | undefined> {
  if (config.WEBHOOK_SECRET || !config.WEBHOOK_SECRET_ARN) return async () => config.WEBHOOK_SECRET;
  const arn = config.WEBHOOK_SECRET_ARN;
  return cached(async () => {
    const client = new SecretsManagerClient({ region: config.AWS_REGION });
    return (await client.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString;
  }, 15 * 60_000);
}
