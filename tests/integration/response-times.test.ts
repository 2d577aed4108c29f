import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workingDaysAfter } from "#shared/calendar/working-days.ts";
import type { Principal } from "#shared/principal.ts";
import { callApi, startTestService, submitAndDeliver } from "#tests/support/local.ts";

/** Every listed case and case page carries its consortium's response-time targets, in working days. */
let svc: Awaited<ReturnType<typeof startTestService>>;
beforeAll(async () => {
  svc = await startTestService();
});
afterAll(async () => {
  await svc?.stop();
});

const fyn: Principal = { sub: "u-fyn", name: "Anna", role: "consultant", consortiumId: "rar-fyn" };

describe("response-time targets on the inbox", () => {
  it("first contact due in 2 working days and closing in 20, by the Danish calendar", async () => {
    const c = await submitAndDeliver(svc, "461", "Vi skal ansætte to elektrikere hurtigst muligt.");
    const list = await callApi(svc, fyn, "GET", "/api/inbox/cases");
    const item = list.body.items.find((i: { id: string }) => i.id === c.reference);
    expect(item.dues.firstContact.due.day).toBe(workingDaysAfter(c.receivedAt, 2));
    expect(item.dues.close.due.day).toBe(workingDaysAfter(c.receivedAt, 20));
    expect(["on_time", "due_today"]).toContain(item.dues.firstContact.state);
    const detail = await callApi(svc, fyn, "GET", `/api/inbox/cases/${c.reference}`);
    expect(detail.body.dues).toEqual(item.dues);
  });

  it("a note of a contact (a call) is the first contact, once: the target is met at that time", async () => {
    const c = await submitAndDeliver(svc, "461", "Vi søger en lærling til værkstedet.");
    const note = (body: unknown) => callApi(svc, fyn, "POST", `/api/inbox/cases/${c.reference}/notes`, body);
    expect((await note({ text: "Intern bemærkning" })).status).toBe(201);
    expect((await svc.ctx.cases.get(c.reference))?.firstContactAt).toBeUndefined();
    expect((await note({ text: "Ringede til Mette", contact: "phone" })).status).toBe(201);
    const first = (await svc.ctx.cases.get(c.reference))?.firstContactAt;
    expect(first).toBeDefined();
    expect((await note({ text: "Møde aftalt", contact: "meeting" })).status).toBe(201);
    expect((await svc.ctx.cases.get(c.reference))?.firstContactAt).toBe(first);
    const detail = await callApi(svc, fyn, "GET", `/api/inbox/cases/${c.reference}`);
    expect(detail.body.dues.firstContact).toMatchObject({ state: "met", metAt: first });
    expect(detail.body.timeline.at(-2)).toMatchObject({ event: "note", contact: "phone" });
    const bad = await note({ text: "x", contact: "telepathy" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe("contact");
  });
});
