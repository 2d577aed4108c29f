import { type Context, Hono } from "hono";
import { parseJsonField } from "#functions/http/admin/json-field.ts";
import { formBody } from "#functions/http/commons/form-body.ts";
import { jsonBody } from "#functions/http/commons/json-body.ts";
import type { AdminPageEnv, Env, StaffAppDeps } from "#functions/http/staff-env.ts";
import { listConsortia, putConsortium, putConsortiumMap } from "#shared/admin/consortia-admin.ts";
import { AppError } from "#shared/errors.ts";
import { ConsortiaPage } from "./page.tsx";

/** Consortia and the municipality map: `/api/admin/consortia` and the page `/admin/consortia`. */
export function consortiaRoutes(deps: StaffAppDeps) {
  const api = new Hono<Env>();
  const pages = new Hono<AdminPageEnv>();
  api.get("/", async (c) => c.json(await listConsortia(deps)));
  api.put("/", async (c) => c.json(await putConsortiumMap(deps, c.get("principal"), await jsonBody(c))));
  api.put("/:id", async (c) =>
    c.json(await putConsortium(deps, c.get("principal"), c.req.param("id"), await jsonBody(c))),
  );

  const render = async (
    c: Context<AdminPageEnv>,
    state: { error?: AppError; text?: string; saved?: boolean } = {},
    status: 200 | 400 | 409 = 200,
  ) => {
    const current = await listConsortia(deps);
    return c.html(
      <ConsortiaPage
        {...c.var.page}
        current={current}
        text={state.text ?? JSON.stringify(current.consortia, null, 2)}
        error={state.error}
        saved={state.saved ?? false}
      />,
      status,
    );
  };
  pages.get("/", (c) => render(c));
  pages.post("/", async (c) => {
    const form = await formBody(c);
    const text = String(form.consortia ?? "");
    try {
      const parsed = parseJsonField(c.var.page.m, text, "");
      await putConsortiumMap(deps, c.get("principal"), parsed);
      return render(c, { saved: true });
    } catch (err) {
      if (!(err instanceof AppError) || !["validation_failed", "conflict"].includes(err.code)) throw err;
      return render(c, { error: err, text }, err.code === "conflict" ? 409 : 400);
    }
  });
  return { api, pages };
}
