import { handle } from "hono/aws-lambda";
import { caseLinkSecret, statusTokens } from "./commons/case-link-secret.ts";
import { defaultContext } from "./commons/context.ts";
import { requireOriginSecret } from "./http/commons/origin-verify.ts";
import { createPublicApp } from "./http/public-app.tsx";

/**
 * Lambda entry of the public HTTP API (form, intake, status, docs). It serves only requests that
 * carry CloudFront's origin header (`ORIGIN_VERIFY_SECRET`), and nothing at all on AWS without it.
 */
const ctx = defaultContext();
export const handler = requireOriginSecret(
  ctx.config,
  handle(
    createPublicApp({
      ...ctx,
      rateLimitPerMinute: ctx.config.INTAKE_RATE_LIMIT_PER_MINUTE,
      ...withStatusTokens(statusTokens(ctx.config)),
      caseLinkSecret: caseLinkSecret(ctx.config),
    }),
  ),
);

function withStatusTokens(statusTokenFor: ((reference: string) => Promise<string>) | undefined) {
  return statusTokenFor ? { statusTokenFor } : {};
}
