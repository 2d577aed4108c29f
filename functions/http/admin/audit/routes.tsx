import { Hono } from "hono";
import type { AdminFeature, AdminPageEnv, Env, StaffAppDeps } from "#functions/http/staff-env.ts";
import { AuditPage } from "./page.tsx";

/** The audit trail: `GET /api/admin/audit?limit=` and the page `/admin/audit`. */
export function auditRoutes(deps: StaffAppDeps): AdminFeature {
  const api = new Hono<Env>();
  const pages = new Hono<AdminPageEnv>();
  api.get("/", async (c) => {
    const limit = Math.min(Math.max(Number(c.req.query("limit") ?? 100) || 100, 1), 500);
    return c.json({ items: await deps.audit.list(deps.now(), limit) });
  });
  pages.get("/", async (c) => {
    const items = await deps.audit.list(deps.now(), 200);
    return c.html(<AuditPage {...c.var.page} items={items} />);
  });
  return { api, pages };
}
