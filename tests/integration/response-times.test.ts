import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
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

  it("show=overdue lists the open cases past their first-contact target, show=mine and unclaimed too", async () => {
    const late = await submitAndDeliver(svc, "461", "Vi mangler en tømrer til et byggeri.");
    const fresh = await submitAndDeliver(svc, "461", "Vi mangler en maler til et byggeri.");
    // Received ten days ago (the test moves the clock of the case, not of the service).
    const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000).toISOString();
    await svc.ctx.db.send(
      new UpdateCommand({
        TableName: svc.ctx.config.tableName,
        Key: { pk: `CASE#${late.reference}`, sk: "CASE" },
        UpdateExpression: "SET receivedAt = :at, gsi1sk = :sk",
        ExpressionAttributeValues: { ":at": tenDaysAgo, ":sk": `${tenDaysAgo}#${late.reference}` },
      }),
    );
    const ids = async (query: string) =>
      ((await callApi(svc, fyn, "GET", `/api/inbox/cases?${query}`)).body.items as { id: string }[]).map(
        (i) => i.id,
      );
    const overdue = await ids("show=overdue");
    expect(overdue).toContain(late.reference);
    expect(overdue).not.toContain(fresh.reference);
    const item = (await callApi(svc, fyn, "GET", "/api/inbox/cases?show=overdue")).body.items.find(
      (i: { id: string }) => i.id === late.reference,
    );
    expect(item.dues.firstContact.state).toBe("overdue");

    expect(await ids("show=unclaimed")).toContain(late.reference);
    expect((await callApi(svc, fyn, "POST", `/api/inbox/cases/${late.reference}/claim`)).status).toBe(200);
    expect(await ids("show=mine")).toEqual([late.reference]);
    expect(await ids("show=unclaimed")).not.toContain(late.reference);

    // A recorded call is the first contact: no longer overdue for it.
    await callApi(svc, fyn, "POST", `/api/inbox/cases/${late.reference}/notes`, {
      text: "Ringet op",
      contact: "phone",
    });
    expect(await ids("show=overdue")).not.toContain(late.reference);
    expect((await callApi(svc, fyn, "GET", "/api/inbox/cases?show=late")).status).toBe(400);
  });

  it("the first message to the company is its first contact, and its words are searchable", async () => {
    const c = await submitAndDeliver(svc, "461", "Vi søger en kok til restauranten.");
    const sent = await callApi(svc, fyn, "POST", `/api/inbox/cases/${c.reference}/messages`, {
      text: "Tak for henvendelsen; vi ringer om introduktionsforløbet i morgen.",
    });
    expect(sent.status).toBeLessThan(300);
    const first = (await svc.ctx.cases.get(c.reference))?.firstContactAt;
    expect(first).toBeDefined();
    const found = await callApi(svc, fyn, "GET", "/api/inbox/cases?q=introduktionsforløbet");
    expect(found.body.items.map((i: { id: string }) => i.id)).toEqual([c.reference]);
    expect(found.body.items[0].hit.field).toBe("message");
  });
});
