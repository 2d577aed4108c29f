import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { CaseStore } from "#shared/cases/store.ts";
import type { Log } from "#shared/log.ts";
import { type CaseMessage, CaseMessageSchema } from "#shared/queues.ts";

/** Where a failed record's error is noted (on its case), so the dead-letter screen can show it. */
export interface ErrorSink {
  cases: Pick<CaseStore, "recordError">;
  now: () => string;
  log: Log;
}

/**
 * Runs `work` for each SQS record, all at once; a record that throws is reported in
 * `batchItemFailures`, so only it is retried (and after maxReceiveCount lands in its DLQ): the
 * event source mapping has ReportBatchItemFailures on. A failed record is logged. With `errors`,
 * the error of a failed case message is also recorded on the case (best effort) first.
 */
export function caseBatch(
  work: (message: CaseMessage, record: SQSRecord) => Promise<unknown>,
  errors?: ErrorSink,
) {
  const one = async (record: SQSRecord) => {
    // A body that is not a case message has no case to note the error on: it just fails.
    const message = parseMessage(record);
    try {
      return await work(message, record);
    } catch (err) {
      if (errors) {
        await errors.cases.recordError(
          message.reference,
          { at: errors.now(), message: errorText(err), queue: queueNameOf(record) },
          errors.log,
        );
      }
      throw err;
    }
  };
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const outcomes = await Promise.allSettled(event.Records.map(one));
    const batchItemFailures: SQSBatchResponse["batchItemFailures"] = [];
    outcomes.forEach((outcome, i) => {
      const record = event.Records[i];
      if (outcome.status === "fulfilled" || !record) return;
      batchItemFailures.push({ itemIdentifier: record.messageId });
      errors?.log.warn("record failed; it will be retried", {
        messageId: record.messageId,
        queue: queueNameOf(record),
        error: errorText(outcome.reason),
      });
    });
    return { batchItemFailures };
  };
}

export function parseMessage(record: SQSRecord): CaseMessage {
  return CaseMessageSchema.parse(JSON.parse(record.body));
}

/** The case references of a batch's well-formed messages (a malformed one fails on its own later). */
export function referencesOf(event: SQSEvent): string[] {
  return event.Records.flatMap((record) => {
    try {
      return [parseMessage(record).reference];
    } catch {
      return [];
    }
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
