import { Hono } from "hono";
import { jsonBody } from "#functions/http/commons/json-body.ts";
import type { AdminPageEnv, Env, StaffAppDeps } from "#functions/http/staff-env.ts";
import { erasePersonalData, exportPersonalData } from "#shared/admin/personal-data.ts";

/** GDPR requests: export (`GET ?cvr=&email=`) and erasure (`POST {cvr, email?}`), admins only. */
export function personalDataRoutes(deps: StaffAppDeps) {
  const api = new Hono<Env>();
  const pages = new Hono<AdminPageEnv>();
  api.get("/", async (c) => {
    const { cvr, email } = c.req.query();
    return c.json(await exportPersonalData(deps, c.get("principal"), { cvr, ...(email ? { email } : {}) }));
  });
  api.post("/erase", async (c) => {
    return c.json(await erasePersonalData(deps, c.get("principal"), await jsonBody(c)));
  });
  return { api, pages };
}
