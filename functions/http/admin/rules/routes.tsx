import { type Context, Hono } from "hono";
import { parseJsonField } from "#functions/http/admin/json-field.ts";
import { type FormValues, formBody } from "#functions/http/commons/form-body.ts";
import { jsonBody } from "#functions/http/commons/json-body.ts";
import { staleDraftText, versionMovedText } from "#functions/http/i18n/admin-messages.ts";
import type { AdminPageEnv, Env, StaffAppDeps } from "#functions/http/staff-env.ts";
import {
  ActiveVersionMoved,
  backtest,
  diffRuleSets,
  discardDraft,
  dryRun,
  getRules,
  history,
  publish,
  putDraft,
  rebaseDraft,
  rollback,
  StaleDraft,
  versionDocument,
} from "#shared/admin/rules-admin.ts";
import { AppError } from "#shared/errors.ts";
import { RulesPage, type RulesPageState } from "./page.tsx";

/** The rule lifecycle over HTTP: JSON API under /api/admin/rules, and the page /admin/rules. */
export function rulesRoutes(deps: StaffAppDeps) {
  const d = { ...deps, config: deps.config };
  const api = new Hono<Env>();
  const pages = new Hono<AdminPageEnv>();

  api.get("/", async (c) => c.json(await getRules(d)));
  api.put("/draft", async (c) => c.json(await putDraft(d, c.get("principal"), await jsonBody(c))));
  api.post("/draft/rebase", async (c) => c.json(await rebaseDraft(d, c.get("principal"))));
  api.post("/draft/discard", async (c) => c.json(await discardDraft(d, c.get("principal"))));
  api.post("/dry-run", async (c) => c.json(await dryRun(d, await jsonBody(c))));
  api.post("/backtest", async (c) => c.json(await backtest(d, await jsonBody(c))));
  api.post("/publish", async (c) => c.json(await publish(d, c.get("principal"), await jsonBody(c)), 201));
  api.post("/rollback", async (c) => c.json(await rollback(d, c.get("principal"), await jsonBody(c)), 201));
  api.get("/versions", async (c) => c.json({ items: await history(d) }));
  api.get("/versions/:version", async (c) =>
    c.json(await versionDocument(d, Number(c.req.param("version")))),
  );
  api.get("/diff", async (c) => {
    const [a, b] = await Promise.all([
      versionDocument(d, Number(c.req.query("from"))),
      versionDocument(d, Number(c.req.query("to"))),
    ]);
    return c.json(diffRuleSets(a.ruleSet, b.ruleSet));
  });

  // ---- the page: every action posts here and the page shows the result in place --------------------
  const render = async (
    c: Context<AdminPageEnv>,
    state: RulesPageState = {},
    status: 200 | 400 | 404 | 409 = 200,
  ) => {
    const [rules, versions] = await Promise.all([getRules(d), history(d)]);
    const url = new URL(c.req.url);
    const from = Number(url.searchParams.get("from"));
    const to = Number(url.searchParams.get("to"));
    const diff =
      from && to
        ? {
            from,
            to,
            diff: diffRuleSets(
              (await versionDocument(d, from)).ruleSet,
              (await versionDocument(d, to)).ruleSet,
            ),
          }
        : undefined;
    return c.html(
      <RulesPage
        {...c.var.page}
        rules={rules}
        versions={versions}
        state={{ ...state, ...(diff ? { diff } : {}) }}
      />,
      status,
    );
  };
  const attempt = async (
    c: Context<AdminPageEnv>,
    run: (form: FormValues) => Promise<RulesPageState>,
    keep: (f: FormValues) => RulesPageState,
  ) => {
    const form = await formBody(c);
    try {
      return await render(c, await run(form));
    } catch (err) {
      if (!(err instanceof AppError) || !["validation_failed", "conflict", "not_found"].includes(err.code))
        throw err;
      const status = err.code === "conflict" ? 409 : err.code === "not_found" ? 404 : 400;
      // A stale draft is refused in the reader's language, with what to do about it beside it.
      const m = c.var.page.m;
      const message =
        err instanceof StaleDraft
          ? staleDraftText(m, err.basedOn, err.activeVersion)
          : err instanceof ActiveVersionMoved
            ? versionMovedText(m, err.activeVersion)
            : err.message;
      return render(c, { ...keep(form), error: { message, fields: err.fields } }, status);
    }
  };
  const text = (f: FormValues, name: string) => String(f[name] ?? "");

  pages.get("/", (c) => render(c));
  pages.post("/draft", (c) =>
    attempt(
      c,
      async (f) => {
        await putDraft(d, c.get("principal"), parseJsonField(c.var.page.m, text(f, "ruleSet"), "ruleSet"));
        return { notice: "draftSaved" };
      },
      (f) => ({ draftText: text(f, "ruleSet") }),
    ),
  );
  pages.post("/draft/rebase", (c) =>
    attempt(
      c,
      async () => {
        await rebaseDraft(d, c.get("principal"));
        return { notice: "draftRebased" };
      },
      () => ({}),
    ),
  );
  pages.post("/draft/discard", (c) =>
    attempt(
      c,
      async () => {
        await discardDraft(d, c.get("principal"));
        return { notice: "draftDiscarded" };
      },
      () => ({}),
    ),
  );
  pages.post("/dry-run", (c) =>
    attempt(
      c,
      async (f) => ({
        dryRun: await dryRun(d, {
          payload: parseJsonField(c.var.page.m, text(f, "payload"), "payload"),
          ruleSet: text(f, "ruleSet") || "draft",
        }),
        payloadText: text(f, "payload"),
      }),
      (f) => ({ payloadText: text(f, "payload") }),
    ),
  );
  pages.post("/backtest", (c) =>
    attempt(
      c,
      async (f) => ({ backtest: await backtest(d, { limit: Number(text(f, "limit") || 200) }) }),
      () => ({}),
    ),
  );
  pages.post("/publish", (c) =>
    attempt(
      c,
      async (f) => {
        const v = await publish(d, c.get("principal"), {
          expectedActiveVersion: Number(text(f, "expectedActiveVersion")),
        });
        return { notice: "published", version: v.version };
      },
      () => ({}),
    ),
  );
  pages.post("/rollback", (c) =>
    attempt(
      c,
      async (f) => {
        const v = await rollback(d, c.get("principal"), { toVersion: Number(text(f, "toVersion")) });
        return { notice: "rolledBack", version: v.version };
      },
      () => ({}),
    ),
  );
  return { api, pages };
}
