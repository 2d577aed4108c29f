import { createHash, randomBytes } from "node:crypto";
import { CognitoJwtVerifier } from "aws-jwt-verify";
import { AppError } from "#shared/errors.ts";
import { principalFromGroups, type TokenVerifier } from "#shared/principal.ts";

export const unauthenticated = () =>
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
      // Only a verified address identifies the person (it matches them to the consortium's list).
      const email =
        claims.email_verified === true && typeof claims.email === "string" ? claims.email : undefined;
      return email ? { ...p, email } : p;
    },
  };
}

export interface HostedSignIn {
  /** Where to send the browser, and what to remember (state, PKCE verifier) until it comes back. */
  start(): { url: string; state: string; verifier: string };
  /** Exchanges the authorization code for an ID token. */
  finish(code: string, verifier: string): Promise<string>;
  /** Where to send the browser on sign-out, so that the hosted UI forgets it too. */
  logoutUrl(): string;
}

/**
 * Cognito's hosted UI, authorization-code flow with PKCE (a public client: no secret to keep). The
 * `logoutUri` must be one of the user pool client's logoutUrls (infra/constructs/user-pool.ts).
 */
export function cognitoHostedSignIn(
  domainUrl: string,
  clientId: string,
  redirectUri: string,
  logoutUri: string,
): HostedSignIn {
  return {
    logoutUrl: () =>
      `${domainUrl}/logout?${new URLSearchParams({ client_id: clientId, logout_uri: logoutUri })}`,
    start() {
      const state = randomBytes(16).toString("base64url");
      const verifier = randomBytes(32).toString("base64url");
      const challenge = createHash("sha256").update(verifier).digest("base64url");
      const params = new URLSearchParams({
        response_type: "code",
        client_id: clientId,
        redirect_uri: redirectUri,
        scope: "openid email profile",
        state,
        code_challenge: challenge,
        code_challenge_method: "S256",
      });
      return { url: `${domainUrl}/oauth2/authorize?${params}`, state, verifier };
    },
    async finish(code, verifier) {
      const res = await fetch(`${domainUrl}/oauth2/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "authorization_code",
          client_id: clientId,
          code,
          redirect_uri: redirectUri,
          code_verifier: verifier,
        }),
        signal: AbortSignal.timeout(5_000),
      });
      const body = (await res.json().catch(() => ({}))) as { id_token?: unknown };
      if (!res.ok || typeof body.id_token !== "string") throw unauthenticated();
      return body.id_token;
    },
  };
}
