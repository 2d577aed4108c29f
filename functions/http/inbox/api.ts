import { Hono } from "hono";
import { jsonBody } from "#functions/http/commons/json-body.ts";
import type { Env, StaffAppDeps } from "#functions/http/staff-env.ts";
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

/** The inbox's JSON API, mounted at /api/inbox. Access to a case is decided in shared/cases/casework.ts. */
export function inboxApi(deps: StaffAppDeps) {
  const app = new Hono<Env>();
  app.get("/cases", async (c) => c.json(await listInbox(deps, c.var.principal, c.req.query())));
  app.get("/cases/:id", async (c) => c.json(await caseDetail(deps, c.var.principal, c.req.param("id"))));
  app.post("/cases/:id/claim", async (c) =>
    c.json(await claimCase(deps, c.var.principal, c.req.param("id"), await jsonBody(c, { emptyAs: {} }))),
  );
  app.post("/cases/:id/assign", async (c) =>
    c.json(await assignCase(deps, c.var.principal, c.req.param("id"), await jsonBody(c))),
  );
  app.post("/cases/:id/notes", async (c) =>
    c.json(await addNote(deps, c.var.principal, c.req.param("id"), await jsonBody(c)), 201),
  );
  app.post("/cases/:id/status", async (c) =>
    c.json(await changeStatus(deps, c.var.principal, c.req.param("id"), await jsonBody(c))),
  );
  app.post("/cases/:id/reopen", async (c) =>
    c.json(await reopenCase(deps, c.var.principal, c.req.param("id"), await jsonBody(c))),
  );
  app.post("/cases/:id/transfer", async (c) =>
    c.json(await transferCase(deps, c.var.principal, c.req.param("id"), await jsonBody(c)), 202),
  );
  app.post("/cases/:id/follow-ups/:couplingId/done", async (c) =>
    c.json(await completeFollowUp(deps, c.var.principal, c.req.param("id"), c.req.param("couplingId"))),
  );
  return app;
}
