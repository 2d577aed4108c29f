/**
 * Local end to end: sustained intake on the embedded stack, as `npm start` runs it, driven by
 * autocannon from a child process with distinct requests; every accepted reference is followed
 * until its timeline says `delivered`. Beside it, under the same load, a minimal handler on the
 * same DynamoDB Local and fauxqs doing the intake's durable work and nothing else (a two-item
 * TransactWriteItems and one SendMessage per request), and the public app alone (no worker
 * running) for the intake's own cost. Then a paced run at half the sustained rate, for the latency
 * of a stack that keeps up.
 */
import { execFileSync, fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { type BenchStack, startBenchStack, waitForDelivery } from "./bench-stack.ts";
import { startIntakeAlone, startMinimalHandler } from "./intake-servers.ts";
import type { LoadJob, LoadResult } from "./load.ts";
import {
  type BenchOptions,
  fmt,
  fmtInt,
  fmtMs,
  percentile,
  type Row,
  type SectionResult,
  verdict,
} from "./support.ts";

const TARGET_RATIO = 0.8;
const CONNECTIONS = 10;

/** Runs autocannon in a child process (tsx's loader is inherited through execArgv). */
function load(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL("./load.ts", import.meta.url)), [], {
      serialization: "advanced",
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    });
    let result: LoadResult | undefined;
    child.once("message", (m) => {
      result = m as LoadResult;
    });
    child.once("error", reject);
    child.once("exit", (code) =>
      result ? resolve(result) : reject(new Error(`load generator exited with ${code} and no result`)),
    );
    child.send(job);
  });
}

/** Kernel clock ticks per second, the unit of /proc/<pid>/stat's CPU times. */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface CpuSample {
  /** This process: the HTTP server, the pollers, the workers and fauxqs (ms). */
  node: number;
  /** DynamoDB Local's java process (ms). */
  java: number;
}

function cpuNow(javaPid: number): CpuSample {
  const { user, system } = process.cpuUsage();
  const stat = readFileSync(`/proc/${javaPid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return {
    node: (user + system) / 1000,
    java: ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS,
  };
}

/** CPU time per accepted request between two samples: where the work of a request goes. */
function cpuPerRequest(from: CpuSample, to: CpuSample, requests: number): CpuSample {
  const n = Math.max(1, requests);
  return { node: (to.node - from.node) / n, java: (to.java - from.java) / n };
}

const machineCores = () => availableParallelism();

const fmtCpu = (c: CpuSample | undefined) =>
  c ? `CPU per request: node ${fmt(c.node, 1)} ms + DynamoDB Local ${fmt(c.java, 1)} ms` : "";

interface Measured {
  load: LoadResult;
  /** CPU per accepted request, from the start of the load until the last case was delivered. */
  cpu?: CpuSample;
  throughput: number;
  httpMs: { p50: number; p95: number; p99: number };
  /** Submit → delivered (ms), of the delivered ones. */
  deliveredMs?: { p50: number; p95: number; p99: number; max: number };
  delivered?: number;
  lost?: number;
  drainSeconds?: number;
}

function measure(load: LoadResult): Measured {
  const http = load.accepted.map(([, sent, answered]) => answered - sent);
  return {
    load,
    throughput: load.accepted.length / load.seconds,
    httpMs: { p50: percentile(http, 50), p95: percentile(http, 95), p99: percentile(http, 99) },
  };
}

/** Runs the load against the stack and follows every accepted case to `delivered`. */
async function throughStack(options: BenchOptions, stack: BenchStack, job: LoadJob): Promise<Measured> {
  const cpuStart = cpuNow(stack.dynamoPid);
  const m = measure(await load(job));
  const references = m.load.accepted.map(([r]) => r);
  const ended = Date.now();
  options.log(
    `e2e: ${references.length} accepted in ${fmt(m.load.seconds, 0)} s; following them to delivered`,
  );
  const delivered = await waitForDelivery(stack, references, {
    stallMs: 60_000,
    maxMs: 900_000,
    log: options.log,
  });
  const cpu = cpuPerRequest(cpuStart, cpuNow(stack.dynamoPid), references.length);
  const latencies = m.load.accepted.flatMap(([ref, sent]) => {
    const at = delivered.get(ref);
    return at === undefined ? [] : [at - sent];
  });
  return {
    ...m,
    cpu,
    delivered: delivered.size,
    lost: references.length - delivered.size,
    drainSeconds: (Math.max(...delivered.values(), ended) - ended) / 1000,
    deliveredMs: {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      max: Math.max(...latencies),
    },
  };
}

function summary(m: Measured) {
  const { accepted, ...rest } = m.load;
  return { ...m, load: { ...rest, accepted: accepted.length } };
}

export async function run(options: BenchOptions): Promise<SectionResult> {
  const seconds = options.quick ? 10 : 60;
  const pacedSeconds = options.quick ? 10 : 30;
  const warmSeconds = options.quick ? 2 : 5;
  const jvmWarmSeconds = options.quick ? 5 : 30;
  options.log("e2e: starting the local stack (as npm start: pollers, sweeper every 10 s)");
  const stack = await startBenchStack();
  const api = `${stack.url}/api/requests`;
  try {
    // DynamoDB Local's JIT takes tens of seconds of load to settle (a transaction cost 2.7x more
    // java CPU in its first seconds than after a minute): warm every path first, so that neither the
    // minimal handler, measured first, nor Indgang is measured on a cold JVM.
    options.log(`e2e: warming up the JVM and every path: the whole stack for ${jvmWarmSeconds} s`);
    await throughStack(options, stack, {
      url: api,
      seconds: jvmWarmSeconds,
      connections: CONNECTIONS,
      tag: "warm",
    });
    const minimal = await startMinimalHandler(stack);
    let base: Measured;
    let minimalQueued: { sent: number; queued: number };
    try {
      options.log(
        `e2e: minimal handler, ${warmSeconds} s warm-up then ${seconds} s x ${CONNECTIONS} connections`,
      );
      const warm = await load({
        url: minimal.url,
        seconds: warmSeconds,
        connections: CONNECTIONS,
        tag: "minimal-warm",
      });
      const cpuStart = cpuNow(stack.dynamoPid);
      base = measure(await load({ url: minimal.url, seconds, connections: CONNECTIONS, tag: "minimal" }));
      base.cpu = cpuPerRequest(cpuStart, cpuNow(stack.dynamoPid), base.load.accepted.length);
      minimalQueued = {
        sent: warm.accepted.length + base.load.accepted.length,
        queued: await minimal.queued(),
      };
    } finally {
      await minimal.stop().catch(() => {});
    }

    const alone = await startIntakeAlone(stack);
    let intakeAlone: Measured;
    try {
      options.log(`e2e: Indgang intake alone (no workers), ${warmSeconds} s warm-up then ${seconds} s`);
      await load({ url: alone.url, seconds: warmSeconds, connections: CONNECTIONS, tag: "alone-warm" });
      const cpuStart = cpuNow(stack.dynamoPid);
      intakeAlone = measure(await load({ url: alone.url, seconds, connections: CONNECTIONS, tag: "alone" }));
      intakeAlone.cpu = cpuPerRequest(cpuStart, cpuNow(stack.dynamoPid), intakeAlone.load.accepted.length);
    } finally {
      await alone.stop().catch(() => {});
    }

    options.log(`e2e: Indgang, ${seconds} s x ${CONNECTIONS} connections`);
    const ours = await throughStack(options, stack, {
      url: api,
      seconds,
      connections: CONNECTIONS,
      tag: "sustained",
    });
    const rate = Math.max(1, Math.floor(ours.throughput / 2));
    options.log(`e2e: Indgang paced at ${rate} req/s for ${pacedSeconds} s`);
    const paced = await throughStack(options, stack, {
      url: api,
      seconds: pacedSeconds,
      connections: CONNECTIONS,
      rate,
      tag: "paced",
    });

    const ratio = ours.throughput / base.throughput;
    const aloneRatio = intakeAlone.throughput / base.throughput;
    const refused = (m: Measured) =>
      Object.entries(m.load.statuses)
        .filter(([status]) => status !== "202")
        .map(([status, count]) => `${count}x${status}`)
        .join(" ") || "none";
    const lost = (ours.lost ?? 0) + (paced.lost ?? 0);
    const rows: Row[] = [
      {
        metric: `Minimal handler (two-item TransactWriteItems + SendMessage), ${seconds} s`,
        measured: `${fmtInt(base.throughput)} req/s; HTTP p50 ${fmtMs(base.httpMs.p50)}, p99 ${fmtMs(base.httpMs.p99)}`,
        status: "INFO",
      },
      { metric: "  CPU per request", measured: fmtCpu(base.cpu), status: "INFO" },
      {
        metric: `Indgang intake (public app; the workers run elsewhere, as on AWS), ${seconds} s`,
        measured:
          `${fmtInt(intakeAlone.throughput)} req/s = ${fmt(aloneRatio * 100, 0)}% of minimal; ` +
          `HTTP p50 ${fmtMs(intakeAlone.httpMs.p50)}, p99 ${fmtMs(intakeAlone.httpMs.p99)}`,
        target: `>= ${TARGET_RATIO * 100}%`,
        status: verdict(aloneRatio >= TARGET_RATIO),
      },
      { metric: "  CPU per request", measured: fmtCpu(intakeAlone.cpu), status: "INFO" },
      {
        metric: `Whole pipeline on these ${machineCores()} cores (intake, triage, delivery), ${seconds} s`,
        measured: `${fmtInt(ours.throughput)} req/s accepted = ${fmt(ratio * 100, 0)}% of minimal`,
        status: "INFO",
      },
      { metric: "  CPU per request, until delivered", measured: fmtCpu(ours.cpu), status: "INFO" },
      {
        metric: "  HTTP latency (202)",
        measured: `p50 ${fmtMs(ours.httpMs.p50)}, p95 ${fmtMs(ours.httpMs.p95)}, p99 ${fmtMs(ours.httpMs.p99)}`,
        status: "INFO",
      },
      {
        metric: "  submit -> delivered",
        measured:
          `p50 ${fmtMs(ours.deliveredMs?.p50 ?? Number.NaN)}, p95 ${fmtMs(ours.deliveredMs?.p95 ?? Number.NaN)}, ` +
          `p99 ${fmtMs(ours.deliveredMs?.p99 ?? Number.NaN)} (backlog drained ${fmt(ours.drainSeconds ?? 0, 1)} s after the load)`,
        status: "INFO",
      },
      {
        metric: "  delivered / accepted (refused)",
        measured: `${fmtInt(ours.delivered ?? 0)} / ${fmtInt(ours.load.accepted.length)} (${refused(ours)})`,
        status: "INFO",
      },
      {
        metric: `Indgang paced at ${rate} req/s, ${pacedSeconds} s: submit -> delivered`,
        measured:
          `p50 ${fmtMs(paced.deliveredMs?.p50 ?? Number.NaN)}, p95 ${fmtMs(paced.deliveredMs?.p95 ?? Number.NaN)}, ` +
          `p99 ${fmtMs(paced.deliveredMs?.p99 ?? Number.NaN)}; HTTP p99 ${fmtMs(paced.httpMs.p99)}`,
        status: "INFO",
      },
      {
        metric: "  delivered / accepted (refused)",
        measured: `${fmtInt(paced.delivered ?? 0)} / ${fmtInt(paced.load.accepted.length)} (${refused(paced)})`,
        status: "INFO",
      },
      {
        metric: "Lost (202 but never delivered)",
        measured: String(lost),
        target: "0",
        status: verdict(lost === 0),
      },
    ];
    return {
      rows,
      notes: [
        `load: autocannon in a child process, ${CONNECTIONS} connections, each request a fixture with a unique ` +
          "description (so idempotency never merges two); warm-up runs are not counted",
        "throughput = 202 answers per second of the run; submit -> delivered = the case's `delivered` timeline " +
          "time minus the moment the request was sent (one clock)",
        "one process holds the HTTP server, the pollers, the workers and fauxqs; DynamoDB Local is a Java " +
          "child; the load generator is a third process, all on this machine",
        "the target compares like with like: the intake answering alone, as the minimal handler does, and the " +
          "same durable work (a two-item transaction and a send; the intake's case item also carries its index " +
          "keys, so DynamoDB Local writes its index entries too, which the minimal handler's items have none of). In the " +
          "whole-pipeline run the same cores also triage and deliver every case (a batch read, two conditional " +
          "updates, a second send, receives and deletes): its CPU per request is the intake's plus that work, " +
          "which on AWS runs in other Lambda functions",
        "CPU per request: this process's CPU time and DynamoDB Local's (/proc) over the run, divided by the " +
          "202s; a 30 s whole-stack run first warms DynamoDB Local's JIT for every path",
        "the intake's per-client limit is lifted (INTAKE_RATE_LIMIT_PER_MINUTE): the benchmark is one client",
      ],
      data: {
        connections: CONNECTIONS,
        seconds,
        pacedSeconds,
        minimal: { ...summary(base), messages: minimalQueued },
        intakeAlone: { ...summary(intakeAlone), ratio: aloneRatio },
        sustained: summary(ours),
        paced: { rate, ...summary(paced) },
        ratio,
        lost,
        targets: { ratio: TARGET_RATIO, lost: 0 },
      },
    };
  } finally {
    await stack.stop();
  }
}
