import { type Context, Hono } from "hono";
import { AppError, notFound } from "#shared/errors.ts";
import type { IntakeDeps } from "#shared/intake/service.ts";
import type { ConsortiumDirectory } from "#shared/reference/consortium-directory.ts";
import { apiDocs } from "./api-docs/routes.tsx";
import { APP_CSS } from "./commons/assets.ts";
import { bodyLimitKb } from "./commons/body-limit.ts";
import { errorResponse, prefersHtml } from "./commons/error-response.ts";
import { originVerify } from "./commons/origin-verify.ts";
import { pageOf } from "./commons/page-state.ts";
import { NotFoundPage, ProblemPage } from "./commons/problem-page.tsx";
import { edgeClient, rateLimit } from "./commons/rate-limit.ts";
import { SECURE_HEADERS } from "./commons/security-headers.ts";
import { problemText, publicMessages } from "./i18n/public-messages.ts";
import { intakeApi } from "./intake-api/routes.ts";
import { requestForm } from "./request-form/routes.tsx";
import { ratingRoutes } from "./status/rating.tsx";
import { statusRoutes } from "./status/routes.tsx";

export const MAX_BODY_BYTES = 64 * 1024;

export interface PublicAppDeps extends IntakeDeps {
  consortia: () => Promise<ConsortiumDirectory>;
  /** With `ORIGIN_VERIFY_SECRET` (on AWS), only requests that came through CloudFront are served. */
  config: {
    PUBLIC_BASE_URL: string;
    ORIGIN_VERIFY_SECRET?: string | undefined;
    ACCESSIBILITY_STATEMENT_URL?: string;
  };
  /** The key of the companies' links (status tokens, rating links). */
  caseLinkSecret?: () => Promise<string | undefined>;
  /**
   * Whether each part the service depends on answers (locally: the database, the queue, the
   * workers); `GET /health` answers 200 only when all do, and names the parts that do not.
   */
  health?: () => Promise<Record<string, boolean>>;
  /** New requests per client per minute (default 30), and how a client is recognised. */
  rateLimitPerMinute?: number;
  clientKey?: (c: Context) => string;
}

/**
 * The public HTTP app: the web form, the JSON intake API, the status page, and the API's docs.
 * Thin: it parses HTTP, calls the intake service, and renders; errors are mapped in one place.
 */
export function createPublicApp(deps: PublicAppDeps) {
  const app = new Hono();
  app.use(SECURE_HEADERS);
  // Before anything else reads the request (rate limits, bodies): the refusal still gets the headers.
  if (deps.config.ORIGIN_VERIFY_SECRET) app.use(originVerify(deps.config.ORIGIN_VERIFY_SECRET));
  app.onError((err, c) => {
    // A browser gets a page it can read (too many requests, too large, unavailable); API clients JSON.
    if (prefersHtml(c) && err instanceof AppError && err.code !== "not_found") {
      const res = errorResponse(err, c, deps.log);
      const page = pageOf(c, publicMessages);
      return c.html(
        <ProblemPage
          {...page}
          title={page.m.problemTitle}
          text={problemText(page.m, err.code) ?? err.message}
        />,
        res.status as 400,
      );
    }
    return errorResponse(err, c, deps.log);
  });
  app.notFound((c) => {
    if (prefersHtml(c)) return c.html(<NotFoundPage {...pageOf(c, publicMessages)} />, 404);
    return errorResponse(notFound(), c, deps.log);
  });

  app.get("/health", async (c) => {
    if (!deps.health) return c.json({ status: "ok" });
    const parts = await deps.health();
    const down = Object.keys(parts).filter((part) => !parts[part]);
    const body = {
      status: down.length ? "unavailable" : "ok",
      parts: Object.fromEntries(Object.entries(parts).map(([part, up]) => [part, up ? "up" : "down"])),
      ...(down.length ? { down } : {}),
    };
    return c.json(body, down.length ? 503 : 200);
  });

  app.get("/assets/app.css", (c) => {
    c.header("Cache-Control", "public, max-age=3600");
    return c.body(APP_CSS, 200, { "Content-Type": "text/css; charset=utf-8" });
  });

  // Refused before the body is read: a client over its limit costs nothing further. One count per
  // client for the form and the API together.
  const limits = {
    perClient: rateLimit({
      perMinute: deps.rateLimitPerMinute ?? 30,
      clientKey: deps.clientKey ?? edgeClient,
    }),
    body: bodyLimitKb(MAX_BODY_BYTES / 1024),
  };
  app.route("/", requestForm({ ...deps, limits }));
  app.route("/api/requests", intakeApi({ ...deps, limits }));
  app.route("/status", statusRoutes(deps));
  app.route("/rate", ratingRoutes(deps));
  app.route("/api", apiDocs(deps));
  return app;
}
