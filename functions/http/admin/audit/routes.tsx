import { Hono } from "hono";
import { adminMessages } from "#functions/http/i18n/admin-messages.ts";
import { chooseLang } from "#functions/http/i18n/lang.ts";
import type { AdminFeature, Env, StaffAppDeps } from "#functions/http/staff-env.ts";
import { AuditPage } from "./page.tsx";

/** The audit trail: `GET /api/admin/audit?limit=` and the page `/admin/audit`. */
export function auditRoutes(deps: StaffAppDeps): AdminFeature {
  const api = new Hono<Env>();
  const pages = new Hono<Env>();
  api.get("/", async (c) => {
    const limit = Math.min(Math.max(Number(c.req.query("limit") ?? 100) || 100, 1), 500);
    return c.json({ items: await deps.audit.list(deps.now(), limit) });
  });
  pages.get("/", async (c) => {
    const lang = chooseLang(c);
    const url = new URL(c.req.url);
    const items = await deps.audit.list(deps.now(), 200);
    return c.html(
      <AuditPage
        lang={lang}
        m={adminMessages(lang)}
        path={url.pathname + url.search}
        user={c.get("principal")}
        items={items}
      />,
    );
  });
  return { api, pages };
}
