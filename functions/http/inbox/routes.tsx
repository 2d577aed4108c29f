import { type Context, Hono } from "hono";
import { type FormValues, formBody } from "#functions/http/commons/form-body.ts";
import { type StaffPageEnv, staffPageState } from "#functions/http/commons/page-state.ts";
import { type InboxMessages, inboxMessages } from "#functions/http/i18n/inbox-messages.ts";
import type { StaffAppDeps } from "#functions/http/staff-env.ts";
import {
  addNote,
  caseDetail,
  changeStatus,
  claimCase,
  completeFollowUp,
  listInbox,
  transferCase,
} from "#shared/cases/casework.ts";
import { AppError } from "#shared/errors.ts";
import type { Principal } from "#shared/principal.ts";
import { CasePage } from "./case-page.tsx";
import { InboxPage } from "./list-page.tsx";

type InboxEnv = StaffPageEnv<InboxMessages>;

/** The inbox web UI, mounted at /inbox: the same functions as the API, rendered, and its form posts. */
export function inboxPages(deps: StaffAppDeps) {
  const app = new Hono<InboxEnv>();
  app.use(staffPageState(inboxMessages));

  app.get("/", async (c) => {
    const p = c.var.principal;
    const dir = await deps.consortia();
    // `lang` belongs to the page (chooseLang has read and remembered it), not to the inbox query; and
    // the filter form sends its "all" choices as empty fields, which mean no filter.
    const { lang: _lang, ...asked } = c.req.query();
    const query = Object.fromEntries(Object.entries(asked).filter(([, v]) => v !== ""));
    if (p.role === "admin" && !query.consortiumId) query.consortiumId = dir.consortia[0]?.id ?? "manual";
    const page = await listInbox(deps, p, query);
    return c.html(<InboxPage {...c.var.page} page={page} query={query} consortia={dir.consortia} />);
  });

  const renderCase = async (c: Context<InboxEnv>, error?: string, status: 200 | 400 | 404 | 409 = 200) => {
    const [detail, dir] = await Promise.all([
      caseDetail(deps, c.var.principal, c.req.param("id") ?? ""),
      deps.consortia(),
    ]);
    return c.html(
      <CasePage {...c.var.page} detail={detail} consortia={dir.consortia} error={error} />,
      status,
    );
  };
  app.get("/cases/:id", (c) => renderCase(c));

  // Form posts: do the action, then show the case again (303), or the problem next to it.
  const action =
    (
      run: (p: Principal, id: string, form: FormValues, c: Context<InboxEnv>) => Promise<unknown>,
      after?: (id: string) => string,
    ) =>
    async (c: Context<InboxEnv>) => {
      const id = c.req.param("id") ?? "";
      const form = await formBody(c);
      try {
        await run(c.var.principal, id, form, c);
      } catch (err) {
        if (!(err instanceof AppError) || !["validation_failed", "conflict"].includes(err.code)) throw err;
        const detail = err.fields.length
          ? `${err.message}: ${err.fields.map((f) => `${f.path} ${f.message}`).join("; ")}`
          : err.message;
        return renderCase(c, detail, err.code === "conflict" ? 409 : 400);
      }
      return c.redirect(after ? after(id) : `/inbox/cases/${encodeURIComponent(id)}`, 303);
    };
  app.post(
    "/cases/:id/claim",
    action((p, id, f) => claimCase(deps, p, id, { reassign: f.reassign === "true" })),
  );
  app.post(
    "/cases/:id/notes",
    action((p, id, f) => addNote(deps, p, id, { text: f.text, ...(f.system ? { system: f.system } : {}) })),
  );
  app.post(
    "/cases/:id/status",
    action((p, id, f) =>
      changeStatus(
        deps,
        p,
        id,
        f.status === "closed" ? { status: "closed", outcome: f.outcome } : { status: f.status },
      ),
    ),
  );
  app.post(
    "/cases/:id/transfer",
    action(
      (p, id, f) => transferCase(deps, p, id, { consortiumId: f.consortiumId, reason: f.reason }),
      () => "/inbox",
    ),
  );
  app.post(
    "/cases/:id/follow-ups/:couplingId/done",
    action((p, id, _f, c) => completeFollowUp(deps, p, id, c.req.param("couplingId") ?? "")),
  );
  return app;
}
