import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "#shared/principal.ts";
import { callApi, startTestService, submitAndDeliver } from "#tests/support/local.ts";

/**
 * A closed case takes no more work through the API (as on the page), and can be reopened with a
 * reason: back in progress, held by whoever reopened it, its outcome and expiry gone.
 */
let svc: Awaited<ReturnType<typeof startTestService>>;
beforeAll(async () => {
  svc = await startTestService();
});
afterAll(async () => {
  await svc?.stop();
});

const consultant = (consortiumId: string, name: string): Principal => ({
  sub: `u-${consortiumId}-${name}`,
  name,
  role: "consultant",
  consortiumId,
});
const anna = consultant("rar-fyn", "Anna");
const bo = consultant("rar-fyn", "Bo");
const other = consultant("rar-bornholm", "Carl");

describe("a closed case", () => {
  it("refuses notes and follow-ups, is reopened once with a reason, and is open work again", async () => {
    const c = await submitAndDeliver(svc, "461", "Vi vil gerne vokse og mangler en strategi for eksport.");
    const ref = c.reference;
    const api = (who: Principal, path: string, body?: unknown) =>
      callApi(svc, who, "POST", `/api/inbox/cases/${ref}${path}`, body);
    expect((await api(anna, "/claim")).status).toBe(200);
    expect((await api(anna, "/status", { status: "closed", outcome: "growth_programme" })).status).toBe(200);
    const closed = await svc.ctx.cases.get(ref);
    expect(closed?.outcome).toBe("growth_programme");
    expect(closed).toHaveProperty("expiresAt");

    const note = await api(anna, "/notes", { text: "Et notat for sent" });
    expect(note.status).toBe(409);
    expect(note.body.error.message).toMatch(/reopen/);
    const followUp = c.decision?.followUps?.[0];
    if (followUp) expect((await api(anna, `/follow-ups/${followUp.couplingId}/done`)).status).toBe(409);

    // Bad reasons and another consortium change nothing.
    const short = await api(bo, "/reopen", { reason: " x " });
    expect(short.status).toBe(400);
    expect(short.body.error.fields[0].path).toBe("reason");
    expect((await api(other, "/reopen", { reason: "Forkert team" })).status).toBe(404);
    expect((await svc.ctx.cases.get(ref))?.status).toBe("closed");

    const reopened = await api(bo, "/reopen", { reason: "Virksomheden ringede igen om eksport" });
    expect(reopened.status).toBe(200);
    const after = await svc.ctx.cases.get(ref);
    expect(after?.status).toBe("in_progress");
    expect(after?.assignee).toEqual({ sub: bo.sub, name: "Bo" });
    expect(after?.outcome).toBeUndefined();
    expect(after?.closedAt).toBeUndefined();
    expect(after).not.toHaveProperty("expiresAt");
    expect(after?.timeline.at(-1)).toMatchObject({
      event: "reopened",
      actor: bo.sub,
      detail: "Virksomheden ringede igen om eksport",
    });

    // Once: an open case is not reopened again; it takes notes again.
    expect((await api(bo, "/reopen", { reason: "Igen" })).status).toBe(409);
    expect((await api(bo, "/notes", { text: "Aftalt nyt møde" })).status).toBe(201);
  });
});
