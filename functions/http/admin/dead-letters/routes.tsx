import { type Context, Hono } from "hono";
import { jsonBody } from "#functions/http/commons/json-body.ts";
import { adminMessages } from "#functions/http/i18n/admin-messages.ts";
import { chooseLang } from "#functions/http/i18n/lang.ts";
import type { AdminFeature, Env, StaffAppDeps } from "#functions/http/staff-env.ts";
import { listDeadLetters, RedriveSchema, redrive } from "#shared/admin/dead-letters-admin.ts";
import { parseBody } from "#shared/validation.ts";
import { DeadLettersPage, type RedriveSummary } from "./page.tsx";

/**
 * Dead letters and their redrive: the JSON API and the admin page (same functions). The staff app
 * has already checked that the caller is an administrator, and its CSRF check covers the form.
 */
export function deadLetterRoutes(deps: StaffAppDeps): AdminFeature {
  const api = new Hono<Env>();
  const pages = new Hono<Env>();

  api.get("/", async (c) => c.json(await listDeadLetters(deps)));

  api.post("/redrive", async (c) => {
    const input = parseBody(RedriveSchema, await jsonBody(c));
    return c.json(await redrive(deps, c.get("principal"), input));
  });

  const render = async (c: Context<Env>, opts: { done?: RedriveSummary; error?: string } = {}) => {
    const lang = chooseLang(c);
    const url = new URL(c.req.url);
    return c.html(
      <DeadLettersPage
        lang={lang}
        m={adminMessages(lang)}
        path={url.pathname + url.search}
        user={c.get("principal")}
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
    if (form.all !== "true" && chosen.length === 0)
      return render(c, { error: adminMessages(chooseLang(c)).dlChooseSome });
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
