/**
 * The local stack as the benchmark drives it: started in a fresh directory, submitted to over
 * HTTP, and read back through a DynamoDB client of the benchmark's own (so that reading the
 * results is never counted as the service's work).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { Context } from "aws-lambda";
import { type AppContext, createContext } from "#functions/commons/context.ts";
import { JsonLog } from "#functions/commons/json-logger.ts";
import { LOCAL_CREDENTIALS } from "#local/dynamodb.ts";
import { type LocalService, type LocalServiceOptions, startLocalService } from "#local/embedded-service.ts";
import { type ProvisionedQueue, provision } from "#local/provision.ts";
import { loadConfig } from "#shared/config.ts";
import type { IntakeInput } from "#shared/intake/request-schema.ts";
import { DEFAULT_CONSORTIUM_IDS } from "#shared/reference/consortia.ts";
import { TABLE } from "#shared/resources.ts";
import { sleep } from "./support.ts";

/** A per-client limit the benchmark never reaches. */
export const UNLIMITED = 1_000_000_000;

export interface BenchStack extends LocalService {
  /** The benchmark's own reader of the cases table. */
  reader: DynamoDBDocumentClient;
  tableName: string;
}

/** The embedded stack on free ports in a fresh directory; `stop()` also removes the directory. */
export async function startBenchStack(options: Partial<LocalServiceOptions> = {}): Promise<BenchStack> {
  const dataDir = mkdtempSync(join(tmpdir(), "indgang-bench-"));
  const service = await startLocalService({
    dataDir,
    port: 0,
    logLevel: "SILENT",
    ...options,
    // The benchmark is one client: the per-client intake limit (30 a minute) would refuse it.
    env: { INTAKE_RATE_LIMIT_PER_MINUTE: String(UNLIMITED), ...options.env },
  });
  const raw = new DynamoDBClient({
    region: service.ctx.config.AWS_REGION,
    endpoint: service.dynamoEndpoint,
    credentials: LOCAL_CREDENTIALS,
  });
  return {
    ...service,
    reader: DynamoDBDocumentClient.from(raw),
    tableName: service.ctx.config.tableName,
    stop: async () => {
      await service.stop();
      raw.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The prefix of the second table and queue set (see `sideResources`). */
export const SIDE_PREFIX = "indgang-bench";

export interface SideResources {
  /** The benchmark's own clients of the emulators (its receives and deletes are not counted). */
  dynamodb: DynamoDBClient;
  sqs: SQSClient;
  queueUrls: Record<string, ProvisionedQueue>;
  /**
   * A handler context on these resources, as a Lambda function builds one: mode `aws` logs at
   * INFO and writes metrics as EMF (as deployed), `local` is silent (as the bench's stack).
   */
  context(mode: "aws" | "local"): AppContext;
  destroy(): void;
}

/**
 * A second table and set of queues in the same DynamoDB Local and fauxqs, provisioned from
 * shared/resources.ts under another prefix, with no poller: the benchmark invokes the handlers
 * itself, or serves the public app alone.
 */
export async function sideResources(stack: BenchStack): Promise<SideResources> {
  const { config: base } = stack.ctx;
  const dynamodb = new DynamoDBClient({
    region: base.AWS_REGION,
    endpoint: stack.dynamoEndpoint,
    credentials: LOCAL_CREDENTIALS,
  });
  const sqs = new SQSClient({
    region: base.AWS_REGION,
    endpoint: stack.sqsEndpoint,
    credentials: LOCAL_CREDENTIALS,
  });
  const { queueUrls } = await provision({
    dynamodb,
    sqs,
    prefix: SIDE_PREFIX,
    consortiumIds: [...DEFAULT_CONSORTIUM_IDS],
  });
  return {
    dynamodb,
    sqs,
    queueUrls,
    context: (mode) =>
      createContext(
        loadConfig({
          AWS_REGION: base.AWS_REGION,
          RESOURCE_PREFIX: SIDE_PREFIX,
          QUEUE_URL_PREFIX: base.QUEUE_URL_PREFIX,
          DYNAMODB_ENDPOINT: stack.dynamoEndpoint,
          SQS_ENDPOINT: stack.sqsEndpoint,
          PUBLIC_BASE_URL: "https://indgang.example.dk",
          INDGANG_MODE: mode,
          METRICS_NAMESPACE: "IndgangBench",
        }),
        new JsonLog({ level: mode === "aws" ? "INFO" : "SILENT" }),
      ),
    destroy: () => {
      dynamodb.destroy();
      sqs.destroy();
    },
  };
}

/** A fixture made unique (idempotency would otherwise return the first case for a repeat). */
export function uniquePayload(input: IntakeInput, tag: string): IntakeInput {
  return {
    ...input,
    request: { ...input.request, description: `${input.request.description} [bench ${tag}]` },
  };
}

/**
 * POST /api/requests; the status, the reference of a 202, and the size of the answer (status line,
 * headers and body: what CloudFront would send back).
 */
export async function submit(
  url: string,
  payload: IntakeInput,
): Promise<{ status: number; reference?: string; bytes: number }> {
  const res = await fetch(`${url}/api/requests`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(payload),
  });
  const text = await res.text();
  let bytes = Buffer.byteLength(text) + 17;
  res.headers.forEach((value, name) => {
    bytes += name.length + value.length + 4;
  });
  const { reference } = JSON.parse(text) as { reference?: string };
  return res.status === 202 && reference ? { status: 202, reference, bytes } : { status: res.status, bytes };
}

/**
 * Waits until no case of the stack is pending (the sparse `pending` index is empty: every case is
 * in an inbox), or until it has not shrunk for `stallMs`, or `maxMs` passed; then reads each
 * reference's delivery time (epoch ms). Polls one COUNT query at a time, so that following the
 * cases loads DynamoDB Local as little as possible while the workers drain.
 */
export async function waitForDelivery(
  stack: BenchStack,
  references: readonly string[],
  options: { stallMs: number; maxMs: number; log?: (m: string) => void },
): Promise<Map<string, number>> {
  const started = Date.now();
  let lastProgress = started;
  let lastLog = started;
  let least = Number.POSITIVE_INFINITY;
  for (;;) {
    const pending = await pendingCount(stack);
    const now = Date.now();
    if (pending === 0) break;
    if (pending < least) {
      least = pending;
      lastProgress = now;
    }
    if (now - lastLog > 5_000) {
      options.log?.(`waiting for delivery: ${pending} cases pending`);
      lastLog = now;
    }
    if (now - lastProgress > options.stallMs || now - started > options.maxMs) break;
    await sleep(200);
  }
  const delivered = new Map<string, number>();
  for (let i = 0; i < references.length; i += 100) {
    for (const [ref, at] of await deliveredAt(stack, references.slice(i, i + 100))) delivered.set(ref, at);
  }
  return delivered;
}

/** How many cases are not yet in an inbox (the sparse `pending` index). */
async function pendingCount(stack: BenchStack): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await stack.reader.send(
      new QueryCommand({
        TableName: stack.tableName,
        IndexName: TABLE.indexes.pending.name,
        KeyConditionExpression: "#p = :p",
        ExpressionAttributeNames: { "#p": TABLE.indexes.pending.partitionKey },
        ExpressionAttributeValues: { ":p": "PENDING" },
        Select: "COUNT",
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}

/** Delivery times of up to 100 cases (one BatchGetItem, repeated for unprocessed keys). */
async function deliveredAt(stack: BenchStack, references: readonly string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  let keys: Record<string, unknown>[] = references.map((r) => ({ pk: `CASE#${r}`, sk: "CASE" }));
  while (keys.length > 0) {
    const out = await stack.reader.send(
      new BatchGetCommand({
        RequestItems: {
          [stack.tableName]: {
            Keys: keys,
            ProjectionExpression: "#r, #t",
            ExpressionAttributeNames: { "#r": "reference", "#t": "timeline" },
          },
        },
      }),
    );
    for (const item of out.Responses?.[stack.tableName] ?? []) {
      const timeline = (item.timeline ?? []) as { event: string; at: string }[];
      const entry = timeline.find((e) => e.event === "delivered");
      if (entry) found.set(String(item.reference), Date.parse(entry.at));
    }
    keys = (out.UnprocessedKeys?.[stack.tableName]?.Keys ?? []) as Record<string, unknown>[];
  }
  return found;
}

/** A Lambda context for invoking a handler directly. */
export function lambdaContext(functionName: string): Context {
  const fail = () => {
    throw new Error("callback-style context methods are not supported");
  };
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:eu-north-1:000000000000:function:${functionName}`,
    memoryLimitInMB: "256",
    awsRequestId: crypto.randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "bench",
    getRemainingTimeInMillis: () => 30_000,
    done: fail,
    fail,
    succeed: fail,
  };
}
