import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { CaseStore } from "../../shared/cases/store.ts";
import type { Log } from "../../shared/log.ts";
import { type CaseMessage, CaseMessageSchema } from "../../shared/queues.ts";

/** Where a failed record's error is noted (on its case), so the dead-letter screen can show it. */
export interface ErrorSink {
  cases: Pick<CaseStore, "recordError">;
  now: () => string;
  log: Log;
}

/**
 * Runs `work` for each SQS record; a record that throws is reported in `batchItemFailures`, so only
 * it is retried (and after maxReceiveCount lands in its DLQ). Powertools does the bookkeeping. With
 * `errors`, the error of a failed case message is also recorded on the case (best effort) first.
 */
export function caseBatch(
  work: (message: CaseMessage, record: SQSRecord) => Promise<unknown>,
  errors?: ErrorSink,
) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const processor = new BatchProcessor(EventType.SQS);
    return processPartialResponse(
      event,
      async (record: SQSRecord) => {
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
      },
      processor,
    );
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
