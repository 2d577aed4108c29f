import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aPayload, startTestService, waitFor } from "#tests/support/local.ts";

/**
 * DynamoDB Local killed on its own (the OOM killer, a crash): before, the service answered 503 on
 * intake and /health until someone restarted it by hand. Now the local stack starts it again on the
 * same port and data, and what was stored before is still there.
 */
let svc: Awaited<ReturnType<typeof startTestService>>;
beforeAll(async () => {
  svc = await startTestService();
});
afterAll(async () => {
  await svc?.stop();
});

const submit = () =>
  fetch(`${svc.url}/api/requests`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(aPayload()),
  });

describe("DynamoDB Local dying alone", () => {
  it("is started again: /health and the intake recover, and stored cases survive", async () => {
    const before = await submit();
    expect(before.status).toBe(202);
    const { statusUrl } = (await before.json()) as { statusUrl: string };

    expect(await (await fetch(`${svc.url}/health`)).json()).toEqual({
      status: "ok",
      parts: { database: "up", queue: "up", workers: "up" },
    });

    process.kill(svc.dynamoPid, "SIGKILL");
    // /health says which part is down, not only that something is.
    const down = await waitFor(
      async () => {
        const res = await fetch(`${svc.url}/health`);
        return res.status === 503 ? ((await res.json()) as { down: string[] }) : undefined;
      },
      10_000,
      "health to notice",
    );
    expect(down.down).toEqual(["database"]);
    await waitFor(
      async () => ((await fetch(`${svc.url}/health`)).ok ? true : undefined),
      60_000,
      "health after the restart",
    );
    expect((await submit()).status).toBe(202);
    expect((await fetch(statusUrl, { headers: { accept: "application/json" } })).status).toBe(200);
  });
});
