import { Hono } from "hono";
import type { AdminFeature, AdminPageEnv, Env, StaffAppDeps } from "#functions/http/staff-env.ts";
import { adminOverview } from "#shared/admin/overview.ts";
import { AdminHomePage } from "./page.tsx";

/** The admin home: `GET /api/admin/overview` and the page `/admin`, the same figures. */
export function homeRoutes(deps: StaffAppDeps): AdminFeature {
  const api = new Hono<Env>();
  const pages = new Hono<AdminPageEnv>();
  api.get("/overview", async (c) => c.json(await adminOverview(deps)));
  pages.get("/", async (c) => c.html(<AdminHomePage {...c.var.page} overview={await adminOverview(deps)} />));
  return { api, pages };
}
