import { Hono } from "hono";
import { prefersHtml } from "#functions/http/commons/error-response.ts";
import { pageOf } from "#functions/http/commons/page-state.ts";
import { publicMessages } from "#functions/http/i18n/public-messages.ts";
import { REFERENCE_PATTERN, tokenMatches } from "#shared/cases/ids.ts";
import { publicView } from "#shared/cases/model.ts";
import type { IntakeDeps } from "#shared/intake/service.ts";
import type { ConsortiumDirectory } from "#shared/reference/consortium-directory.ts";
import { statusUrl } from "./link.ts";
import { StatusPage } from "./page.tsx";

export interface StatusDeps extends Pick<IntakeDeps, "cases"> {
  consortia: () => Promise<ConsortiumDirectory>;
  config: { PUBLIC_BASE_URL: string };
}

/** `GET /status/:reference?token=`: the case as the company may see it, as a page or as JSON. */
export function statusRoutes(deps: StatusDeps) {
  const app = new Hono();
  app.get("/:reference", async (c) => {
    const reference = c.req.param("reference");
    const token = c.req.query("token") ?? "";
    // The same answer for "no such case" and "wrong token": existence is not disclosed.
    const found = REFERENCE_PATTERN.test(reference) && token ? await deps.cases.get(reference) : undefined;
    if (!found || !tokenMatches(token, found.tokenHash)) return c.notFound();
    const view = publicView(found);
    c.header("Cache-Control", "no-store");
    if (!prefersHtml(c)) return c.json(view);
    // Only here is there a page (an API client gets JSON; a wrong link, the not-found page).
    const page = pageOf(c, publicMessages);
    const team = view.consortiumId
      ? ((await deps.consortia()).byId.get(view.consortiumId)?.name ?? null)
      : null;
    return c.html(
      <StatusPage
        {...page}
        view={view}
        teamName={team}
        statusUrl={statusUrl(deps.config.PUBLIC_BASE_URL, reference, token)}
        justSubmitted={c.req.query("submitted") === "1"}
      />,
    );
  });
  return app;
}
