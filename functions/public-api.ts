import { handle } from "hono/aws-lambda";
import { defaultContext } from "./commons/context.ts";
import { createPublicApp } from "./http/public-app.tsx";

/** Lambda entry of the public HTTP API (form, intake, status, docs). */
const ctx = defaultContext();
export const handler = handle(
  createPublicApp({ ...ctx, rateLimitPerMinute: ctx.config.INTAKE_RATE_LIMIT_PER_MINUTE }),
);
