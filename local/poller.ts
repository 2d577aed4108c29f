/**
 * A small stand-in for Lambda's SQS event source mapping: long-polls one queue, hands each batch to
 * a handler as a real `SQSEvent` (the record shape Lambda builds), and deletes what succeeded.
 *
 * Semantics copied from Lambda with ReportBatchItemFailures:
 * - the handler resolves with nothing or an empty `batchItemFailures`: the whole batch is deleted;
 * - it lists some `itemIdentifier`s: every other record is deleted, the listed ones come back after
 *   the visibility timeout (and reach the DLQ after maxReceiveCount receives);
 * - it throws, or lists an identifier that is empty or not in the batch: nothing is deleted.
 * Not copied: Lambda would kill a handler that runs past its timeout; this one only reports the
 * remaining time through `context.getRemainingTimeInMillis()`.
 */
import { randomUUID } from "node:crypto";
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type {
  Context,
  SQSBatchResponse,
  SQSEvent,
  SQSMessageAttribute,
  SQSMessageAttributes,
  SQSRecord,
  SQSRecordAttributes,
} from "aws-lambda";
import { QUEUE_DEFAULTS } from "#shared/resources.ts";

/** Same result type as `SQSHandler` in @types/aws-lambda, so middy/Lambda handlers fit unchanged. */
// biome-ignore lint/suspicious/noConfusingVoidType: mirrors SQSHandler, whose handlers may resolve to void
export type SqsBatchHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export interface PollerOptions {
  sqs: SQSClient;
  queueUrl: string;
  /** Used as `eventSourceARN`; read from the queue (GetQueueAttributes) when omitted. */
  queueArn?: string;
  handler: SqsBatchHandler;
  /** Messages per batch, 1..10 (default QUEUE_DEFAULTS.batchSize). */
  batchSize?: number;
  /** Long-poll wait, 0..20 s (default 20). */
  waitTimeSeconds?: number;
  /** Overrides the queue's visibility timeout for received messages. */
  visibilityTimeoutSeconds?: number;
  /** Reported as `context.functionName` (default `local-<queue name>`). */
  functionName?: string;
  /** Basis of `context.getRemainingTimeInMillis()` (default QUEUE_DEFAULTS.consumerTimeoutSeconds). */
  timeoutSeconds?: number;
  /** Loop errors (emulator gone, handler threw, delete failed). Default: console.error. */
  onError?: (err: unknown) => void;
}

export interface Poller {
  /** Settles once the queue ARN is known and the first receive is about to be sent. */
  ready: Promise<void>;
  /** Ends the loop promptly (aborts the long poll) and waits for an in-flight batch to finish. */
  stop(): Promise<void>;
  /** False once the loop has ended (stopped, or died of an error it could not get past). */
  running(): boolean;
}

const BACKOFF_START_MS = 100;
const BACKOFF_MAX_MS = 5_000;

/** Error raised inside the loop when the handler fails; reported via onError, the batch is kept. */
export class HandlerError extends Error {
  constructor(
    readonly functionName: string,
    override readonly cause: unknown,
  ) {
    super(`handler ${functionName} failed; the batch will become visible again`);
    this.name = "HandlerError";
  }
}

export function startPoller(options: PollerOptions): Poller {
  const batchSize = options.batchSize ?? QUEUE_DEFAULTS.batchSize;
  const waitTimeSeconds = options.waitTimeSeconds ?? 20;
  const timeoutMs = (options.timeoutSeconds ?? QUEUE_DEFAULTS.consumerTimeoutSeconds) * 1000;
  const functionName = options.functionName ?? `local-${queueNameOf(options.queueUrl)}`;
  const onError = options.onError ?? ((err: unknown) => console.error(`[poller ${functionName}]`, err));
  const abort = new AbortController();
  const { signal } = abort;

  let markReady: () => void = () => {};
  let failReady: (err: unknown) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    failReady = reject;
  });
  // A caller that never awaits `ready` must not get an unhandled rejection.
  ready.catch(() => {});

  const run = async (): Promise<void> => {
    let backoffMs = BACKOFF_START_MS;
    let arn = options.queueArn;
    let region: string | undefined;
    while (!signal.aborted) {
      try {
        region ??= await options.sqs.config.region();
        arn ??= await readQueueArn(options.sqs, options.queueUrl, signal);
        markReady();
        const received = await options.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: batchSize,
            WaitTimeSeconds: waitTimeSeconds,
            VisibilityTimeout: options.visibilityTimeoutSeconds,
            MessageSystemAttributeNames: ["All"],
            MessageAttributeNames: ["All"],
          }),
          { abortSignal: signal },
        );
        backoffMs = BACKOFF_START_MS;
        const messages = received.Messages ?? [];
        if (messages.length === 0) continue;
        // From here on the batch is finished even if stop() is called: no abort signal below.
        await processBatch(messages, arn, region);
      } catch (err) {
        if (signal.aborted) break;
        onError(err);
        await sleep(backoffMs, signal);
        backoffMs = Math.min(backoffMs * 2, BACKOFF_MAX_MS);
      }
    }
  };

  const processBatch = async (messages: Message[], arn: string, region: string): Promise<void> => {
    const records = messages.map((message) => toSqsRecord(message, arn, region));
    const context = lambdaContext(functionName, arn, timeoutMs);
    let response: SQSBatchResponse | undefined;
    try {
      response = (await options.handler({ Records: records }, context)) ?? undefined;
    } catch (err) {
      onError(new HandlerError(functionName, err));
      return;
    }
    const toDelete = recordsToDelete(records, response);
    if (toDelete.length === 0) return;
    const result = await options.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: options.queueUrl,
        Entries: toDelete.map((record, i) => ({ Id: String(i), ReceiptHandle: record.receiptHandle })),
      }),
    );
    if (result.Failed !== undefined && result.Failed.length > 0) {
      onError(new Error(`DeleteMessageBatch failed for ${JSON.stringify(result.Failed)}`));
    }
  };

  const loop = run().catch((err: unknown) => onError(err));
  let ended = false;
  loop.finally(() => {
    ended = true;
    failReady(new Error("poller stopped before it was ready"));
  });

  let stopping: Promise<void> | undefined;
  return {
    ready,
    running: () => !ended,
    stop: () => {
      stopping ??= (async () => {
        abort.abort();
        await loop;
      })();
      return stopping;
    },
  };
}

/**
 * Which records to delete after the handler answered, as Lambda decides it: none when a failure
 * names an empty or unknown identifier (Lambda then treats the whole batch as failed).
 */
export function recordsToDelete(records: SQSRecord[], response: SQSBatchResponse | undefined): SQSRecord[] {
  const failures = response?.batchItemFailures ?? [];
  const failed = new Set<string>();
  const ids = new Set(records.map((record) => record.messageId));
  for (const failure of failures) {
    const id = failure.itemIdentifier;
    if (typeof id !== "string" || id === "" || !ids.has(id)) return [];
    failed.add(id);
  }
  return records.filter((record) => !failed.has(record.messageId));
}

/** One SQS message as Lambda's event source mapping presents it. */
export function toSqsRecord(message: Message, queueArn: string, awsRegion: string): SQSRecord {
  const system = message.Attributes ?? {};
  const now = String(Date.now());
  const attributes: SQSRecordAttributes = {
    ApproximateReceiveCount: system.ApproximateReceiveCount ?? "1",
    SentTimestamp: system.SentTimestamp ?? now,
    SenderId: system.SenderId ?? "000000000000",
    ApproximateFirstReceiveTimestamp: system.ApproximateFirstReceiveTimestamp ?? now,
  };
  const optional = [
    "AWSTraceHeader",
    "SequenceNumber",
    "MessageGroupId",
    "MessageDeduplicationId",
    "DeadLetterQueueSourceArn",
  ] as const;
  for (const name of optional) {
    const value = system[name];
    if (value !== undefined) attributes[name] = value;
  }
  const record: SQSRecord = {
    messageId: message.MessageId ?? "",
    receiptHandle: message.ReceiptHandle ?? "",
    body: message.Body ?? "",
    attributes,
    messageAttributes: toLambdaMessageAttributes(message.MessageAttributes),
    md5OfBody: message.MD5OfBody ?? "",
    eventSource: "aws:sqs",
    eventSourceARN: queueArn,
    awsRegion,
  };
  if (message.MD5OfMessageAttributes !== undefined) {
    record.md5OfMessageAttributes = message.MD5OfMessageAttributes;
  }
  return record;
}

/** SDK shape (`StringValue`, `BinaryValue` bytes) to Lambda's (`stringValue`, base64 `binaryValue`). */
function toLambdaMessageAttributes(
  attributes: Record<string, MessageAttributeValue> | undefined,
): SQSMessageAttributes {
  const result: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(attributes ?? {})) {
    const attribute: SQSMessageAttribute = {
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map(toBase64),
      dataType: value.DataType ?? "String",
    };
    if (value.StringValue !== undefined) attribute.stringValue = value.StringValue;
    if (value.BinaryValue !== undefined) attribute.binaryValue = toBase64(value.BinaryValue);
    result[name] = attribute;
  }
  return result;
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64");
}

function lambdaContext(functionName: string, queueArn: string, timeoutMs: number): Context {
  const startedAt = Date.now();
  const [, , , region = "local", account = "000000000000"] = queueArn.split(":");
  const awsRequestId = randomUUID();
  const notSupported = (): void => {
    throw new Error("callback-style context methods are not supported; return a promise");
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${region}:${account}:function:${functionName}`,
    memoryLimitInMB: "1024",
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${awsRequestId.replaceAll("-", "")}`,
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - startedAt)),
    done: notSupported,
    fail: notSupported,
    succeed: notSupported,
  };
}

async function readQueueArn(sqs: SQSClient, queueUrl: string, signal: AbortSignal): Promise<string> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }),
    { abortSignal: signal },
  );
  const arn = Attributes?.QueueArn;
  if (arn === undefined) throw new Error(`no QueueArn for ${queueUrl}`);
  return arn;
}

function queueNameOf(queueUrl: string): string {
  return queueUrl.split("/").filter(Boolean).at(-1) ?? "queue";
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
