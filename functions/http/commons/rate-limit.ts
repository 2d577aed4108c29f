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

/** The client's address as the edge saw it: the first X-Forwarded-For entry (CloudFront, API Gateway). */
export function forwardedClient(c: Context): string {
  return c.req.header("x-forwarded-for")?.split(",")[0]?.trim() || "unknown";
}
