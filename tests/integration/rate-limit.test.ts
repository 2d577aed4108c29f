import { afterAll, beforeAll, expect, it } from "vitest";
import { aPayload, startTestService } from "#tests/support/local.ts";

let svc: Awaited<ReturnType<typeof startTestService>>;
beforeAll(async () => {
  svc = await startTestService({ env: { INTAKE_RATE_LIMIT_PER_MINUTE: "3" } });
});
afterAll(async () => {
  await svc?.stop();
});

it("limits new requests per client on the running service (429 with Retry-After), form and API alike", async () => {
  const post = (i: number) =>
    fetch(`${svc.url}/api/requests`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        ...aPayload(),
        request: { description: `Vi skal ansætte ${i + 2} nye kokke.` },
      }),
    });
  const statuses = [];
  for (let i = 0; i < 3; i++) statuses.push((await post(i)).status);
  expect(statuses).toEqual([202, 202, 202]);
  const over = await post(9);
  expect(over.status).toBe(429);
  expect(over.headers.get("retry-after")).toMatch(/^\d+$/);
  const form = await fetch(`${svc.url}/`, {
    method: "POST",
    headers: { origin: svc.url, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ "company.cvr": "11696422" }),
    redirect: "manual",
  });
  expect(form.status).toBe(429);
});
