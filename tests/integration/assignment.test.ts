import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CaseDetail } from "#shared/cases/casework.ts";
import {
  readOutbox,
  startTestService,
  storeConsortia,
  submitAndDeliver,
  waitFor,
} from "#tests/support/local.ts";

/**
 * Members and assignment on the embedded stack: Bornholm lists two consultants and no shared
 * inbox address, so its new-case notices go to both; a case is given to one of them, who is told
 * by e-mail and finds it under "mine" when signed in with that address.
 */
const ANNE = {
  name: "Anne Jobcenter",
  email: "anne@jobcenter.bornholm.example",
  system: "jobCentre",
} as const;
const BO = { name: "Bo VEU", email: "bo@veu.bornholm.example", system: "veuCentre" } as const;
let svc: Awaited<ReturnType<typeof startTestService>>;
let karen: string;

beforeAll(async () => {
  svc = await startTestService({ env: { RULES_CACHE_SECONDS: "0" } });
  await storeConsortia(svc, (c) => (c.id === "rar-bornholm" ? { ...c, consultants: [ANNE, BO] } : c));
  karen = await svc.issueToken({
    sub: "u-karen",
    name: "Karen",
    role: "consultant",
    consortiumId: "rar-bornholm",
  });
});
afterAll(async () => {
  await svc?.stop();
});

const call = (token: string, path: string, body?: unknown) =>
  fetch(`${svc.url}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const mails = (to: string, subject: string) =>
  readOutbox(svc).filter((m) => m.to === to && m.subject === subject);

describe("members and assignment", () => {
  it("new-case notices go to the listed consultants; a case is suggested to, given to and found by the lead system's consultant", async () => {
    const c = await submitAndDeliver(svc, "400", "Vi vil gerne ansætte en ny tømrer til værkstedet.");
    const ref = c.reference;
    const notice = `Ny sag i jeres indbakke: ${ref}`;
    await waitFor(async () => (mails(BO.email, notice).length ? true : undefined), 20_000, "the notices");
    expect(mails(ANNE.email, notice)).toHaveLength(1);

    // The page suggests the job centre's consultant for a recruitment case.
    const page = await (
      await fetch(`${svc.url}/inbox/cases/${ref}?lang=da`, {
        headers: { authorization: `Bearer ${karen}`, accept: "text/html" },
      })
    ).text();
    expect(page).toContain("Giv sagen til en kollega");
    expect(page).toMatch(
      /<option value="anne@jobcenter\.bornholm\.example" selected="">Anne Jobcenter – Jobcenter/,
    );

    // Not a member: 400 at `email`, nothing changed. Another consortium: the case does not exist.
    const stranger = await call(karen, `/api/inbox/cases/${ref}/assign`, { email: "eve@example.org" });
    expect(stranger.status).toBe(400);
    expect(JSON.stringify(await stranger.json())).toContain('"path":"email"');
    expect((await svc.ctx.cases.get(ref))?.assignee).toBeUndefined();
    const fyn = await svc.issueToken({
      sub: "u-fyn",
      name: "Finn",
      role: "consultant",
      consortiumId: "rar-fyn",
    });
    expect((await call(fyn, `/api/inbox/cases/${ref}/assign`, { email: ANNE.email })).status).toBe(404);

    const given = await call(karen, `/api/inbox/cases/${ref}/assign`, {
      email: "Anne@Jobcenter.Bornholm.example",
    });
    expect(given.status).toBe(200);
    const detail = (await given.json()) as CaseDetail;
    expect(detail.status).toBe("claimed");
    expect(detail.assignee).toMatchObject({ name: ANNE.name, email: ANNE.email });
    expect(detail.timeline.at(-1)).toMatchObject({
      event: "assigned",
      actorName: "Karen",
      detail: ANNE.name,
    });
    const told = `Du har fået sag ${ref}`;
    await waitFor(
      async () => (mails(ANNE.email, told).length ? true : undefined),
      20_000,
      "the assignee's e-mail",
    );
    expect(mails(BO.email, told)).toEqual([]);

    // Anne signs in with her address: the case is hers ("mine"), and claiming takes it under her sign-in.
    const anne = await svc.issueToken({
      sub: "u-anne",
      name: ANNE.name,
      role: "consultant",
      consortiumId: "rar-bornholm",
      email: ANNE.email,
    });
    const mine = (await (await call(anne, "/api/inbox/cases?show=mine")).json()) as {
      items: { id: string }[];
    };
    expect(mine.items.map((i) => i.id)).toContain(ref);
    const karensMine = (await (await call(karen, "/api/inbox/cases?show=mine")).json()) as {
      items: { id: string }[];
    };
    expect(karensMine.items.map((i) => i.id)).not.toContain(ref);
    const claimed = await call(anne, `/api/inbox/cases/${ref}/claim`, {});
    expect(claimed.status).toBe(200);
    expect(((await claimed.json()) as CaseDetail).assignee).toMatchObject({
      sub: "u-anne",
      email: ANNE.email,
    });

    // A closed case is given to nobody.
    expect(
      (await call(anne, `/api/inbox/cases/${ref}/status`, { status: "closed", outcome: "recruited" })).status,
    ).toBe(200);
    expect((await call(karen, `/api/inbox/cases/${ref}/assign`, { email: BO.email })).status).toBe(409);
  });

  it("the page's form gives the case and confirms it in the reader's language", async () => {
    const c = await submitAndDeliver(
      svc,
      "400",
      "Vi vil gerne opkvalificere vores medarbejdere i svejsning.",
    );
    const res = await fetch(`${svc.url}/inbox/cases/${c.reference}/assign?lang=en`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${karen}`,
        "content-type": "application/x-www-form-urlencoded",
        origin: svc.url,
      },
      body: new URLSearchParams({ email: BO.email }).toString(),
      redirect: "manual",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toContain("done=assigned");
    const after = await (
      await fetch(`${svc.url}${res.headers.get("location")}&lang=en`, {
        headers: { authorization: `Bearer ${karen}`, accept: "text/html" },
      })
    ).text();
    expect(after).toContain("The case was given on, and the consultant is told by e-mail.");
    expect((await svc.ctx.cases.get(c.reference))?.assignee?.email).toBe(BO.email);
  });
});
