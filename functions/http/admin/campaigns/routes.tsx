import { type Context, Hono } from "hono";
import { formBody } from "#functions/http/commons/form-body.ts";
import { jsonBody } from "#functions/http/commons/json-body.ts";
import { adminMessages } from "#functions/http/i18n/admin-messages.ts";
import { chooseLang } from "#functions/http/i18n/lang.ts";
import { CampaignsPage } from "./page.tsx";
import type { Env, StaffAppDeps } from "#functions/http/staff-env.ts";
import { campaignsWithCounts, putCampaign } from "#shared/admin/campaigns-admin.ts";
import { AppError } from "#shared/errors.ts";

/** Campaigns: `/api/admin/campaigns` (with counts) and the page `/admin/campaigns`. */
export function campaignRoutes(deps: StaffAppDeps) {
  const app = new Hono<Env>();
  app.get("/api/admin/campaigns", async (c) => c.json({ items: await campaignsWithCounts(deps) }));
  app.put("/api/admin/campaigns/:id", async (c) => {
    return c.json(await putCampaign(deps, c.get("principal"), c.req.param("id"), await jsonBody(c)));
  });

  const render = async (
    c: Context<Env>,
    state: { error?: AppError; text?: string } = {},
    status: 200 | 400 | 409 = 200,
  ) => {
    const lang = chooseLang(c);
    const url = new URL(c.req.url);
    return c.html(
      <CampaignsPage
        lang={lang}
        m={adminMessages(lang)}
        path={url.pathname + url.search}
        user={c.get("principal")}
        items={await campaignsWithCounts(deps)}
        text={state.text}
        error={state.error}
      />,
      status,
    );
  };
  app.get("/admin/campaigns", (c) => render(c));
  app.post("/admin/campaigns", async (c) => {
    const text = String((await formBody(c)).campaign ?? "");
    try {
      let parsed: { id?: unknown };
      try {
        parsed = JSON.parse(text) as { id?: unknown };
      } catch {
        throw new AppError("validation_failed", "Not valid JSON", [
          { path: "", message: "is not valid JSON" },
        ]);
      }
      await putCampaign(deps, c.get("principal"), String(parsed.id ?? ""), parsed);
      return c.redirect("/admin/campaigns", 303);
    } catch (err) {
      if (!(err instanceof AppError) || !["validation_failed", "conflict"].includes(err.code)) throw err;
      return render(c, { error: err, text }, err.code === "conflict" ? 409 : 400);
    }
  });
  return app;
}
