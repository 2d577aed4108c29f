import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import type { SQSEvent } from "aws-lambda";
import type { AppContext } from "#functions/commons/context.ts";
import { createPublicApp } from "#functions/http/public-app.tsx";
import { createDeliveryHandler } from "#functions/workers/delivery-handler.ts";
import { createSweeperHandler } from "#functions/workers/sweeper-handler.ts";
import { createTriageHandler } from "#functions/workers/triage-handler.ts";
import type { Watchable } from "#local/call-recorder.ts";
import { toSqsRecord } from "#local/poller.ts";
import { consortiumQueue, INTAKE_QUEUE, MANUAL_QUEUE } from "#shared/resources.ts";
import {
  type BenchStack,
  lambdaContext,
  SIDE_PREFIX,
  sideResources,
  startBenchStack,
  submit,
  uniquePayload,
  waitForDelivery,
} from "./bench-stack.ts";
import {
  type BenchOptions,
  fixtures,
  fmt,
  fmtMs,
  median,
  percentile,
  type Row,
  type SectionResult,
  sleep,
  verdict,
} from "./support.ts";

const TARGET_CALLS = 6;

// ---------------------------------------------------------------------------------------------
// Counting

export interface CommandTally {
  calls: number;
  /** Attempts including the SDK's retries ($metadata.attempts): what AWS bills. */
  attempts: number;
  errors: number;
  /** DynamoDB capacity units (read or write by command), table and indexes. */
  capacity: number;
  tableCapacity: number;
  indexCapacity: number;
  /** SQS receives: messages received, and receives that returned none. */
  messages: number;
  empty: number;
}

const READ_COMMANDS = new Set(["GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems"]);
const CAPACITY_COMMANDS = new Set([
  ...READ_COMMANDS,
  "PutItem",
  "UpdateItem",
  "DeleteItem",
  "BatchWriteItem",
  "TransactWriteItems",
]);

export class Tally {
  readonly byCommand = new Map<string, CommandTally>();
  /** The distinct config items read (their partition keys). */
  readonly configKeys = new Set<string>();

  add(command: string, outcome: { output?: unknown; error?: unknown }): void {
    const name = command.replace(/Command( \(|$)/, "$1");
    let t = this.byCommand.get(name);
    if (!t) {
      t = {
        calls: 0,
        attempts: 0,
        errors: 0,
        capacity: 0,
        tableCapacity: 0,
        indexCapacity: 0,
        messages: 0,
        empty: 0,
      };
      this.byCommand.set(name, t);
    }
    const source = (outcome.output ?? outcome.error ?? {}) as {
      $metadata?: { attempts?: number };
      ConsumedCapacity?: unknown;
      Messages?: unknown[];
    };
    t.calls++;
    t.attempts += source.$metadata?.attempts ?? 1;
    if (outcome.error !== undefined) t.errors++;
    const consumed = source.ConsumedCapacity;
    for (const c of (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as Capacity[]) {
      t.capacity += c.CapacityUnits ?? 0;
      t.tableCapacity += c.Table?.CapacityUnits ?? 0;
      for (const index of [
        ...Object.values(c.GlobalSecondaryIndexes ?? {}),
        ...Object.values(c.LocalSecondaryIndexes ?? {}),
      ])
        t.indexCapacity += index.CapacityUnits ?? 0;
    }
    if (name === "ReceiveMessage" && outcome.output !== undefined) {
      const n = source.Messages?.length ?? 0;
      t.messages += n;
      if (n === 0) t.empty++;
    }
  }

  reset(): void {
    this.byCommand.clear();
  }

  get calls(): number {
    let n = 0;
    for (const t of this.byCommand.values()) n += t.calls;
    return n;
  }

  /** Calls of the reads that go through the config cache. */
  get configCalls(): number {
    let n = 0;
    for (const [name, t] of this.byCommand) if (name.endsWith(CONFIG_SUFFIX)) n += t.calls;
    return n;
  }

  /** Capacity units of reads and of writes. */
  capacity(): { read: number; write: number } {
    let read = 0;
    let write = 0;
    for (const [name, t] of this.byCommand) {
      if (READ_COMMANDS.has(name.replace(CONFIG_SUFFIX, ""))) read += t.capacity;
      else write += t.capacity;
    }
    return { read, write };
  }

  /** Every figure divided by `n` (per case), rounded to 3 decimals. */
  per(n: number): Record<string, Record<keyof CommandTally, number>> {
    const round = (x: number) => Math.round((x / n) * 1000) / 1000;
    return Object.fromEntries(
      [...this.byCommand].map(([name, t]) => [
        name,
        Object.fromEntries(Object.entries(t).map(([k, v]) => [k, round(v)])) as Record<
          keyof CommandTally,
          number
        >,
      ]),
    );
  }
}

interface Capacity {
  CapacityUnits?: number;
  Table?: { CapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
  LocalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}

/** Items read through a cache (RULES_CACHE_SECONDS): the rule set, campaigns, the consortium map. */
const CONFIG_KEYS = new Set(["RULESET", "CAMPAIGNS", "CONSORTIA"]);
export const CONFIG_SUFFIX = " (config)";

/**
 * Counts every call a client sends (for a document client: its DynamoDB client's stack, which it
 * shares) into the tally `to()` names at that moment; asks DynamoDB for its consumed capacity.
 */
export function instrument(client: unknown, to: () => Tally | undefined): void {
  (client as Watchable).middlewareStack.add(
    (next, context) => async (args) => {
      const key = (args.input as { Key?: { pk?: unknown } }).Key?.pk;
      const config = typeof key === "string" && CONFIG_KEYS.has(key);
      const command = `${context.commandName ?? "Unknown"}${config ? CONFIG_SUFFIX : ""}`;
      if (CAPACITY_COMMANDS.has((context.commandName ?? "").replace(/Command$/, "")))
        Object.assign(args.input, { ReturnConsumedCapacity: "INDEXES" });
      try {
        const result = await next(args);
        if (config) to()?.configKeys.add(key);
        to()?.add(command, { output: result.output });
        return result;
      } catch (error) {
        to()?.add(command, { error });
        throw error;
      }
    },
    { step: "initialize", name: "benchCallCounter", override: true },
  );
}

type Send = (this: SQSClient, command: object, ...rest: unknown[]) => Promise<unknown>;

/**
 * Counts the calls of every SQS client but ours (those of the local pollers, created inside the
 * stack) by wrapping SQSClient.prototype.send, into the tally `to()` names when a call completes;
 * returns the undo. Installed before the stack starts, so no long poll escapes it.
 */
function countOtherSqsClients(
  isOurs: (client: SQSClient) => boolean,
  to: () => Tally | undefined,
): () => void {
  const proto = SQSClient.prototype as unknown as { send: Send };
  const original = proto.send;
  proto.send = function (this: SQSClient, command: object, ...rest: unknown[]) {
    const sent = original.call(this, command, ...rest);
    if (!isOurs(this)) {
      const name = command.constructor.name;
      sent.then(
        (output) => to()?.add(name, { output }),
        (error: unknown) => {
          if ((error as { name?: string }).name !== "AbortError") to()?.add(name, { error });
        },
      );
    }
    return sent;
  };
  return () => {
    proto.send = original;
  };
}

// ---------------------------------------------------------------------------------------------
// End to end, through the stack

async function endToEnd(options: BenchOptions, stack: BenchStack, pollers: Tally) {
  const ours = new Tally();
  let counting = false;
  instrument(stack.ctx.db, () => (counting ? ours : undefined));
  instrument(stack.ctx.sqs, () => (counting ? ours : undefined));
  try {
    const cases = fixtures();
    const tag = Date.now().toString(36);
    counting = true;
    const references: string[] = [];
    const responseBytes: number[] = [];
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < cases.length; i = next++) {
        const c = cases[i];
        if (!c) continue;
        const { status, reference, bytes } = await submit(
          stack.url,
          uniquePayload(c.input, `${tag}-${c.id}`),
        );
        if (!reference) throw new Error(`submission of ${c.id} answered ${status}`);
        references.push(reference);
        responseBytes.push(bytes);
      }
    };
    const started = Date.now();
    await Promise.all([worker(), worker(), worker(), worker()]);
    options.log(`calls: ${references.length} cases submitted; waiting for delivery`);
    const delivered = await waitForDelivery(stack, references, {
      stallMs: 30_000,
      maxMs: 120_000,
      log: options.log,
    });
    const seconds = (Date.now() - started) / 1000;
    await sleep(1_500); // the pollers delete a batch after its handler returned
    return { cases: references.length, delivered: delivered.size, seconds, ours, pollers, responseBytes };
  } finally {
    counting = false;
  }
}

// ---------------------------------------------------------------------------------------------
// Per function, each handler invoked directly

interface FunctionFigures {
  tally: Tally;
  durations: number[];
  logBytes: number;
}

const WARM_UP = " (warm-up)";

async function perFunction(options: BenchOptions, stack: BenchStack, count: number) {
  const side = await sideResources(stack);
  const { AWS_REGION: region } = stack.ctx.config;
  const figures: Record<string, FunctionFigures> = {};
  let current: FunctionFigures | undefined;
  const of = (name: string) => {
    figures[name] ??= { tally: new Tally(), durations: [], logBytes: 0 };
    return figures[name];
  };
  /**
   * One context per function, as each Lambda function is its own process with its own caches;
   * as on Lambda: mode aws (metrics as EMF log lines), logs at INFO.
   */
  const context = (): AppContext => {
    const ctx = side.context("aws");
    instrument(ctx.db, () => current?.tally);
    instrument(ctx.sqs, () => current?.tally);
    return ctx;
  };

  // Log lines (JSON logs and EMF metrics) go to stdout: counted, not shown.
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    if (current) current.logBytes += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length;
    return true;
  }) as typeof process.stdout.write;
  const invoke = async <T>(name: string, measured: boolean, fn: () => Promise<T>): Promise<T> => {
    const figure = of(measured ? name : `${name}${WARM_UP}`);
    current = figure;
    const t = performance.now();
    try {
      return await fn();
    } finally {
      figure.durations.push(performance.now() - t);
      current = undefined;
    }
  };

  const app = createPublicApp(context());
  const triage = createTriageHandler(context());
  const delivery = createDeliveryHandler(context());
  const sweeper = createSweeperHandler(context());
  const arnOf = async (url: string) =>
    (await side.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] })))
      .Attributes?.QueueArn ?? "";
  /** One message of a queue as the event Lambda would pass (the harness receives and deletes). */
  const eventFrom = async (url: string): Promise<{ event: SQSEvent; done: () => Promise<unknown> }> => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const { Messages = [] } = await side.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: 1,
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ["All"],
        }),
      );
      const message = Messages[0];
      if (message) {
        return {
          event: { Records: [toSqsRecord(message, await arnOf(url), region)] },
          done: () =>
            side.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle })),
        };
      }
    }
    throw new Error(`no message arrived on ${url}`);
  };
  const queueUrl = (suffix: string) => {
    const q = side.queueUrls[suffix];
    if (!q) throw new Error(`queue ${suffix} not provisioned`);
    return q.url;
  };

  try {
    const cases = fixtures();
    const tag = `${Date.now().toString(36)}-direct`;
    const warmUp = 5;
    for (let i = 0; i < count + warmUp; i++) {
      const c = cases[i % cases.length];
      if (!c) continue;
      const measured = i >= warmUp;
      const res = await invoke("public-api", measured, async () =>
        app.request("/api/requests", {
          method: "POST",
          // Each request from another client, as behind CloudFront: the per-client limit applies as deployed.
          headers: { "content-type": "application/json", "x-forwarded-for": `198.51.100.${i % 250}` },
          body: JSON.stringify(uniquePayload(c.input, `${tag}-${i}`)),
        }),
      );
      const { reference } = (await res.json()) as { reference?: string };
      if (res.status !== 202 || !reference) throw new Error(`public-api answered ${res.status}`);

      const intake = await eventFrom(queueUrl(INTAKE_QUEUE.suffix));
      const triaged = await invoke("triage-worker", measured, () =>
        triage(intake.event, lambdaContext("triage-worker")),
      );
      if ((triaged?.batchItemFailures ?? []).length > 0) throw new Error(`triage failed for ${reference}`);
      await intake.done();

      const { Item } = await stack.reader.send(
        new GetCommand({ TableName: `${SIDE_PREFIX}-cases`, Key: { pk: `CASE#${reference}`, sk: "CASE" } }),
      );
      const consortiumId = Item?.status === "routed" ? String(Item.consortiumId) : null;
      const inbox = await eventFrom(
        queueUrl(consortiumId ? consortiumQueue(consortiumId).suffix : MANUAL_QUEUE.suffix),
      );
      const delivered = await invoke("delivery-worker", measured, () =>
        delivery(inbox.event, lambdaContext("delivery-worker")),
      );
      if ((delivered?.batchItemFailures ?? []).length > 0)
        throw new Error(`delivery failed for ${reference}`);
      await inbox.done();
    }
    // The sweeper's run when nothing is stuck: what it costs every minute.
    for (let i = 0; i < 5; i++) await invoke("sweeper", true, () => sweeper({}, lambdaContext("sweeper")));
  } finally {
    process.stdout.write = write;
    side.destroy();
  }
  options.log(`calls: ${count} cases through each handler, one message per invocation`);
  return figures;
}

// ---------------------------------------------------------------------------------------------

/** "TransactWriteItems 1, SendMessage 1" */
function describeCalls(tally: Tally, n: number): string {
  return [...tally.byCommand]
    .map(([name, t]) => `${name} ${fmt(t.calls / n, t.calls % n === 0 ? 0 : 2)}`)
    .join(", ");
}

export async function run(options: BenchOptions): Promise<SectionResult> {
  options.log("calls: starting the local stack");
  const pollers = new Tally();
  let stack: BenchStack | undefined;
  let counting = false;
  const restore = countOtherSqsClients(
    (client) => client === stack?.ctx.sqs,
    () => (counting ? pollers : undefined),
  );
  try {
    stack = await startBenchStack({ sweepIntervalMs: 3_600_000 });
    counting = true;
    const e2e = await endToEnd(options, stack, pollers);
    counting = false;
    const n = e2e.cases;
    const perCase = e2e.ours.calls / n;
    const pathPerCase = (e2e.ours.calls - e2e.ours.configCalls) / n;
    const cap = e2e.ours.capacity();
    const receive = e2e.pollers.byCommand.get("ReceiveMessage");
    const deletes = e2e.pollers.byCommand.get("DeleteMessageBatch");
    const direct = await perFunction(options, stack, options.quick ? 20 : 60);
    const functionNames = ["public-api", "triage-worker", "delivery-worker"];
    // When every invocation finds its cache expired (under one case per 5 s per instance), each
    // function re-reads every config item it uses.
    const configItems = (name: string) =>
      new Set([
        ...(direct[name]?.tally.configKeys ?? []),
        ...(direct[`${name}${WARM_UP}`]?.tally.configKeys ?? []),
      ]).size;
    const configReads = {
      total: e2e.ours.configCalls,
      perCase: e2e.ours.configCalls / n,
      worstCase: functionNames.reduce((total, name) => total + configItems(name), 0),
    };
    const path = new Tally();
    for (const [name, t] of e2e.ours.byCommand)
      if (!name.endsWith(CONFIG_SUFFIX)) path.byCommand.set(name, t);

    const rows: Row[] = [
      {
        metric: `AWS calls per case, our code, end to end (${n} cases)`,
        measured: fmt(perCase, 2),
        target: `<= ${TARGET_CALLS}`,
        status: verdict(perCase <= TARGET_CALLS),
      },
      {
        metric: `  on each case's path: ${fmt(pathPerCase, 2)}`,
        measured: describeCalls(path, n),
        status: "INFO",
      },
      {
        metric: "  config reads through the 5 s cache (rule set, campaigns, consortia)",
        measured:
          `${fmt(configReads.perCase, 2)} per case in this run (${fmt(e2e.seconds, 1)} s); ` +
          `+${configReads.worstCase} when every cache has expired`,
        status: "INFO",
      },
      {
        metric: "DynamoDB capacity per case (read / write units)",
        measured: `${fmt(cap.read / n, 2)} RCU / ${fmt(cap.write / n, 2)} WCU`,
        status: "INFO",
      },
      {
        metric: "Local pollers per case (Lambda's event source mappings on AWS)",
        measured:
          `${fmt((receive?.calls ?? 0) / n, 2)} ReceiveMessage (${fmt(((receive?.calls ?? 0) - (receive?.empty ?? 0)) / n, 2)} with messages), ` +
          `${fmt((deletes?.calls ?? 0) / n, 2)} DeleteMessageBatch`,
        status: "INFO",
      },
      {
        metric: "Cases delivered",
        measured: `${e2e.delivered}/${n}`,
        target: "all",
        status: verdict(e2e.delivered === n),
      },
    ];
    for (const name of functionNames) {
      const f = direct[name];
      if (!f) continue;
      const m = f.durations.length;
      const c = f.tally.capacity();
      rows.push({
        metric: `${name}, per invocation of one message (${m})`,
        measured:
          `${describeCalls(f.tally, m)}; ${fmt(c.read / m, 1)} RCU ${fmt(c.write / m, 1)} WCU; ` +
          `${fmtMs(median(f.durations))} median, ${fmtMs(percentile(f.durations, 95))} p95; ${fmt(f.logBytes / m, 0)} B logs`,
        status: "INFO",
      });
    }
    const sweep = direct.sweeper;
    if (sweep) {
      rows.push({
        metric: "sweeper, a run with nothing stuck",
        measured: `${describeCalls(sweep.tally, sweep.durations.length)}; ${fmtMs(median(sweep.durations))} median`,
        status: "INFO",
      });
    }
    return {
      rows,
      notes: [
        "our code = the calls of the handlers' clients (public API, triage, delivery); the pollers stand in for " +
          "Lambda's SQS event source mappings, whose receives and deletes AWS does (billed as SQS requests)",
        "config reads: each function instance caches the rule set, campaigns and consortium map for " +
          "RULES_CACHE_SECONDS (5 s); they are per instance and time, not per case",
        "capacity as DynamoDB Local reports it (ReturnConsumedCapacity=INDEXES): table and every index written",
        "per invocation: the handlers called directly, one message each, on DynamoDB Local and fauxqs on this " +
          "machine (other latencies than AWS); logs at INFO and metrics as EMF, as on Lambda",
      ],
      data: {
        endToEnd: {
          cases: n,
          delivered: e2e.delivered,
          seconds: e2e.seconds,
          ourCallsPerCase: perCase,
          ourPathCallsPerCase: pathPerCase,
          configReads,
          ourByCommandPerCase: e2e.ours.per(n),
          capacityPerCase: { read: cap.read / n, write: cap.write / n },
          pollersByCommandPerCase: e2e.pollers.per(n),
        },
        perFunction: Object.fromEntries(
          Object.entries(direct)
            .filter(([name]) => !name.endsWith(WARM_UP))
            .map(([name, f]) => {
              const m = f.durations.length;
              const c = f.tally.capacity();
              return [
                name,
                {
                  invocations: m,
                  callsPerInvocation: f.tally.calls / m,
                  byCommandPerInvocation: f.tally.per(m),
                  capacityPerInvocation: { read: c.read / m, write: c.write / m },
                  durationMs: {
                    median: median(f.durations),
                    p95: percentile(f.durations, 95),
                    mean: f.durations.reduce((a, b) => a + b, 0) / m,
                  },
                  logBytesPerInvocation: f.logBytes / m,
                },
              ];
            }),
        ),
        intakeResponseBytes: median(e2e.responseBytes),
        targets: { callsPerCase: TARGET_CALLS },
      },
    };
  } finally {
    restore();
    await stack?.stop();
  }
}
