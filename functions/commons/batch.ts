import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { type CaseMessage, CaseMessageSchema } from "../../shared/queues.ts";

/**
 * Runs `work` for each SQS record; a record that throws is reported in `batchItemFailures`, so only
 * it is retried (and after maxReceiveCount lands in its DLQ). Powertools does the bookkeeping.
 */
export function caseBatch(work: (message: CaseMessage, record: SQSRecord) => Promise<unknown>) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const processor = new BatchProcessor(EventType.SQS);
    return processPartialResponse(
      event,
      (record: SQSRecord) => work(parseMessage(record), record),
      processor,
    );
  };
}

export function parseMessage(record: SQSRecord): CaseMessage {
  return CaseMessageSchema.parse(JSON.parse(record.body));
}
