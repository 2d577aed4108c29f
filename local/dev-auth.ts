import { sign, verify } from "hono/jwt";
import { unauthenticated } from "#functions/commons/cognito.ts";
import { type Principal, PrincipalSchema, type TokenVerifier } from "#shared/principal.ts";

const DEV_ISSUER = "indgang-local";
const DEV_TOKEN_SECONDS = 8 * 3600;

/**
 * Local dev sign-in: HS256 tokens signed with a secret made at start-up. Only `npm start` and the
 * tests build this, and it lives in local/ so that no Lambda bundle holds it (nor Hono's JWT code).
 */
export function devAuth(secret: string) {
  const verifier: TokenVerifier = {
    async verify(token) {
      try {
        const payload = await verify(token, secret, { alg: "HS256", iss: DEV_ISSUER });
        return PrincipalSchema.parse(payload.principal);
      } catch {
        throw unauthenticated();
      }
    },
  };
  const issue = (principal: Principal, seconds = DEV_TOKEN_SECONDS) => {
    const now = Math.floor(Date.now() / 1000);
    return sign({ principal, iss: DEV_ISSUER, iat: now, exp: now + seconds }, secret, "HS256");
  };
  return { verifier, issue };
}
