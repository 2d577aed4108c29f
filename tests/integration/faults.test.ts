import { ProvisionedThroughputExceededException } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseIntake } from "#shared/intake/request-schema.ts";
import { sweep } from "#shared/workflow.ts";
import { aPayload, startTestService, waitFor } from "#tests/support/local.ts";

/**
 * Faults during intake, injected into the real SDK clients of the running service: the client gets a
 * clear 503 with nothing stored, or a 202 and the case is delivered later — never a 202 for a lost case.
 */
let svc: Awaited<ReturnType<typeof startTestService>>;
const faults = { dynamoWrites: false, sqsSends: false };

beforeAll(async () => {
  svc = await startTestService();
  svc.ctx.db.middlewareStack.add(
    (next, context) => async (args) => {
      if (faults.dynamoWrites && context.commandName === "TransactWriteItemsCommand") {
        throw new ProvisionedThroughputExceededException({ message: "injected throttling", $metadata: {} });
      }
      return next(args);
    },
    { step: "initialize", name: "injectDynamoFaults" },
  );
  svc.ctx.sqs.middlewareStack.add(
    (next, context) => async (args) => {
      if (faults.sqsSends && context.commandName === "SendMessageCommand")
        throw new Error("injected: SQS unreachable");
      return next(args);
    },
    { step: "initialize", name: "injectSqsFaults" },
  );
});
afterAll(async () => {
  await svc?.stop();
});

const submit = (description: string) => {
  const p = aPayload();
  return fetch(`${svc.url}/api/requests`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...p, request: { description } }),
  });
};

describe("faults during intake", () => {
  it("DynamoDB throttling: 503 with a clear message, nothing stored", async () => {
    faults.dynamoWrites = true;
    try {
      const res = await submit("Vi skal ansætte en ny kok til køkkenet.");
      expect(res.status).toBe(503);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("unavailable");
      expect(body.error.message).toMatch(/try again/);
    } finally {
      faults.dynamoWrites = false;
    }
    const recent = await svc.ctx.cases.recentCases(svc.ctx.now(), 10);
    expect(recent.some((c) => c.payload.request.description.includes("ny kok til køkkenet"))).toBe(false);
  });

  it("SQS send fails: 202 all the same, and the sweeper delivers the stored case", async () => {
    faults.sqsSends = true;
    let reference: string;
    try {
      const res = await submit("Vi skal ansætte to nye tjenere til restauranten.");
      expect(res.status).toBe(202);
      ({ reference } = (await res.json()) as { reference: string });
      expect((await svc.ctx.cases.get(reference))?.status).toBe("received");
    } finally {
      faults.sqsSends = false;
    }
    const { resent } = await sweep(svc.ctx, 0);
    expect(resent).toContain(reference);
    const c = await waitFor(async () => {
      const x = await svc.ctx.cases.get(reference);
      return x?.status === "delivered" ? x : undefined;
    });
    expect(c.timeline.filter((e) => e.event === "delivered")).toHaveLength(1);
  });

  it("after a failed send between triage and delivery (routed, message lost), the sweeper re-sends it", async () => {
    const res = await submit("Vi skal ansætte tre nye smede.");
    const { reference } = (await res.json()) as { reference: string };
    await waitFor(async () =>
      (await svc.ctx.cases.get(reference))?.status === "delivered" ? true : undefined,
    );
    // Put the case back to "routed, pending" as if the delivery message had been lost.
    const c = await svc.ctx.cases.get(reference);
    expect(c?.consortiumId).toBe("rar-hovedstaden");
    const moved = await svc.ctx.cases.transfer(
      reference,
      "rar-hovedstaden",
      "rar-fyn",
      { sub: "t", name: "Test" },
      "test",
      svc.ctx.now(),
    );
    expect(moved).toBe(true); // routed + pending, and no message was sent
    const { resent } = await sweep(svc.ctx, 0);
    expect(resent).toContain(reference);
    const after = await waitFor(async () => {
      const x = await svc.ctx.cases.get(reference);
      return x?.status === "delivered" ? x : undefined;
    });
    expect(after.consortiumId).toBe("rar-fyn");
  });

  it("messages out of order: a delivery message before triage changes nothing; the case still arrives once", async () => {
    const reference = "IND-0RDR-0001";
    const now = new Date().toISOString();
    await svc.ctx.cases.create(
      {
        reference,
        status: "received",
        receivedAt: now,
        updatedAt: now,
        payload: parseIntake({ ...aPayload(), request: { description: "Vi skal ansætte en ny gartner." } }),
        tokenHash: "x",
        needs: [],
        primaryNeed: null,
        pending: true,
        timeline: [{ at: now, event: "received", actor: "company" }],
      },
      "token",
      [],
    );
    await svc.ctx.queues.toInbox(reference, "rar-hovedstaden"); // arrives before triage
    await new Promise((r) => setTimeout(r, 1500));
    expect((await svc.ctx.cases.get(reference))?.status).toBe("received");
    await svc.ctx.queues.toIntake(reference);
    await svc.ctx.queues.toIntake(reference); // and twice
    const c = await waitFor(async () => {
      const x = await svc.ctx.cases.get(reference);
      return x?.status === "delivered" ? x : undefined;
    });
    await new Promise((r) => setTimeout(r, 1500));
    const after = await svc.ctx.cases.get(reference);
    expect(after?.timeline.map((e) => e.event)).toEqual(["received", "routed", "delivered"]);
    expect(c.consortiumId).toBe("rar-hovedstaden");
  });
});
