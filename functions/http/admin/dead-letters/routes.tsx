import { type Context, Hono } from "hono";
import { jsonBody } from "#functions/http/commons/json-body.ts";
import type { AdminFeature, AdminPageEnv, Env, StaffAppDeps } from "#functions/http/staff-env.ts";
import { listDeadLetters, RedriveSchema, redrive } from "#shared/admin/dead-letters-admin.ts";
import { parseBody } from "#shared/validation.ts";
import { DeadLettersPage, type RedriveSummary } from "./page.tsx";

/**
 * Dead letters and their redrive: the JSON API and the admin page (same functions). The staff app
 * has already checked that the caller is an administrator, and its CSRF check covers the form.
 */
export function deadLetterRoutes(deps: StaffAppDeps): AdminFeature {
  const api = new Hono<Env>();
  const pages = new Hono<AdminPageEnv>();

  api.get("/", async (c) => c.json(await listDeadLetters(deps)));

  api.post("/redrive", async (c) => {
    const input = parseBody(RedriveSchema, await jsonBody(c));
    return c.json(await redrive(deps, c.get("principal"), input));
  });

  const render = async (c: Context<AdminPageEnv>, opts: { done?: RedriveSummary; error?: string } = {}) => {
    return c.html(
      <DeadLettersPage
        {...c.var.page}
        list={await listDeadLetters(deps)}
        done={opts.done}
        error={opts.error}
      />,
      opts.error ? 400 : 200,
    );
  };

  pages.get("/", (c) => {
    const q = c.req.query();
    const done =
      q.redriven !== undefined
        ? { redriven: count(q.redriven), notFound: count(q.notFound), failed: count(q.failed) }
        : undefined;
    return render(c, done ? { done } : {});
  });

  // The form: `messageId` checkboxes, or the "all" button (`all=true`). Then back to the list (303).
  pages.post("/redrive", async (c) => {
    const form = await c.req.parseBody({ all: true });
    const chosen = [form.messageId ?? []].flat().filter((v): v is string => typeof v === "string");
    if (form.all !== "true" && chosen.length === 0) return render(c, { error: c.var.page.m.dlChooseSome });
    const input = parseBody(RedriveSchema, form.all === "true" ? {} : { messageIds: chosen });
    const r = await redrive(deps, c.get("principal"), input);
    const params = new URLSearchParams({
      redriven: String(r.redriven.length),
      notFound: String(r.notFound.length),
      failed: String(r.failed.length),
    });
    return c.redirect(`/admin/dead-letters?${params}`, 303);
  });

  return { api, pages };
}

const count = (v: string | undefined) => Math.max(0, Math.trunc(Number(v ?? 0)) || 0);
