import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { csrf } from "hono/csrf";
import * as z from "zod/mini";
import { parseBody } from "#shared/validation.ts";
import "#shared/zod.ts";
import {
  addNote,
  caseDetail,
  changeStatus,
  claimCase,
  completeFollowUp,
  listInbox,
  reopenCase,
  transferCase,
} from "#shared/cases/casework.ts";
import { AppError, notFound } from "#shared/errors.ts";
import { type Principal, PrincipalSchema } from "#shared/principal.ts";
import { adminRoutes } from "./admin/routes.tsx";
import { bodyLimitKb } from "./commons/body-limit.ts";
import { errorResponse, prefersHtml } from "./commons/error-response.ts";
import { type FormValues, formBody } from "./commons/form-body.ts";
import { jsonBody } from "./commons/json-body.ts";
import { originVerify } from "./commons/origin-verify.ts";
import { NotFoundPage } from "./commons/problem-page.tsx";
import { SECURE_HEADERS } from "./commons/security-headers.ts";
import { commonMessages } from "./i18n/common-messages.ts";
import { inboxMessages } from "./i18n/inbox-messages.ts";
import { chooseLang, type Lang } from "./i18n/lang.ts";
import { conversationRoutes } from "./inbox/conversation.tsx";
import { CasePage, InboxPage, SignInPage } from "./pages/inbox.tsx";
import type { Env, StaffAppDeps } from "./staff-env.ts";

/** Paths the staff function serves (API Gateway routes them there; `npm start` dispatches on them). */
export const STAFF_PATH_PREFIXES = [
  "/api/inbox",
  "/api/admin",
  "/api/dev",
  "/inbox",
  "/admin",
  "/signin",
  "/signout",
  "/auth",
];

export const SESSION_COOKIE = "indgang_session";

const pathOf = (c: Context) => {
  const u = new URL(c.req.url);
  return u.pathname + u.search;
};

/**
 * The staff HTTP app: the consortium inbox (JSON API and web UI, same rules) and, later, the admin
 * API. Every route under /api/inbox, /inbox (and /api/admin, /admin) requires a valid token; access
 * to a case is decided in shared/cases/casework.ts.
 */
export function createStaffApp(deps: StaffAppDeps) {
  const app = new Hono<Env>();
  app.use(SECURE_HEADERS);
  // On AWS: only requests that came through CloudFront (and its WAF), before any other check.
  if (deps.config.ORIGIN_VERIFY_SECRET) app.use(originVerify(deps.config.ORIGIN_VERIFY_SECRET));
  // Whole documents (rule sets, consortium maps) are posted to the admin routes: 1 MB there, 64 KB elsewhere.
  const adminLimit = bodyLimitKb(1024);
  const otherLimit = bodyLimitKb(64);
  app.use((c, next) =>
    c.req.path.startsWith("/api/admin/") || c.req.path.startsWith("/admin/")
      ? adminLimit(c, next)
      : otherLimit(c, next),
  );
  // Cookie-authenticated forms: refuse cross-site posts (the cookie is also SameSite=Strict). Only a
  // request that carries the session cookie can be forged that way; a Bearer token is never sent by a
  // browser on its own, and a request with neither is answered 401 by the auth check below.
  const csrfCheck = csrf();
  app.use((c, next) =>
    c.req.header("authorization")?.startsWith("Bearer ") || !getCookie(c, SESSION_COOKIE)
      ? next()
      : csrfCheck(c, next),
  );
  // A browser is sent to sign in, or shown a page it can read for what does not exist (or is not
  // its consortium's); API clients get JSON.
  const notFoundPage = (c: Context) => {
    const lang = chooseLang(c);
    const m = commonMessages(lang);
    return c.html(
      <NotFoundPage lang={lang} m={m} path={pathOf(c)} back={{ href: "/inbox", text: m.backToInbox }} />,
      404,
    );
  };
  app.onError((err, c) => {
    if (prefersHtml(c) && err instanceof AppError && err.code === "unauthenticated")
      return c.redirect("/signin", 303);
    if (prefersHtml(c) && err instanceof AppError && err.code === "not_found") return notFoundPage(c);
    return errorResponse(err, c, deps.log);
  });

  // ---- sign-in -----------------------------------------------------------------------------------
  app.post("/api/dev/token", async (c) => {
    if (!deps.devTokens) throw notFound();
    const body = parseBody(DevTokenSchema, await c.req.json().catch(() => undefined));
    return c.json({ token: await deps.devTokens(devPrincipal(body)) });
  });

  const sessionCookie = (c: Context, token: string) =>
    setCookie(c, SESSION_COOKIE, token, {
      httpOnly: true,
      secure: true,
      sameSite: "Strict",
      path: "/",
      maxAge: 8 * 3600,
    });

  app.get("/signin", async (c) => {
    if (deps.hostedSignIn) {
      const { url, state, verifier } = deps.hostedSignIn.start();
      // Lax: the cookie must come back on the hosted UI's redirect to /auth/callback.
      setCookie(c, "indgang_oauth", `${state}.${verifier}`, {
        httpOnly: true,
        secure: true,
        sameSite: "Lax",
        path: "/auth",
        maxAge: 600,
      });
      return c.redirect(url, 302);
    }
    if (!deps.devTokens) throw notFound("Sign in is not configured");
    const lang = chooseLang(c);
    const dir = await deps.consortia();
    return c.html(
      <SignInPage lang={lang} m={inboxMessages(lang)} path={pathOf(c)} consortia={dir.consortia} />,
    );
  });

  app.post("/signin", async (c) => {
    if (!deps.devTokens) throw notFound();
    const form = await formBody(c);
    const body = parseBody(DevTokenSchema, {
      role: form.role,
      ...(form.consortiumId && form.role === "consultant" ? { consortiumId: form.consortiumId } : {}),
      ...(form.name ? { name: form.name } : {}),
    });
    sessionCookie(c, await deps.devTokens(devPrincipal(body)));
    return c.redirect("/inbox", 303);
  });

  app.get("/auth/callback", async (c) => {
    if (!deps.hostedSignIn) throw notFound();
    const [state, verifier] = (getCookie(c, "indgang_oauth") ?? "").split(".");
    if (!state || !verifier || c.req.query("state") !== state)
      throw new AppError("unauthenticated", "The sign-in expired or did not start here; try again");
    const idToken = await deps.hostedSignIn.finish(c.req.query("code") ?? "", verifier);
    await deps.verifier.verify(idToken); // a token from elsewhere is refused here, not on the next page
    deleteCookie(c, "indgang_oauth", { path: "/auth", secure: true });
    sessionCookie(c, idToken);
    return c.redirect("/inbox", 303);
  });

  app.post("/signout", (c) => {
    deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true });
    return c.redirect("/", 303);
  });

  // ---- authentication for everything below; administrators only under /admin -------------------
  for (const path of ["/api/inbox/*", "/inbox", "/inbox/*", "/api/admin/*", "/admin", "/admin/*"]) {
    app.use(path, async (c, next) => {
      const header = c.req.header("authorization");
      const token = header?.startsWith("Bearer ") ? header.slice(7) : getCookie(c, SESSION_COOKIE);
      if (!token) throw new AppError("unauthenticated", "Sign in first: send Authorization: Bearer <token>");
      const principal = await deps.verifier.verify(token);
      if (
        c.req.path.startsWith("/api/admin") ||
        c.req.path === "/admin" ||
        c.req.path.startsWith("/admin/")
      ) {
        if (principal.role !== "admin") throw new AppError("forbidden", "Administrators only");
      }
      c.set("principal", principal);
      await next();
    });
  }
  app.route("/", adminRoutes(deps));
  app.route("/", conversationRoutes(deps));

  // ---- the inbox API ------------------------------------------------------------------------------
  app.get("/api/inbox/cases", async (c) => c.json(await listInbox(deps, c.get("principal"), c.req.query())));
  app.get("/api/inbox/cases/:id", async (c) =>
    c.json(await caseDetail(deps, c.get("principal"), c.req.param("id"))),
  );
  app.post("/api/inbox/cases/:id/claim", async (c) =>
    c.json(await claimCase(deps, c.get("principal"), c.req.param("id"), await jsonBody(c, { emptyAs: {} }))),
  );
  app.post("/api/inbox/cases/:id/notes", async (c) =>
    c.json(await addNote(deps, c.get("principal"), c.req.param("id"), await jsonBody(c)), 201),
  );
  app.post("/api/inbox/cases/:id/status", async (c) =>
    c.json(await changeStatus(deps, c.get("principal"), c.req.param("id"), await jsonBody(c))),
  );
  app.post("/api/inbox/cases/:id/reopen", async (c) =>
    c.json(await reopenCase(deps, c.get("principal"), c.req.param("id"), await jsonBody(c))),
  );
  app.post("/api/inbox/cases/:id/transfer", async (c) =>
    c.json(await transferCase(deps, c.get("principal"), c.req.param("id"), await jsonBody(c)), 202),
  );
  app.post("/api/inbox/cases/:id/follow-ups/:couplingId/done", async (c) =>
    c.json(await completeFollowUp(deps, c.get("principal"), c.req.param("id"), c.req.param("couplingId"))),
  );

  // ---- the inbox web UI: the same functions, rendered ---------------------------------------------
  app.get("/inbox", async (c) => {
    const p = c.get("principal");
    const lang = chooseLang(c);
    const dir = await deps.consortia();
    // `lang` belongs to the page (chooseLang has read and remembered it), not to the inbox query; and
    // the filter form sends its "all" choices as empty fields, which mean no filter.
    const { lang: _lang, ...asked } = c.req.query();
    const query = Object.fromEntries(Object.entries(asked).filter(([, v]) => v !== ""));
    if (p.role === "admin" && !query.consortiumId) query.consortiumId = dir.consortia[0]?.id ?? "manual";
    const page = await listInbox(deps, p, query);
    return c.html(
      <InboxPage
        lang={lang}
        m={inboxMessages(lang)}
        path={pathOf(c)}
        user={p}
        page={page}
        query={query}
        consortia={dir.consortia}
      />,
    );
  });

  const renderCase = async (
    c: Context<Env>,
    lang: Lang,
    error?: string,
    status: 200 | 400 | 404 | 409 = 200,
  ) => {
    const p = c.get("principal");
    const [detail, dir] = await Promise.all([caseDetail(deps, p, c.req.param("id") ?? ""), deps.consortia()]);
    return c.html(
      <CasePage
        lang={lang}
        m={inboxMessages(lang)}
        path={pathOf(c)}
        user={p}
        detail={detail}
        consortia={dir.consortia}
        error={error}
      />,
      status,
    );
  };
  app.get("/inbox/cases/:id", (c) => renderCase(c, chooseLang(c)));

  // Form posts: do the action, then show the case again (303), or the problem next to it.
  const action =
    (
      run: (p: Principal, id: string, form: FormValues, c: Context<Env>) => Promise<unknown>,
      after?: (id: string) => string,
    ) =>
    async (c: Context<Env>) => {
      const lang = chooseLang(c);
      const id = c.req.param("id") ?? "";
      const form = await formBody(c);
      try {
        await run(c.get("principal"), id, form, c);
      } catch (err) {
        if (!(err instanceof AppError) || !["validation_failed", "conflict"].includes(err.code)) throw err;
        const detail = err.fields.length
          ? `${err.message}: ${err.fields.map((f) => `${f.path} ${f.message}`).join("; ")}`
          : err.message;
        return renderCase(c, lang, detail, err.code === "conflict" ? 409 : 400);
      }
      return c.redirect(after ? after(id) : `/inbox/cases/${encodeURIComponent(id)}`, 303);
    };
  app.post(
    "/inbox/cases/:id/claim",
    action((p, id, f) => claimCase(deps, p, id, { reassign: f.reassign === "true" })),
  );
  app.post(
    "/inbox/cases/:id/notes",
    action((p, id, f) => addNote(deps, p, id, { text: f.text, ...(f.system ? { system: f.system } : {}) })),
  );
  app.post(
    "/inbox/cases/:id/status",
    action((p, id, f) =>
      changeStatus(
        deps,
        p,
        id,
        f.status === "closed" ? { status: "closed", outcome: f.outcome } : { status: f.status },
      ),
    ),
  );
  app.post(
    "/inbox/cases/:id/transfer",
    action(
      (p, id, f) => transferCase(deps, p, id, { consortiumId: f.consortiumId, reason: f.reason }),
      () => "/inbox",
    ),
  );
  app.post(
    "/inbox/cases/:id/follow-ups/:couplingId/done",
    action((p, id, _f, c) => completeFollowUp(deps, p, id, c.req.param("couplingId") ?? "")),
  );

  app.notFound((c) => (prefersHtml(c) ? notFoundPage(c) : errorResponse(notFound(), c, deps.log)));
  return app;
}

const DevTokenSchema = z.discriminatedUnion("role", [
  z.strictObject({
    role: z.literal("admin"),
    name: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  }),
  z.strictObject({
    role: z.literal("consultant"),
    consortiumId: z.string().check(z.minLength(1), z.maxLength(60)),
    name: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  }),
]);

function devPrincipal(b: z.infer<typeof DevTokenSchema>): Principal {
  return b.role === "admin"
    ? PrincipalSchema.parse({ sub: `dev-admin`, name: b.name ?? "Admin (dev)", role: "admin" })
    : PrincipalSchema.parse({
        sub: `dev-${b.consortiumId}-${(b.name ?? "consultant").toLowerCase().replace(/[^a-z0-9]+/g, "-")}`,
        name: b.name ?? `Konsulent ${b.consortiumId}`,
        role: "consultant",
        consortiumId: b.consortiumId,
      });
}
