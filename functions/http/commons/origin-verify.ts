import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { type Config, ORIGIN_VERIFY_HEADER } from "#shared/config.ts";
import { AppError } from "#shared/errors.ts";

/** Fixed-length digests, so that the comparison takes the same time whatever the length sent. */
const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();

/**
 * Refuses (403, through the app's error mapper) every request that does not carry the value
 * CloudFront adds in the `x-origin-verify` header: a request sent straight to the HTTP API's
 * execute-api endpoint has bypassed CloudFront and its WAF. The comparison is in constant time, and
 * neither the value nor the header is ever logged or echoed.
 *
 * Applied first in the public and staff apps, when the setting is present (always on AWS).
 */
export function originVerify(secret: string): MiddlewareHandler {
  const expected = digest(secret);
  return async (c, next) => {
    const given = c.req.header(ORIGIN_VERIFY_HEADER);
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      throw new AppError("forbidden", "Requests are accepted only at the service's public address");
    }
    await next();
  };
}

/**
 * For the Lambda entries of the public and staff APIs: on AWS (`INDGANG_MODE` "aws") the origin
 * secret must be set, or the function would answer requests that bypassed CloudFront and WAF. Without
 * it every invocation fails (API Gateway answers 500, the function's error alarm fires). Checked at
 * invocation, not at import, so that a bundle still loads without AWS settings.
 */
export function requireOriginSecret<A extends unknown[], R>(
  config: Pick<Config, "INDGANG_MODE" | "ORIGIN_VERIFY_SECRET">,
  handler: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  if (config.ORIGIN_VERIFY_SECRET || config.INDGANG_MODE !== "aws") return handler;
  return async () => {
    throw new Error("ORIGIN_VERIFY_SECRET must be set on AWS: refusing to serve requests unverified");
  };
}
