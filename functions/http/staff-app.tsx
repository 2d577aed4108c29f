import { type Context, Hono, type MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { csrf } from "hono/csrf";
import { AppError, notFound } from "#shared/errors.ts";
import { adminRoutes } from "./admin/routes.tsx";
import { bodyLimitKb } from "./commons/body-limit.ts";
import { errorResponse, prefersHtml } from "./commons/error-response.ts";
import { originVerify } from "./commons/origin-verify.ts";
import { pageOf } from "./commons/page-state.ts";
import { NotFoundPage } from "./commons/problem-page.tsx";
import { SECURE_HEADERS } from "./commons/security-headers.ts";
import { authenticate, noStore, requireAdmin, SESSION_COOKIE } from "./commons/staff-auth.ts";
import { commonMessages } from "./i18n/common-messages.ts";
import { inboxApi } from "./inbox/api.ts";
import { conversationRoutes } from "./inbox/conversation.tsx";
import { inboxPages } from "./inbox/routes.tsx";
import { signInRoutes } from "./sign-in/routes.ts";
import type { Env, StaffAppDeps } from "./staff-env.ts";

export { SESSION_COOKIE };

/** Paths the staff function serves (API Gateway routes them there; `npm start` dispatches on them). */
export const STAFF_PATH_PREFIXES = [
  "/api/inbox",
  "/api/admin",
  "/inbox",
  "/admin",
  "/signin",
  "/signout",
  "/auth",
];

/**
 * The staff HTTP app: the consortium inbox (JSON API and web UI, same rules) and the admin area, each
 * a sub-app behind its guard (signed in; administrators only under /admin and /api/admin), and the
 * sign-in routes. Access to a case is decided in shared/cases/casework.ts.
 */
export function createStaffApp(deps: StaffAppDeps) {
  const app = new Hono<Env>();
  app.use(SECURE_HEADERS);
  // On AWS: only requests that came through CloudFront (and its WAF), before any other check.
  if (deps.config.ORIGIN_VERIFY_SECRET) app.use(originVerify(deps.config.ORIGIN_VERIFY_SECRET));
  // Cookie-authenticated forms: refuse cross-site posts (the cookie is also SameSite=Strict). Only a
  // request that carries the session cookie can be forged that way; a Bearer token is never sent by a
  // browser on its own, and a request with neither is answered 401 by `authenticate`.
  const csrfCheck = csrf();
  app.use((c, next) =>
    c.req.header("authorization")?.startsWith("Bearer ") || !getCookie(c, SESSION_COOKIE)
      ? next()
      : csrfCheck(c, next),
  );
  // A browser is sent to sign in, or shown a page it can read for what does not exist (or is not
  // its consortium's); API clients get JSON.
  const notFoundPage = (c: Context) => {
    const page = pageOf(c, commonMessages);
    return c.html(<NotFoundPage {...page} back={{ href: "/inbox", text: page.m.backToInbox }} />, 404);
  };
  app.onError((err, c) => {
    if (prefersHtml(c) && err instanceof AppError && err.code === "unauthenticated")
      return c.redirect("/signin", 303);
    if (prefersHtml(c) && err instanceof AppError && err.code === "not_found") return notFoundPage(c);
    return errorResponse(err, c, deps.log);
  });

  // Sign-in and sign-out hold no case data: open to anyone. The local stack adds its dev sign-in.
  const small = bodyLimitKb(64);
  app.use("/signin", small);
  app.use("/signout", small);
  app.use("/auth/*", small);
  app.route("/", signInRoutes(deps));
  if (deps.devSignIn) app.route("/", deps.devSignIn);

  // Everything else carries personal data: never cached, and only for who is signed in.
  const staffOnly = (limitKb: number, ...more: MiddlewareHandler<Env>[]) => {
    const area = new Hono<Env>();
    area.use(noStore, bodyLimitKb(limitKb), authenticate(deps.verifier), ...more);
    return area;
  };
  // The conversation with the company first: its hooks wrap the inbox's case and status routes.
  const conversation = conversationRoutes(deps);
  app.route("/api/inbox", staffOnly(64).route("/", conversation.api).route("/", inboxApi(deps)));
  app.route("/inbox", staffOnly(64).route("/", conversation.pages).route("/", inboxPages(deps)));
  // Whole documents (rule sets, consortium maps) are posted to the admin routes: 1 MB there.
  const admin = adminRoutes(deps);
  app.route("/api/admin", staffOnly(1024, requireAdmin).route("/", admin.api));
  app.route("/admin", staffOnly(1024, requireAdmin).route("/", admin.pages));

  app.notFound((c) => (prefersHtml(c) ? notFoundPage(c) : errorResponse(notFound(), c, deps.log)));
  return app;
}
