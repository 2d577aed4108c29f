import { Hono } from "hono";
import { adminMessages } from "#functions/http/i18n/admin-messages.ts";
import { chooseLang } from "#functions/http/i18n/lang.ts";
import { AuditPage } from "./audit/page.tsx";
import type { Env, StaffAppDeps } from "#functions/http/staff-env.ts";
import { campaignRoutes } from "./campaigns/routes.tsx";
import { consortiaRoutes } from "./consortia/routes.tsx";
import { deadLetterRoutes } from "./dead-letters/routes.tsx";
import { personalDataRoutes } from "./personal-data/routes.tsx";
import { rulesRoutes } from "./rules/routes.tsx";
import { statsRoutes } from "./stats/routes.tsx";

/**
 * Everything under /api/admin and /admin. The staff app has already authenticated the caller and
 * refused anyone who is not an administrator (403). Each concern keeps its routes in its own file.
 */
export function adminRoutes(deps: StaffAppDeps) {
  const app = new Hono<Env>();
  app.get("/api/admin/audit", async (c) => {
    const limit = Math.min(Math.max(Number(c.req.query("limit") ?? 100) || 100, 1), 500);
    return c.json({ items: await deps.audit.list(deps.now(), limit) });
  });
  app.get("/admin/audit", async (c) => {
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
  app.route("/", rulesRoutes(deps));
  app.route("/", consortiaRoutes(deps));
  app.route("/", campaignRoutes(deps));
  app.route("/", personalDataRoutes(deps));
  app.route("/", deadLetterRoutes(deps));
  app.route("/", statsRoutes(deps));
  return app;
}
