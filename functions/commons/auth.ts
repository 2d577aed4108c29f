import { CognitoJwtVerifier } from "aws-jwt-verify";
import { sign, verify } from "hono/jwt";
import {
  type Principal,
  PrincipalSchema,
  principalFromGroups,
  type TokenVerifier,
} from "../../shared/auth.ts";
import { AppError } from "../../shared/errors.ts";

const unauthenticated = () =>
  new AppError("unauthenticated", "Sign in first: the token is missing, expired or invalid");

/** Cognito ID tokens, verified against the user pool's keys (fetched once, cached by aws-jwt-verify). */
export function cognitoVerifier(userPoolId: string, clientId: string): TokenVerifier {
  const verifier = CognitoJwtVerifier.create({ userPoolId, clientId, tokenUse: "id" });
  return {
    async verify(token) {
      let claims: Awaited<ReturnType<typeof verifier.verify>>;
      try {
        claims = await verifier.verify(token);
      } catch {
        throw unauthenticated();
      }
      const groups = claims["cognito:groups"] ?? [];
      const name = String(claims.name ?? claims.email ?? claims["cognito:username"] ?? claims.sub);
      const p = principalFromGroups(claims.sub, name, groups);
      if (!p)
        throw new AppError("forbidden", "Your account belongs to no consortium and is not an administrator");
      return p;
    },
  };
}

const DEV_ISSUER = "indgang-local";
const DEV_TOKEN_SECONDS = 8 * 3600;

/**
 * Local dev sign-in: HS256 tokens signed with a secret made at start-up. Only `npm start` and the
 * tests build this; on AWS there is no code path to it.
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
