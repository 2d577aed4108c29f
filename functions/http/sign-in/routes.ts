import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { SESSION_COOKIE } from "#functions/http/commons/staff-auth.ts";
import type { Env, StaffAppDeps } from "#functions/http/staff-env.ts";
import { AppError } from "#shared/errors.ts";

/** Sets the session cookie a signed-in browser carries (8 hours, like a working day). */
export const setSession = (c: Context, token: string) =>
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    secure: true,
    sameSite: "Strict",
    path: "/",
    maxAge: 8 * 3600,
  });

/**
 * Signing in through Cognito's hosted UI (GET /signin, GET /auth/callback, only with `hostedSignIn`)
 * and signing out (POST /signout, which on AWS ends the hosted UI's session too). The local stack's
 * dev sign-in lives in local/dev-sign-in.tsx.
 */
export function signInRoutes(deps: Pick<StaffAppDeps, "hostedSignIn" | "verifier">) {
  const app = new Hono<Env>();
  const hosted = deps.hostedSignIn;
  if (hosted) {
    app.get("/signin", (c) => {
      const { url, state, verifier } = hosted.start();
      // Lax: the cookie must come back on the hosted UI's redirect to /auth/callback.
      setCookie(c, "indgang_oauth", `${state}.${verifier}`, {
        httpOnly: true,
        secure: true,
        sameSite: "Lax",
        path: "/auth",
        maxAge: 600,
      });
      return c.redirect(url, 302);
    });
    app.get("/auth/callback", async (c) => {
      const [state, verifier] = (getCookie(c, "indgang_oauth") ?? "").split(".");
      if (!state || !verifier || c.req.query("state") !== state)
        throw new AppError("unauthenticated", "The sign-in expired or did not start here; try again");
      const idToken = await hosted.finish(c.req.query("code") ?? "", verifier);
      await deps.verifier.verify(idToken); // a token from elsewhere is refused here, not on the next page
      deleteCookie(c, "indgang_oauth", { path: "/auth", secure: true });
      setSession(c, idToken);
      return c.redirect("/inbox", 303);
    });
  }
  app.post("/signout", (c) => {
    deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true });
    // Cognito keeps its own session cookie: without its /logout the next /signin is let in unasked.
    return c.redirect(hosted?.logoutUrl() ?? "/", 303);
  });
  return app;
}
