import type { Context, SQSEvent, SQSRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { createContext } from "#functions/commons/context.ts";
import { createTriageHandler } from "#functions/workers/triage-handler.ts";
import type { CaseRecord } from "#shared/cases/model.ts";
import { loadConfig } from "#shared/config.ts";
import { DEFAULT_CONSORTIA } from "#shared/reference/consortia.ts";
import { directory } from "#shared/reference/consortium-directory.ts";
import { compile } from "#shared/rules/engine.ts";
import { CAFE_PAYLOAD, FakeCaseStore, FakeQueues, MemoryLog } from "#tests/support/fakes.ts";
import { oneRule, text } from "./rules-helpers.ts";

const rules = compile(oneRule(text("kokke")), 7);

function received(reference: string): CaseRecord {
  return {
    reference,
    status: "received",
    receivedAt: "2026-11-27T09:00:00.000Z",
    updatedAt: "2026-11-27T09:00:00.000Z",
    payload: CAFE_PAYLOAD,
    tokenHash: "x",
    needs: [],
    primaryNeed: null,
    pending: true,
    timeline: [{ at: "2026-11-27T09:00:00.000Z", event: "received", actor: "company" }],
  };
}

const record = (body: string, i: number) =>
  ({
    messageId: `m${i}`,
    body,
    eventSourceARN: "arn:aws:sqs:eu-north-1:123456789012:indgang-unit-intake",
  }) as SQSRecord;

function setUp(cases = new FakeCaseStore(), queues = new FakeQueues()) {
  for (const r of ["IND-AAAA-AAAA", "IND-BBBB-BBBB"]) cases.records.set(r, received(r));
  const base = createContext(
    loadConfig({ QUEUE_URL_PREFIX: "http://queues.invalid/", INDGANG_MODE: "local" }),
  );
  const consortia = directory(DEFAULT_CONSORTIA);
  const log = new MemoryLog();
  const handler = createTriageHandler(
    { ...base, cases, queues, log, consortia: async () => consortia },
    async () => rules,
  );
  const event: SQSEvent = {
    Records: [
      record(JSON.stringify({ reference: "IND-AAAA-AAAA" }), 1),
      record(JSON.stringify({ reference: "IND-BBBB-BBBB" }), 2),
      record(JSON.stringify({ reference: "IND-GONE-GONE" }), 3), // erased meanwhile
      record("not json", 4),
    ],
  };
  const invoke = () => handler(event, {} as Context);
  return { cases, queues, log, invoke };
}

describe("triage worker: one read per batch", () => {
  it("reads the batch's cases with one batch read, and only a case it did not find on its own", async () => {
    const { cases, queues, log, invoke } = setUp();
    const response = await invoke();
    expect(log.lines.filter((l) => l.message.startsWith("record failed"))).toEqual([
      { level: "warn", message: "record failed; it will be retried" },
    ]);
    expect(cases.batchReads).toEqual([["IND-AAAA-AAAA", "IND-BBBB-BBBB", "IND-GONE-GONE"]]);
    expect(cases.gets).toEqual(["IND-GONE-GONE"]);
    expect(cases.decisions.sort()).toEqual(["IND-AAAA-AAAA", "IND-BBBB-BBBB"]);
    expect(queues.sent.sort()).toEqual(["IND-AAAA-AAAA", "IND-BBBB-BBBB"]);
    expect(response?.batchItemFailures).toEqual([{ itemIdentifier: "m4" }]);
  });

  it("falls back to one read per message when the batch read fails", async () => {
    const { cases, queues, invoke } = setUp();
    cases.failBatchReads = true;
    const response = await invoke();
    expect(cases.gets.sort()).toEqual(["IND-AAAA-AAAA", "IND-BBBB-BBBB", "IND-GONE-GONE"]);
    expect(queues.sent.sort()).toEqual(["IND-AAAA-AAAA", "IND-BBBB-BBBB"]);
    expect(response?.batchItemFailures).toEqual([{ itemIdentifier: "m4" }]);
  });
});

describe("triage worker: a failed record", () => {
  it("has its error recorded on its case before it is logged and reported; a malformed body fails alone", async () => {
    const recorded: { args: unknown[]; loggedBefore: number }[] = [];
    class RecordingStore extends FakeCaseStore {
      override async recordError(...args: unknown[]) {
        const loggedBefore = log.lines.filter((l) => l.message.startsWith("record failed")).length;
        recorded.push({ args, loggedBefore });
        return true;
      }
    }
    class FailingQueues extends FakeQueues {
      override async toInbox(reference: string): Promise<void> {
        if (reference === "IND-BBBB-BBBB") throw new Error("SQS is down");
        return super.toInbox(reference);
      }
    }
    const { log, invoke } = setUp(new RecordingStore(), new FailingQueues());
    const response = await invoke();
    const error = { at: expect.any(String), message: "Error: SQS is down", queue: "indgang-unit-intake" };
    expect(recorded).toEqual([{ args: ["IND-BBBB-BBBB", error, log], loggedBefore: 0 }]);
    expect(log.lines.filter((l) => l.message.startsWith("record failed"))).toHaveLength(2);
    expect(response?.batchItemFailures).toEqual([{ itemIdentifier: "m2" }, { itemIdentifier: "m4" }]);
  });
});
