import { type Context, Hono } from "hono";
import { type FormValues, formBody } from "#functions/http/commons/form-body.ts";
import { type StaffPageEnv, staffPageState } from "#functions/http/commons/page-state.ts";
import {
  type InboxAction,
  type InboxDone,
  type InboxMessages,
  inboxMessages,
} from "#functions/http/i18n/inbox-messages.ts";
import type { StaffAppDeps } from "#functions/http/staff-env.ts";
import { assignCase } from "#shared/cases/assignment.ts";
import {
  addNote,
  caseDetail,
  changeStatus,
  claimCase,
  completeFollowUp,
  listInbox,
  reopenCase,
  transferCase,
} from "#shared/cases/casework.ts";
import { readDocument } from "#shared/documents/versioned-document.ts";
import { AppError } from "#shared/errors.ts";
import type { Principal } from "#shared/principal.ts";
import { CAMPAIGNS } from "#shared/rules/campaigns.ts";
import { CasePage } from "./case-page.tsx";
import { type PageProblem, pageProblem } from "./feedback.tsx";
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
    const inbox = p.role === "admin" ? (query.consortiumId ?? "manual") : (p.consortiumId ?? "");
    const [campaigns, listed] = await Promise.all([
      readDocument(deps.db, deps.config.tableName, CAMPAIGNS, { fresh: false }),
      listInbox(deps, p, query).catch((err: unknown) => {
        // A listing the inbox refuses (a search too long, a stale cursor) is the reader's to fix: said on the page.
        if (err instanceof AppError && err.code === "validation_failed") return err;
        throw err;
      }),
    ]);
    const problem = listed instanceof AppError ? pageProblem(c.var.page.m, "search", listed) : undefined;
    const page = listed instanceof AppError ? { consortiumId: inbox, items: [], nextCursor: null } : listed;
    return c.html(
      <InboxPage
        {...c.var.page}
        page={page}
        query={query}
        consortia={dir.consortia}
        campaigns={campaigns.campaigns.filter((x) => x.consortiumId === page.consortiumId)}
        problem={problem}
      />,
      problem ? 400 : 200,
    );
  });

  const renderCase = async (c: Context<InboxEnv>, problem?: PageProblem, status: 200 | 400 | 409 = 200) => {
    const [detail, dir] = await Promise.all([
      caseDetail(deps, c.var.principal, c.req.param("id") ?? ""),
      deps.consortia(),
    ]);
    return c.html(
      <CasePage {...c.var.page} detail={detail} consortia={dir.consortia} problem={problem} />,
      status,
    );
  };
  app.get("/cases/:id", (c) => renderCase(c));

  // Form posts: do the action, then show the case again (303) with what was done, or the problem
  // next to its field, in the reader's language.
  const caseUrl = (id: string, done: InboxDone) => `/inbox/cases/${encodeURIComponent(id)}?done=${done}`;
  const action =
    (
      name: InboxAction,
      run: (p: Principal, id: string, form: FormValues, c: Context<InboxEnv>) => Promise<InboxDone>,
      after: (id: string, done: InboxDone) => string = caseUrl,
    ) =>
    async (c: Context<InboxEnv>) => {
      const id = c.req.param("id") ?? "";
      const form = await formBody(c);
      let done: InboxDone;
      try {
        done = await run(c.var.principal, id, form, c);
      } catch (err) {
        if (!(err instanceof AppError) || !["validation_failed", "conflict"].includes(err.code)) throw err;
        return renderCase(c, pageProblem(c.var.page.m, name, err), err.code === "conflict" ? 409 : 400);
      }
      return c.redirect(after(id, done), 303);
    };
  /** A form's choice left at its "none" option is no choice. */
  const chosen = (v: FormValues[string] | undefined) => (typeof v === "string" && v !== "" ? v : undefined);
  app.post(
    "/cases/:id/claim",
    action("claim", async (p, id, f) => {
      await claimCase(deps, p, id, { reassign: f.reassign === "true" });
      return "claimed";
    }),
  );
  app.post(
    "/cases/:id/notes",
    action("note", async (p, id, f) => {
      const [system, contact] = [chosen(f.system), chosen(f.contact)];
      await addNote(deps, p, id, {
        text: f.text,
        ...(system ? { system } : {}),
        ...(contact ? { contact } : {}),
      });
      return contact ? "contacted" : "noted";
    }),
  );
  app.post(
    "/cases/:id/status",
    action("status", async (p, id, f) => {
      // No outcome chosen is no outcome: a 400 at `outcome`, never a default.
      const outcome = chosen(f.outcome);
      await changeStatus(
        deps,
        p,
        id,
        f.status === "closed" ? { status: "closed", outcome } : { status: f.status },
      );
      return f.status === "closed" ? "closed" : "started";
    }),
  );
  app.post(
    "/cases/:id/reopen",
    action("reopen", async (p, id, f) => {
      await reopenCase(deps, p, id, { reason: f.reason });
      return "reopened";
    }),
  );
  app.post(
    "/cases/:id/transfer",
    action(
      "transfer",
      async (p, id, f) => {
        await transferCase(deps, p, id, { consortiumId: f.consortiumId, reason: f.reason });
        return "transferred";
      },
      (_id, done) => `/inbox?done=${done}`,
    ),
  );
  app.post(
    "/cases/:id/assign",
    action("assign", async (p, id, f) => {
      await assignCase(deps, p, id, { email: f.email });
      return "assigned";
    }),
  );
  app.post(
    "/cases/:id/follow-ups/:couplingId/done",
    action("followUp", async (p, id, _f, c) => {
      await completeFollowUp(deps, p, id, c.req.param("couplingId") ?? "");
      return "followUpDone";
    }),
  );
  return app;
}
