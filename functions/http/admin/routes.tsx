import { Hono } from "hono";
import { staffPageState } from "#functions/http/commons/page-state.ts";
import { adminMessages } from "#functions/http/i18n/admin-messages.ts";
import type { AdminFeature, AdminPageEnv, Env, StaffAppDeps } from "#functions/http/staff-env.ts";
import { auditRoutes } from "./audit/routes.tsx";
import { campaignRoutes } from "./campaigns/routes.tsx";
import { consortiaRoutes } from "./consortia/routes.tsx";
import { deadLetterRoutes } from "./dead-letters/routes.tsx";
import { homeRoutes } from "./home/routes.tsx";
import { personalDataRoutes } from "./personal-data/routes.tsx";
import { rulesRoutes } from "./rules/routes.tsx";
import { statsRoutes } from "./stats/routes.tsx";

/**
 * Everything under /api/admin (`api`) and /admin (`pages`), one folder per feature, each mounted at
 * its name. The staff app puts the guard (authenticated, administrators only) in front of both.
 */
export function adminRoutes(deps: StaffAppDeps): AdminFeature {
  const features: Record<string, AdminFeature> = {
    rules: rulesRoutes(deps),
    consortia: consortiaRoutes(deps),
    campaigns: campaignRoutes(deps),
    "personal-data": personalDataRoutes(deps),
    "dead-letters": deadLetterRoutes(deps),
    stats: statsRoutes(deps),
    audit: auditRoutes(deps),
  };
  const api = new Hono<Env>();
  const pages = new Hono<AdminPageEnv>();
  pages.use(staffPageState(adminMessages));
  for (const [name, feature] of Object.entries(features)) {
    api.route(`/${name}`, feature.api);
    pages.route(`/${name}`, feature.pages);
  }
  // The home: /admin and /api/admin/overview.
  const home = homeRoutes(deps);
  api.route("/", home.api);
  pages.route("/", home.pages);
  return { api, pages };
}
