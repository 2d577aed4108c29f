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
});
