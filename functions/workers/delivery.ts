import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import middy from "@middy/core";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { cached } from "../../shared/cached.ts";
import type { Config } from "../../shared/config.ts";
import { type Notifier, webhookNotifier } from "../../shared/notify.ts";
import { deliverCase } from "../../shared/workflow.ts";
import { caseBatch } from "../commons/batch.ts";
import type { AppContext } from "../commons/context.ts";

/**
 * Consortium and manual-triage queue consumer: place each case in its inbox (status delivered) and
 * tell the consortium (a signed webhook notice, if it has one).
 */
export function createDeliveryHandler(
  ctx: AppContext,
  notify: Notifier = webhookNotifier(webhookSecret(ctx.config), ctx.logger),
) {
  const deps = { ...ctx, notify };
  return middy<SQSEvent, SQSBatchResponse, Error, Context>().handler(
    caseBatch((message) => deliverCase(deps, message.reference, message.consortiumId ?? null), ctx),
  );
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
