import { type Context, Hono } from "hono";
import { formBody } from "#functions/http/commons/form-body.ts";
import { jsonBody } from "#functions/http/commons/json-body.ts";
import type { AdminPageEnv, Env, StaffAppDeps } from "#functions/http/staff-env.ts";
import { erasePersonalData, exportPersonalData, findSubject } from "#shared/admin/personal-data.ts";
import { AppError } from "#shared/errors.ts";
import { PersonalDataPage, type PersonalDataState } from "./page.tsx";

/**
 * GDPR requests: export (`GET ?cvr=&email=`) and erasure (`POST {cvr, email?}`), admins only; the page
 * /admin/personal-data finds the cases first, and asks to confirm an erasure naming each case.
 */
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

  const subjectOf = (q: Record<string, string | undefined>) => {
    const cvr = (q.cvr ?? "").trim();
    const email = (q.email ?? "").trim();
    return { cvr, ...(email ? { email } : {}) };
  };
  const render = (c: Context<AdminPageEnv>, state: PersonalDataState, status: 200 | 400 = 200) =>
    c.html(<PersonalDataPage {...c.var.page} state={state} />, status);
  /** Runs `run`; a subject that is not valid shows the form again with what to fix. */
  const valid = async (
    c: Context<AdminPageEnv>,
    subject: { cvr: string; email?: string },
    run: () => Promise<Response>,
  ) => {
    try {
      return await run();
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== "validation_failed") throw err;
      return render(c, { ...subject, invalid: true }, 400);
    }
  };

  pages.get("/", (c) => {
    const q = c.req.query();
    const subject = subjectOf(q);
    if (!subject.cvr) return render(c, {});
    return valid(c, subject, async () =>
      render(c, { ...subject, found: await findSubject(deps, subject), confirm: q.confirm === "1" }),
    );
  });
  pages.get("/export", (c) => {
    const subject = subjectOf(c.req.query());
    return valid(c, subject, async () => {
      const data = await exportPersonalData(deps, c.get("principal"), subject);
      c.header("content-disposition", `attachment; filename="personal-data-${data.subject.cvr}.json"`);
      return c.json(data);
    });
  });
  pages.post("/erase", async (c) => {
    const f = await formBody(c);
    const subject = subjectOf({ cvr: String(f.cvr ?? ""), email: String(f.email ?? "") });
    return valid(c, subject, async () => {
      const { erased } = await erasePersonalData(deps, c.get("principal"), subject);
      return render(c, { ...subject, erased, found: await findSubject(deps, subject) });
    });
  });
  return { api, pages };
}
