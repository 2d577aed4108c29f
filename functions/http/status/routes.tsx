import { type Context, Hono } from "hono";
import { bodyLimitKb } from "#functions/http/commons/body-limit.ts";
import { prefersHtml } from "#functions/http/commons/error-response.ts";
import { formBody } from "#functions/http/commons/form-body.ts";
import { pageOf } from "#functions/http/commons/page-state.ts";
import { edgeClient, rateLimit } from "#functions/http/commons/rate-limit.ts";
import { publicMessages } from "#functions/http/i18n/public-messages.ts";
import { REFERENCE_PATTERN, tokenMatches } from "#shared/cases/ids.ts";
import { type CaseRecord, publicView } from "#shared/cases/model.ts";
import { replyFromCompany } from "#shared/conversation/messages.ts";
import { AppError } from "#shared/errors.ts";
import type { IntakeDeps } from "#shared/intake/service.ts";
import type { ConsortiumDirectory } from "#shared/reference/consortium-directory.ts";
import { statusUrl } from "./link.ts";
import { StatusPage } from "./page.tsx";

export interface StatusDeps extends Pick<IntakeDeps, "cases" | "now" | "log"> {
  consortia: () => Promise<ConsortiumDirectory>;
  config: { PUBLIC_BASE_URL: string; ACCESSIBILITY_STATEMENT_URL?: string };
  /** How a client is recognised for the reply form's rate limit (X-Forwarded-For on AWS). */
  clientKey?: (c: Context) => string;
}

/** Messages a client may post through status pages per minute (each case also has its own hourly limit). */
const REPLIES_PER_CLIENT_PER_MINUTE = 20;

/** `GET /status/:reference?token=`: the case as the company may see it, as a page or as JSON. */
export function statusRoutes(deps: StatusDeps) {
  const app = new Hono();
  /** The case the link opens, or undefined: the same for "no such case" and "wrong token". */
  const opened = async (reference: string, token: string): Promise<CaseRecord | undefined> => {
    const found = REFERENCE_PATTERN.test(reference) && token ? await deps.cases.get(reference) : undefined;
    return found && tokenMatches(token, found.tokenHash) ? found : undefined;
  };
  const render = async (
    c: Context,
    found: CaseRecord,
    token: string,
    notice: { sent?: boolean; error?: string } = {},
    status: 200 | 400 | 409 | 429 = 200,
  ) => {
    const view = publicView(found);
    const page = pageOf(c, publicMessages);
    const team = view.consortiumId
      ? ((await deps.consortia()).byId.get(view.consortiumId)?.name ?? null)
      : null;
    return c.html(
      <StatusPage
        {...page}
        view={view}
        teamName={team}
        statusUrl={statusUrl(deps.config.PUBLIC_BASE_URL, found.reference, token)}
        token={token}
        accessibilityUrl={deps.config.ACCESSIBILITY_STATEMENT_URL}
        justSubmitted={c.req.query("submitted") === "1"}
        messageSent={notice.sent === true}
        {...(notice.error ? { messageError: notice.error } : {})}
      />,
      status,
    );
  };

  // The company writes to the team: behind the status token (in the form, never in a log line),
  // at most REPLIES_PER_CLIENT_PER_MINUTE per client, and a case's own hourly limit.
  app.post(
    "/:reference/messages",
    bodyLimitKb(16),
    rateLimit({ perMinute: REPLIES_PER_CLIENT_PER_MINUTE, clientKey: deps.clientKey ?? edgeClient }),
    async (c) => {
      const reference = c.req.param("reference");
      const form = await formBody(c);
      const token = typeof form.token === "string" ? form.token : "";
      const found = await opened(reference, token);
      if (!found) return c.notFound();
      c.header("Cache-Control", "no-store");
      try {
        await replyFromCompany(deps, found, { text: form.text }, "web");
      } catch (err) {
        if (
          !(err instanceof AppError) ||
          !["validation_failed", "conflict", "rate_limited"].includes(err.code)
        )
          throw err;
        const m = pageOf(c, publicMessages).m;
        const text =
          err.code === "validation_failed"
            ? m.messageEmpty
            : err.code === "rate_limited"
              ? m.problemTexts.rate_limited
              : m.closedNoMessages;
        return render(
          c,
          found,
          token,
          { error: text },
          err.code === "validation_failed" ? 400 : err.code === "rate_limited" ? 429 : 409,
        );
      }
      const lang = pageOf(c, publicMessages).lang;
      return c.redirect(
        `/status/${found.reference}?token=${encodeURIComponent(token)}&lang=${lang}&sent=1#messages`,
        303,
      );
    },
  );

  app.get("/:reference", async (c) => {
    const reference = c.req.param("reference");
    const token = c.req.query("token") ?? "";
    const found = await opened(reference, token);
    if (!found) return c.notFound();
    const view = publicView(found);
    c.header("Cache-Control", "no-store");
    if (!prefersHtml(c)) return c.json(view);
    // Only here is there a page (an API client gets JSON; a wrong link, the not-found page).
    return render(c, found, token, { sent: c.req.query("sent") === "1" });
  });
  return app;
}
