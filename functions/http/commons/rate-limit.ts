import type { Context, MiddlewareHandler } from "hono";
import { AppError } from "#shared/errors.ts";

/**
 * A per-client limit on new requests (sliding one-minute window, in memory). It protects the local
 * service and each Lambda instance; on AWS the WAF's rate-based rules limit across instances.
 */
export function rateLimit(options: {
  perMinute: number;
  clientKey: (c: Context) => string;
  now?: () => number;
  /** Bounds memory: the oldest clients are forgotten first. */
  maxClients?: number;
}): MiddlewareHandler {
  const hits = new Map<string, number[]>();
  const now = options.now ?? Date.now;
  const maxClients = options.maxClients ?? 10_000;
  return async (c, next) => {
    const key = options.clientKey(c);
    const t = now();
    const recent = (hits.get(key) ?? []).filter((x) => t - x < 60_000);
    if (recent.length >= options.perMinute) {
      const retry = Math.ceil((60_000 - (t - (recent[0] ?? t))) / 1000);
      c.header("Retry-After", String(Math.max(1, retry)));
      throw new AppError(
        "rate_limited",
        `Too many requests from this client: at most ${options.perMinute} a minute`,
      );
    }
    recent.push(t);
    hits.delete(key); // re-insert: Map order is then least recently used first
    hits.set(key, recent);
    if (hits.size > maxClients) {
      const oldest = hits.keys().next().value;
      if (oldest !== undefined) hits.delete(oldest);
    }
    await next();
  };
}

/**
 * The client's address as CloudFront saw it, for the per-client limit on AWS. Not the first
 * X-Forwarded-For entry: the client writes that one itself (CloudFront appends the address it saw,
 * and API Gateway appends CloudFront's), so keying on it let one client spread its requests over as
 * many counters as it liked. `CloudFront-Viewer-Address` (`<ip>:<port>`, IPv6 included) is set by
 * CloudFront and forwarded by the API behaviour's origin request policy (AllViewerExceptHostHeader);
 * requests that did not come through CloudFront are refused before this runs (origin-verify.ts).
 * Without it, the last X-Forwarded-For entry: the address the nearest proxy saw.
 */
export function edgeClient(c: Context): string {
  const viewer = c.req.header("cloudfront-viewer-address")?.trim();
  if (viewer) {
    const port = viewer.lastIndexOf(":");
    return port > 0 ? viewer.slice(0, port) : viewer;
  }
  return c.req.header("x-forwarded-for")?.split(",").at(-1)?.trim() || "unknown";
}
