import { type Context, Hono } from "hono";
import { csrf } from "hono/csrf";
import { REFERENCE_PATTERN, tokenMatches } from "#shared/cases/ids.ts";
import { publicView } from "#shared/cases/model.ts";
import { AppError, notFound } from "#shared/errors.ts";
import { type IntakeDeps, submitRequest } from "#shared/intake/service.ts";
import type { ConsortiumDirectory } from "#shared/reference/consortium-directory.ts";
import { APP_CSS } from "./commons/assets.ts";
import { bodyLimitKb } from "./commons/body-limit.ts";
import { errorResponse, prefersHtml } from "./commons/error-response.ts";
import { formBody } from "./commons/form-body.ts";
import { jsonBody } from "./commons/json-body.ts";
import { originVerify } from "./commons/origin-verify.ts";
import { NotFoundPage, ProblemPage } from "./commons/problem-page.tsx";
import { forwardedClient, rateLimit } from "./commons/rate-limit.ts";
import { SECURE_HEADERS } from "./commons/security-headers.ts";
import { formErrors, formToPayload, HONEYPOT_FIELD } from "./form.ts";
import { chooseLang } from "./i18n/lang.ts";
import { problemText, publicMessages } from "./i18n/public-messages.ts";
import OPENAPI from "./openapi.json" with { type: "json" };
import { ApiDocsPage } from "./pages/api-docs.tsx";
import { RequestForm } from "./pages/request-form.tsx";
import { StatusPage } from "./pages/status.tsx";

export const MAX_BODY_BYTES = 64 * 1024;

export interface PublicAppDeps extends IntakeDeps {
  consortia: () => Promise<ConsortiumDirectory>;
  /** With `ORIGIN_VERIFY_SECRET` (on AWS), only requests that came through CloudFront are served. */
  config: { PUBLIC_BASE_URL: string; ORIGIN_VERIFY_SECRET?: string | undefined };
  /** Readiness of what the service depends on; `GET /health` answers 200 only when it is true. */
  ready?: () => Promise<boolean>;
  /** New requests per client per minute (default 30), and how a client is recognised. */
  rateLimitPerMinute?: number;
  clientKey?: (c: Context) => string;
}

const pathOf = (c: Context) => {
  const url = new URL(c.req.url);
  return url.pathname + url.search;
};

/**
 * The public HTTP app: the web form, the JSON intake API, the status page, and the API's docs.
 * Thin: it parses HTTP, calls the intake service, and renders; errors are mapped in one place.
 */
export function createPublicApp(deps: PublicAppDeps) {
  const app = new Hono();
  const publicOrigin = new URL(deps.config.PUBLIC_BASE_URL).origin;
  const statusUrl = (reference: string, token: string) =>
    `${deps.config.PUBLIC_BASE_URL.replace(/\/$/, "")}/status/${reference}?token=${encodeURIComponent(token)}`;

  app.use(SECURE_HEADERS);
  // Before anything else reads the request (rate limits, bodies): the refusal still gets the headers.
  if (deps.config.ORIGIN_VERIFY_SECRET) app.use(originVerify(deps.config.ORIGIN_VERIFY_SECRET));
  app.onError((err, c) => {
    // A browser gets a page it can read (too many requests, too large, unavailable); API clients JSON.
    if (prefersHtml(c) && err instanceof AppError && err.code !== "not_found") {
      const res = errorResponse(err, c, deps.log);
      const lang = chooseLang(c);
      const m = publicMessages(lang);
      return c.html(
        <ProblemPage
          lang={lang}
          m={m}
          path={pathOf(c)}
          title={m.problemTitle}
          text={problemText(m, err.code) ?? err.message}
        />,
        res.status as 400,
      );
    }
    return errorResponse(err, c, deps.log);
  });
  app.notFound((c) => {
    if (prefersHtml(c)) {
      const lang = chooseLang(c);
      return c.html(<NotFoundPage lang={lang} m={publicMessages(lang)} path={pathOf(c)} />, 404);
    }
    return errorResponse(notFound(), c, deps.log);
  });

  // Refused before the body is read: a client over its limit costs nothing further.
  const perClient = rateLimit({
    perMinute: deps.rateLimitPerMinute ?? 30,
    clientKey: deps.clientKey ?? forwardedClient,
  });
  const limit = bodyLimitKb(MAX_BODY_BYTES / 1024);

  app.get("/health", async (c) => {
    const ok = deps.ready ? await deps.ready().catch(() => false) : true;
    return ok ? c.json({ status: "ok" }) : c.json({ status: "starting" }, 503);
  });

  app.get("/assets/app.css", (c) => {
    c.header("Cache-Control", "public, max-age=3600");
    return c.body(APP_CSS, 200, { "Content-Type": "text/css; charset=utf-8" });
  });

  app.get("/", (c) => {
    const lang = chooseLang(c);
    return c.html(
      <RequestForm lang={lang} m={publicMessages(lang)} path={pathOf(c)} values={{}} errors={new Map()} />,
    );
  });

  // The form posts here. Same validation as the API; errors are shown next to their fields.
  app.post(
    "/",
    perClient,
    limit,
    csrf({ origin: (origin, c) => origin === publicOrigin || origin === new URL(c.req.url).origin }),
    async (c) => {
      const lang = chooseLang(c);
      const m = publicMessages(lang);
      const form = await formBody(c, { all: true });
      if (String(form[HONEYPOT_FIELD] ?? "") !== "") {
        // A bot filled the hidden field: answer as if all went well, store nothing.
        deps.log.info("honeypot triggered: request dropped");
        return c.redirect(`/?lang=${lang}`, 303);
      }
      try {
        const accepted = await submitRequest(deps, formToPayload(form));
        return c.redirect(
          `/status/${accepted.reference}?token=${encodeURIComponent(accepted.statusToken)}&submitted=1&lang=${lang}`,
          303,
        );
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== "validation_failed") throw err;
        return c.html(
          <RequestForm lang={lang} m={m} path={pathOf(c)} values={form} errors={formErrors(err.fields, m)} />,
          400,
        );
      }
    },
  );

  app.post("/api/requests", perClient, limit, async (c) => {
    const type = c.req.header("content-type") ?? "";
    if (!/^application\/json\s*(;|$)/i.test(type)) {
      throw new AppError("unsupported_media_type", "Send the request as application/json");
    }
    const body = await jsonBody(c);
    const key = c.req.header("idempotency-key");
    if (key !== undefined && (key.length === 0 || key.length > 200)) {
      throw new AppError("validation_failed", "Idempotency-Key must be 1 to 200 characters", [
        { path: "Idempotency-Key", message: "must be 1 to 200 characters" },
      ]);
    }
    const accepted = await submitRequest(deps, body, key);
    return c.json(
      { reference: accepted.reference, statusUrl: statusUrl(accepted.reference, accepted.statusToken) },
      202,
    );
  });

  app.get("/status/:reference", async (c) => {
    const reference = c.req.param("reference");
    const token = c.req.query("token") ?? "";
    // The same answer for "no such case" and "wrong token": existence is not disclosed.
    const found = REFERENCE_PATTERN.test(reference) && token ? await deps.cases.get(reference) : undefined;
    if (!found || !tokenMatches(token, found.tokenHash)) return c.notFound();
    const view = publicView(found);
    c.header("Cache-Control", "no-store");
    if (!prefersHtml(c)) return c.json(view);
    const lang = chooseLang(c);
    const team = view.consortiumId
      ? ((await deps.consortia()).byId.get(view.consortiumId)?.name ?? null)
      : null;
    return c.html(
      <StatusPage
        lang={lang}
        m={publicMessages(lang)}
        path={pathOf(c)}
        view={view}
        teamName={team}
        statusUrl={statusUrl(reference, token)}
        justSubmitted={c.req.query("submitted") === "1"}
      />,
    );
  });

  // Generated from the schemas at build time (`npm run openapi`); the server is this deployment.
  const { openapi, info, ...rest } = OPENAPI;
  const apiDocument = { openapi, info, servers: [{ url: deps.config.PUBLIC_BASE_URL }], ...rest };
  app.get("/api/openapi.json", (c) => c.json(apiDocument));
  app.get("/api/docs", (c) => c.html(<ApiDocsPage doc={apiDocument} />));

  return app;
}
