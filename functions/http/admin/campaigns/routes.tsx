import { type Context, Hono } from "hono";
import { parseJsonField } from "#functions/http/admin/json-field.ts";
import { formBody } from "#functions/http/commons/form-body.ts";
import { jsonBody } from "#functions/http/commons/json-body.ts";
import type { AdminPageEnv, Env, StaffAppDeps } from "#functions/http/staff-env.ts";
import { campaignsWithCounts, putCampaign } from "#shared/admin/campaigns-admin.ts";
import { AppError } from "#shared/errors.ts";
import { CampaignsPage } from "./page.tsx";

/** Campaigns: `/api/admin/campaigns` (with counts) and the page `/admin/campaigns`. */
export function campaignRoutes(deps: StaffAppDeps) {
  const api = new Hono<Env>();
  const pages = new Hono<AdminPageEnv>();
  api.get("/", async (c) => c.json({ items: await campaignsWithCounts(deps) }));
  api.put("/:id", async (c) => {
    return c.json(await putCampaign(deps, c.get("principal"), c.req.param("id"), await jsonBody(c)));
  });

  const render = async (
    c: Context<AdminPageEnv>,
    state: { error?: AppError; text?: string } = {},
    status: 200 | 400 | 409 = 200,
  ) => {
    return c.html(
      <CampaignsPage
        {...c.var.page}
        items={await campaignsWithCounts(deps)}
        text={state.text}
        error={state.error}
      />,
      status,
    );
  };
  pages.get("/", (c) => render(c));
  pages.post("/", async (c) => {
    const text = String((await formBody(c)).campaign ?? "");
    try {
      const parsed = parseJsonField(c.var.page.m, text, "") as { id?: unknown } | null;
      await putCampaign(deps, c.get("principal"), String(parsed?.id ?? ""), parsed);
      return c.redirect("/admin/campaigns", 303);
    } catch (err) {
      if (!(err instanceof AppError) || !["validation_failed", "conflict"].includes(err.code)) throw err;
      return render(c, { error: err, text }, err.code === "conflict" ? 409 : 400);
    }
  });
  return { api, pages };
}
