/**
 * The embedded local stack against the real emulators: DynamoDB Local (java child process) and
 * fauxqs (in-process), each on a free port, with data in a temporary directory.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { networkInterfaces, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import {
  GetQueueAttributesCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DynamoDbLocal,
  findFreePort,
  isProcessAlive,
  LOCAL_CREDENTIALS,
  PID_FILE_NAME,
  startDynamoDbLocal,
} from "#local/dynamodb.ts";
import { javaProblem } from "#local/java.ts";
import { HandlerError, recordsToDelete, startPoller } from "#local/poller.ts";
import { ensureConsortiumQueue, type ProvisionResult, provision } from "#local/provision.ts";
import { type SqsLocal, startSqsLocal } from "#local/sqs.ts";
import { dlqName, QUEUE_DEFAULTS, queueDefinitions, queueName, TABLE } from "#shared/resources.ts";
import { aPayload, startTestService } from "#tests/support/local.ts";

const REGION = "eu-north-1";
const PREFIX = "test";
const CONSORTIA = ["rar-nordjylland", "rar-oestjylland"];
const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

let workDir: string;
let dynamo: DynamoDbLocal;
let sqsLocal: SqsLocal;
let dynamodb: DynamoDBClient;
let sqs: SQSClient;
/** java pids started outside `dynamo` (stale-process test): SIGKILLed in afterAll if still alive. */
const strayPids = new Set<number>();

function dynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: REGION, credentials: LOCAL_CREDENTIALS });
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function queueAttributes(url: string): Promise<Record<string, string>> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["All"] }),
  );
  return Attributes ?? {};
}

const md5 = (text: string): string => createHash("md5").update(text).digest("hex");

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), "indgang-local-stack-"));
  const [startedDynamo, startedSqs] = await Promise.all([
    (async () => {
      const t0 = performance.now();
      const started = await startDynamoDbLocal({ dataDir: join(workDir, "dynamodb") });
      console.info(`DynamoDB Local ready in ${Math.round(performance.now() - t0)} ms`);
      return started;
    })(),
    (async () => {
      const t0 = performance.now();
      const started = await startSqsLocal({ region: REGION });
      console.info(`fauxqs ready in ${Math.round(performance.now() - t0)} ms`);
      return started;
    })(),
  ]);
  dynamo = startedDynamo;
  sqsLocal = startedSqs;
  dynamodb = dynamoClient(dynamo.endpoint);
  sqs = new SQSClient({ endpoint: sqsLocal.endpoint, region: REGION, credentials: LOCAL_CREDENTIALS });
});

afterAll(async () => {
  dynamodb?.destroy();
  sqs?.destroy();
  await Promise.all([dynamo?.stop(), sqsLocal?.stop()]);
  for (const pid of strayPids) {
    if (isProcessAlive(pid)) process.kill(pid, "SIGKILL");
  }
  if (dynamo !== undefined) expect(isProcessAlive(dynamo.pid)).toBe(false);
  if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
});

describe("local stack", () => {
  let provisioned: ProvisionResult;

  it("binds fauxqs to loopback and hands out queue URLs that the SDK accepts", async () => {
    expect(sqsLocal.endpoint).toBe(`http://127.0.0.1:${sqsLocal.port}`);
    expect(sqsLocal.queueUrlPrefix).toBe(`http://sqs.${REGION}.localhost:${sqsLocal.port}/000000000000/`);
    expect((await fetch(`${sqsLocal.endpoint}/health`)).status).toBe(200);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i !== undefined && i.family === "IPv4" && !i.internal)?.address;
    if (external !== undefined) {
      await expect(fetch(`http://${external}:${sqsLocal.port}/health`)).rejects.toThrow();
    }
    const queue = await ensureConsortiumQueue(sqs, PREFIX, "url-check");
    expect(queue.url).toBe(`${sqsLocal.queueUrlPrefix}${PREFIX}-consortium-url-check`);
    expect(queue.arn).toBe(`arn:aws:sqs:${REGION}:000000000000:${PREFIX}-consortium-url-check`);

    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: "ping" }));
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queue.url, WaitTimeSeconds: 1 }),
    );
    expect(Messages?.map((m) => m.Body)).toEqual(["ping"]);
  });

  it("provisions table and queues from shared/resources.ts, idempotently", async () => {
    provisioned = await provision({ dynamodb, sqs, prefix: PREFIX, consortiumIds: CONSORTIA });
    const again = await provision({ dynamodb, sqs, prefix: PREFIX, consortiumIds: CONSORTIA });
    expect(again).toEqual(provisioned);

    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: provisioned.tableName }));
    expect(Table?.TableName).toBe(`${PREFIX}-cases`);
    expect(Table?.TableStatus).toBe("ACTIVE");
    expect(Table?.BillingModeSummary?.BillingMode).toBe("PAY_PER_REQUEST");
    expect(Table?.KeySchema).toEqual([
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ]);
    const indexes = Object.fromEntries(
      (Table?.GlobalSecondaryIndexes ?? []).map((gsi) => [gsi.IndexName, gsi]),
    );
    for (const index of Object.values(TABLE.indexes)) {
      expect(indexes[index.name]?.KeySchema).toEqual([
        { AttributeName: index.partitionKey, KeyType: "HASH" },
        { AttributeName: index.sortKey, KeyType: "RANGE" },
      ]);
    }
    // The same projections as the CDK table (tests/infra pins them).
    expect(indexes.byConsortium?.Projection).toEqual({ ProjectionType: "ALL" });
    expect(indexes.byCompany?.Projection).toEqual({ ProjectionType: "KEYS_ONLY" });
    expect(indexes.pending?.Projection).toEqual({
      ProjectionType: "INCLUDE",
      NonKeyAttributes: ["reference", "status", "consortiumId"],
    });
    expect(indexes.byDay?.Projection).toEqual({
      ProjectionType: "INCLUDE",
      NonKeyAttributes: [...TABLE.indexes.byDay.projection],
    });
    expect(indexes.byDay?.Projection?.NonKeyAttributes).not.toContain("payload");
    expect(Object.keys(indexes)).toHaveLength(4);

    const ttl = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: provisioned.tableName }));
    expect(ttl.TimeToLiveDescription).toMatchObject({
      TimeToLiveStatus: "ENABLED",
      AttributeName: "expiresAt",
    });

    const definitions = queueDefinitions(CONSORTIA);
    expect(Object.keys(provisioned.queueUrls).sort()).toEqual(definitions.map((d) => d.suffix).sort());
    for (const def of definitions) {
      const queue = provisioned.queueUrls[def.suffix];
      expect(queue?.url).toBe(`${sqsLocal.queueUrlPrefix}${queueName(PREFIX, def)}`);
      expect(queue?.dlqUrl).toBe(`${sqsLocal.queueUrlPrefix}${dlqName(PREFIX, def)}`);
      const attributes = await queueAttributes(queue?.url ?? "");
      expect(attributes.VisibilityTimeout).toBe(String(QUEUE_DEFAULTS.visibilityTimeoutSeconds));
      expect(attributes.MessageRetentionPeriod).toBe(String(QUEUE_DEFAULTS.retentionSeconds));
      expect(JSON.parse(attributes.RedrivePolicy ?? "{}")).toEqual({
        deadLetterTargetArn: queue?.dlqArn,
        maxReceiveCount: QUEUE_DEFAULTS.maxReceiveCount,
      });
      const dlqAttributes = await queueAttributes(queue?.dlqUrl ?? "");
      expect(dlqAttributes.QueueArn).toBe(queue?.dlqArn);
      expect(dlqAttributes.MessageRetentionPeriod).toBe(String(QUEUE_DEFAULTS.dlqRetentionSeconds));
      expect(dlqAttributes.RedrivePolicy).toBeUndefined();
    }
    const { QueueUrls } = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: `${PREFIX}-` }));
    // the pairs above plus the pair made by the first test
    expect(QueueUrls).toHaveLength(2 * definitions.length + 2);
  });

  it("converges drifted queue attributes and adds consortia later", async () => {
    const intake = provisioned.queueUrls.intake;
    if (intake === undefined) throw new Error("no intake queue");
    await sqs.send(
      new SetQueueAttributesCommand({ QueueUrl: intake.url, Attributes: { VisibilityTimeout: "7" } }),
    );
    await provision({ dynamodb, sqs, prefix: PREFIX, consortiumIds: CONSORTIA });
    expect((await queueAttributes(intake.url)).VisibilityTimeout).toBe("180");

    const added = await ensureConsortiumQueue(sqs, PREFIX, "rar-sjaelland");
    expect(await ensureConsortiumQueue(sqs, PREFIX, "rar-sjaelland")).toEqual(added);
    expect(added.url).toBe(`${sqsLocal.queueUrlPrefix}${PREFIX}-consortium-rar-sjaelland`);
    expect(JSON.parse((await queueAttributes(added.url)).RedrivePolicy ?? "{}").deadLetterTargetArn).toBe(
      added.dlqArn,
    );
  });

  it("delivers a real SQSEvent and deletes only the records that did not fail", async () => {
    const queue = await ensureConsortiumQueue(sqs, PREFIX, "poller-test");
    const records: SQSRecord[] = [];
    const contexts: Context[] = [];
    const poller = startPoller({
      sqs,
      queueUrl: queue.url,
      waitTimeSeconds: 20,
      handler: async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
        records.push(...event.Records);
        contexts.push(context);
        return {
          batchItemFailures: event.Records.filter((r) => r.body === "fail").map((r) => ({
            itemIdentifier: r.messageId,
          })),
        };
      },
    });
    await poller.ready;
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: [
          {
            Id: "a",
            MessageBody: "ok-1",
            MessageAttributes: {
              kind: { DataType: "String", StringValue: "case" },
              size: { DataType: "Number", StringValue: "42" },
              blob: { DataType: "Binary", BinaryValue: new Uint8Array([1, 2, 3]) },
            },
          },
          { Id: "b", MessageBody: "fail" },
          { Id: "c", MessageBody: "ok-2" },
        ],
      }),
    );
    await waitFor(() => records.length >= 3, 10_000);
    const t0 = performance.now();
    await poller.stop();
    expect(performance.now() - t0).toBeLessThan(2_000); // the 20 s long poll was aborted

    expect(records.map((r) => r.body).sort()).toEqual(["fail", "ok-1", "ok-2"]);
    for (const record of records) {
      expect(record).toMatchObject({
        eventSource: "aws:sqs",
        eventSourceARN: queue.arn,
        awsRegion: REGION,
        md5OfBody: md5(record.body),
      });
      expect(record.messageId).toMatch(/\S+/);
      expect(record.receiptHandle).toMatch(/\S+/);
      expect(record.attributes.ApproximateReceiveCount).toBe("1");
      expect(record.attributes.SenderId).toMatch(/\S+/);
      expect(Number(record.attributes.SentTimestamp)).toBeGreaterThan(0);
      expect(Number(record.attributes.ApproximateFirstReceiveTimestamp)).toBeGreaterThan(0);
    }
    const withAttributes = records.find((r) => r.body === "ok-1");
    expect(withAttributes?.messageAttributes).toEqual({
      kind: { stringValue: "case", stringListValues: [], binaryListValues: [], dataType: "String" },
      size: { stringValue: "42", stringListValues: [], binaryListValues: [], dataType: "Number" },
      blob: { binaryValue: "AQID", stringListValues: [], binaryListValues: [], dataType: "Binary" },
    });
    expect(withAttributes?.md5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
    expect(records.find((r) => r.body === "ok-2")?.messageAttributes).toEqual({});

    const context = contexts[0];
    expect(context?.functionName).toBe(`local-${PREFIX}-consortium-poller-test`);
    expect(context?.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context?.getRemainingTimeInMillis()).toBeGreaterThan(0);
    expect(context?.getRemainingTimeInMillis()).toBeLessThanOrEqual(
      QUEUE_DEFAULTS.consumerTimeoutSeconds * 1000,
    );

    // The two successes were deleted; the failure is in flight until its visibility timeout (180 s).
    const attributes = await queueAttributes(queue.url);
    expect(attributes.ApproximateNumberOfMessages).toBe("0");
    expect(attributes.ApproximateNumberOfMessagesNotVisible).toBe("1");
  });

  it("keeps a failed record (thrown or reported) until it lands in the DLQ after maxReceiveCount", async () => {
    const queue = await ensureConsortiumQueue(sqs, PREFIX, "redrive-test");
    await sqs.send(
      new SetQueueAttributesCommand({ QueueUrl: queue.url, Attributes: { VisibilityTimeout: "1" } }),
    );
    const receiveCounts: string[] = [];
    const errors: unknown[] = [];
    const poller = startPoller({
      sqs,
      queueUrl: queue.url,
      waitTimeSeconds: 1,
      onError: (err) => errors.push(err),
      handler: async (event) => {
        const record = event.Records[0];
        if (record === undefined) return;
        receiveCounts.push(record.attributes.ApproximateReceiveCount);
        if (receiveCounts.length === 1) throw new Error("first attempt blows up");
        return { batchItemFailures: [{ itemIdentifier: record.messageId }] };
      },
    });
    await poller.ready;
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: "poison" }));
    await waitFor(
      async () => (await queueAttributes(queue.dlqUrl)).ApproximateNumberOfMessages === "1",
      20_000,
    );
    await poller.stop();

    expect(receiveCounts).toEqual(["1", "2", "3", "4", "5"]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(HandlerError);
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queue.dlqUrl, WaitTimeSeconds: 1 }),
    );
    expect(Messages?.map((m) => m.Body)).toEqual(["poison"]);
    expect((await queueAttributes(queue.url)).ApproximateNumberOfMessages).toBe("0");
  });

  it("reports loop errors through onError, retries with backoff and stops cleanly", async () => {
    const errors: unknown[] = [];
    const poller = startPoller({
      sqs,
      queueUrl: `${sqsLocal.queueUrlPrefix}does-not-exist`,
      queueArn: `arn:aws:sqs:${REGION}:000000000000:does-not-exist`,
      onError: (err) => errors.push(err),
      handler: async () => {},
    });
    await waitFor(() => errors.length >= 3, 5_000);
    await poller.stop();
    expect((errors[0] as Error).name).toBe("QueueDoesNotExist");
  });

  it("deletes nothing when a failure names an unknown or empty identifier (as Lambda does)", () => {
    const record = (messageId: string): SQSRecord =>
      ({ messageId, receiptHandle: `rh-${messageId}` }) as unknown as SQSRecord;
    const batch = [record("1"), record("2")];
    expect(recordsToDelete(batch, undefined)).toEqual(batch);
    expect(recordsToDelete(batch, { batchItemFailures: [] })).toEqual(batch);
    expect(recordsToDelete(batch, { batchItemFailures: [{ itemIdentifier: "2" }] })).toEqual([batch[0]]);
    expect(recordsToDelete(batch, { batchItemFailures: [{ itemIdentifier: "x" }] })).toEqual([]);
    expect(recordsToDelete(batch, { batchItemFailures: [{ itemIdentifier: "" }] })).toEqual([]);
  });

  it("keeps DynamoDB data in dataDir across a stop and a start on the same port", async () => {
    const tableName = provisioned.tableName;
    await dynamodb.send(
      new PutItemCommand({
        TableName: tableName,
        Item: { pk: { S: "CASE#persist" }, sk: { S: "META" }, note: { S: "survives" } },
      }),
    );
    const { port, pid } = dynamo;
    const t0 = performance.now();
    await dynamo.stop();
    const stoppedAfter = performance.now() - t0;
    expect(isProcessAlive(pid)).toBe(false);
    dynamodb.destroy();

    const t1 = performance.now();
    dynamo = await startDynamoDbLocal({ port, dataDir: join(workDir, "dynamodb") });
    console.info(
      `DynamoDB Local stopped in ${Math.round(stoppedAfter)} ms, restarted in ${Math.round(performance.now() - t1)} ms`,
    );
    dynamodb = dynamoClient(dynamo.endpoint);
    expect(dynamo.port).toBe(port);
    const { Item } = await dynamodb.send(
      new GetItemCommand({ TableName: tableName, Key: { pk: { S: "CASE#persist" }, sk: { S: "META" } } }),
    );
    expect(Item?.note?.S).toBe("survives");
    // and provisioning the restarted instance is still a no-op
    expect(await provision({ dynamodb, sqs, prefix: PREFIX, consortiumIds: CONSORTIA })).toEqual(provisioned);
  });

  it("refuses a second instance on a dataDir whose owner is alive", async () => {
    await expect(startDynamoDbLocal({ dataDir: join(workDir, "dynamodb") })).rejects.toThrow(
      /is in use by pid/,
    );
    const { TableNames } = await dynamodb.send(new ListTablesCommand({}));
    expect(TableNames).toContain(provisioned.tableName);
  });

  it("restarts on the same port and dataDir when a SIGKILLed run left its java process behind", async () => {
    const dataDir = join(workDir, "stale");
    const port = await findFreePort();
    const script = join(workDir, "start-dynamodb.mts");
    writeFileSync(
      script,
      [
        `import { startDynamoDbLocal } from ${JSON.stringify(join(PROJECT_ROOT, "local/dynamodb.ts"))};`,
        "const started = await startDynamoDbLocal({ port: Number(process.argv[2]), dataDir: process.argv[3] });",
        "process.stdout.write(JSON.stringify({ pid: started.pid, port: started.port }) + '\\n');",
        "setInterval(() => {}, 60_000);",
      ].join("\n"),
    );
    const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", script, String(port), dataDir], {
      cwd: PROJECT_ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    const first = await new Promise<{ pid: number; port: number }>((resolveLine, reject) => {
      let buffer = "";
      child.stdout?.on("data", (chunk: Buffer) => {
        buffer += chunk.toString("utf8");
        const line = buffer.split("\n")[0];
        if (buffer.includes("\n") && line !== undefined) resolveLine(JSON.parse(line));
      });
      child.once("exit", (code) => reject(new Error(`child exited early (${code})`)));
    });
    strayPids.add(first.pid);
    expect(first.port).toBe(port);
    const staleClient = dynamoClient(`http://127.0.0.1:${port}`);
    await staleClient.send(
      new CreateTableCommand({
        TableName: "written-by-the-stale-run",
        BillingMode: "PAY_PER_REQUEST",
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      }),
    );
    staleClient.destroy();

    // The parent dies without any chance to clean up: its java child lives on, holding port and files.
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    await exited;
    expect(isProcessAlive(first.pid)).toBe(true);
    expect(JSON.parse(readFileSync(join(dataDir, PID_FILE_NAME), "utf8")).pid).toBe(first.pid);

    const restarted = await startDynamoDbLocal({ port, dataDir });
    try {
      expect(isProcessAlive(first.pid)).toBe(false);
      expect(restarted.pid).not.toBe(first.pid);
      const client = dynamoClient(restarted.endpoint);
      const { TableNames } = await client.send(new ListTablesCommand({}));
      client.destroy();
      expect(TableNames).toContain("written-by-the-stale-run");
    } finally {
      await restarted.stop();
    }
    expect(isProcessAlive(restarted.pid)).toBe(false);
  });
});

describe("npm start on a machine without Java 17", () => {
  it("says what is missing and how to install it, and exits before anything starts", () => {
    const emptyPath = join(workDir, "no-java-bin");
    mkdirSync(emptyPath, { recursive: true });
    const dataDir = join(workDir, "no-java-data");
    const run = spawnSync(process.execPath, ["--import", "tsx", "local/start.ts"], {
      cwd: PROJECT_ROOT,
      env: { PATH: emptyPath, HOME: workDir, DATA_DIR: dataDir },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("No java on the PATH.");
    expect(run.stderr).toContain("sudo apt-get install openjdk-17-jre-headless");
    expect(run.stderr).toContain("brew install openjdk@17");
    expect(run.stderr).not.toMatch(/ENOENT|\n\s+at /); // no stack trace
    expect(existsSync(dataDir)).toBe(false); // nothing started: not even the data directory
  });

  it("finds this machine's Java, and refuses one older than 17", () => {
    expect(javaProblem()).toBeUndefined();
    const oldJava = join(workDir, "old-java-bin");
    mkdirSync(oldJava, { recursive: true });
    writeFileSync(join(oldJava, "java"), `#!/bin/sh\necho 'openjdk version "11.0.2" 2019-01-15' >&2\n`);
    chmodSync(join(oldJava, "java"), 0o755);
    expect(javaProblem({ PATH: oldJava })).toMatch(/^Found Java 11\.\n.*Java 17 or later/);
  });
});

describe("the local service's links", () => {
  it("point where the server listens (127.0.0.1, not localhost, which may resolve to ::1 first)", async () => {
    const svc = await startTestService({ dataDir: join(workDir, "links") });
    try {
      expect(new URL(svc.ctx.config.PUBLIC_BASE_URL).origin).toBe(new URL(svc.url).origin);
      const res = await fetch(`${svc.url}/api/requests`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(aPayload()),
      });
      expect(res.status).toBe(202);
      const { statusUrl } = (await res.json()) as { statusUrl: string };
      // Followed as given, as a company's mail client or browser would.
      expect((await fetch(statusUrl, { headers: { accept: "application/json" } })).status).toBe(200);
    } finally {
      await svc.stop();
    }
  });
});
