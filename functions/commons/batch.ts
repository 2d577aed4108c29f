import type { MiddlewareObj } from "@middy/core";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import type { CaseStore } from "#shared/cases/store.ts";
import type { Log } from "#shared/log.ts";
import { type CaseMessage, CaseMessageSchema } from "#shared/queues.ts";

/**
 * What a worker's handler resolves with: one outcome per record, in the event's order
 * (`Promise.allSettled`), which `@middy/sqs-partial-batch-failure` turns into the batch response:
 * only the rejected records in `batchItemFailures`, so only they are retried (and after
 * maxReceiveCount land in their DLQ); the event source mapping has ReportBatchItemFailures on.
 */
export type RecordOutcomes = PromiseSettledResult<unknown>[];

/**
 * Runs `work` for each record's case message, all at once. A body that is not a case message
 * rejects on its own: the other records go on.
 */
export function eachCaseMessage(
  event: SQSEvent,
  work: (message: CaseMessage) => Promise<unknown>,
): Promise<RecordOutcomes> {
  return Promise.allSettled(event.Records.map(async (record) => work(parseMessage(record))));
}

function parseMessage(record: SQSRecord): CaseMessage {
  return CaseMessageSchema.parse(JSON.parse(record.body));
}

/** The case references of a batch's well-formed messages (a malformed one fails on its own later). */
export function referencesOf(event: SQSEvent): string[] {
  return event.Records.flatMap((record) => referenceOf(record) ?? []);
}

/** A record's case reference; undefined when its body is not a case message. */
function referenceOf(record: SQSRecord): string | undefined {
  try {
    return parseMessage(record).reference;
  } catch {
    return undefined;
  }
}

/** Where a failed record's error is noted (on its case), so the dead-letter screen can show it. */
export interface ErrorSink {
  cases: Pick<CaseStore, "recordError">;
  now: () => string;
  log: Log;
}

/**
 * Middleware: the error of each failed case message is recorded on its case (best effort: it never
 * throws). Attach it after `sqsPartialBatchFailure` so that its `after` runs first (middy runs the
 * `after`s in reverse): the error is on the case before the failure is reported.
 */
export function recordErrorsOnCases(errors: ErrorSink): MiddlewareObj<SQSEvent, RecordOutcomes> {
  return {
    after: async ({ event, response }) => {
      await Promise.all(
        event.Records.map(async (record, i) => {
          const outcome = response?.[i];
          if (outcome?.status !== "rejected") return;
          // A body that is not a case message has no case to note the error on: it just fails.
          const reference = referenceOf(record);
          if (reference === undefined) return;
          await errors.cases.recordError(
            reference,
            { at: errors.now(), message: errorText(outcome.reason), queue: queueNameOf(record) },
            errors.log,
          );
        }),
      );
    },
  };
}

/** `sqsPartialBatchFailure`'s logger: each failed record, one WARN line (its default is console.error). */
export function logFailedRecord(log: Pick<Log, "warn">) {
  return (reason: unknown, record: SQSRecord): void =>
    log.warn("record failed; it will be retried", {
      messageId: record.messageId,
      queue: queueNameOf(record),
      error: errorText(reason),
    });
}

/** The queue a record came from: the last part of its ARN (`arn:aws:sqs:<region>:<account>:<name>`). */
function queueNameOf(record: SQSRecord): string {
  return record.eventSourceARN.split(":").at(-1) ?? "";
}

function errorText(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.length > 1000 ? `${text.slice(0, 997)}...` : text;
}
