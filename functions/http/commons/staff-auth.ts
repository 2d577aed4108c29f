import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { AppError } from "#shared/errors.ts";
import type { Principal, TokenVerifier } from "#shared/principal.ts";

/** The cookie a signed-in browser carries its token in (HttpOnly, Secure, SameSite=Strict). */
export const SESSION_COOKIE = "indgang_session";

type AuthEnv = { Variables: { principal: Principal } };

/**
 * Who is calling: a Bearer token (API clients) or the session cookie (browsers), verified, and set as
 * `principal`. Without either the caller is told to sign in (401; a browser is sent to /signin).
 */
export function authenticate(verifier: TokenVerifier): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    const token = header?.startsWith("Bearer ") ? header.slice(7) : getCookie(c, SESSION_COOKIE);
    if (!token) throw new AppError("unauthenticated", "Sign in first: send Authorization: Bearer <token>");
    c.set("principal", await verifier.verify(token));
    await next();
  };
}

/** After `authenticate`: administrators only (403 for anyone else). */
export const requireAdmin: MiddlewareHandler<AuthEnv> = async (c, next) => {
  if (c.var.principal.role !== "admin") throw new AppError("forbidden", "Administrators only");
  await next();
};

/** Staff answers carry personal data: no browser or proxy may keep them (issue 19, item 8). */
export const noStore: MiddlewareHandler = async (c, next) => {
  await next();
  c.header("Cache-Control", "no-store");
};
