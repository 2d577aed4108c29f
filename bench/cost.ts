/**
 * The estimated AWS cost per 100,000 requests, from what the other sections measured: calls and
 * capacity per case and per function, handler durations and log bytes (`calls`), cold import times
 * (`bundles`). Prices: the list prices of infra/README.md ("What it costs"), eu-north-1, USD, before
 * free tiers, as known when that was written: check them in the AWS Pricing Calculator.
 */
import {
  type BenchOptions,
  fmt,
  fmtUsd,
  type Row,
  type SectionResult,
  type StoredSection,
} from "./support.ts";

const REQUESTS = 100_000;

/** infra/README.md, "What it costs: a worked estimate per 100,000 requests" (list prices to check). */
export const PRICES = {
  dynamoWriteUnit: 0.69 / 1e6,
  dynamoReadUnit: 0.14 / 1e6,
  sqsRequest: 0.4 / 1e6,
  lambdaRequest: 0.2 / 1e6,
  lambdaGbSecondArm: 0.0000133334,
  httpApiRequest: 1.11 / 1e6,
  cloudFrontRequest: 0.012 / 1e4,
  cloudFrontGbOut: 0.085,
  wafRequest: 0.6 / 1e6,
  xrayTrace: 5 / 1e6,
  logsGbIngested: 0.5,
} as const;

/** Assumptions where nothing here can measure the figure; each is printed with the estimate. */
const ASSUMED = {
  /** infra/constructs/functions.ts: memorySize default. */
  memoryGb: 256 / 1024,
  /** Lambda's own START/END/REPORT records per invocation, JSON log format. */
  platformLogBytes: 700,
  /** infra/README.md: access log line of the HTTP API per request. */
  accessLogBytes: 500,
  /** Share of invocations that start a new execution environment (INIT is billed since 2025-08-01). */
  coldShare: 0.01,
  /** DESIGN.md: a hello-world Node.js cold start on arm64, before our module is imported. */
  runtimeInitMs: 120,
} as const;

interface CallsData {
  endToEnd: {
    capacityPerCase: { read: number; write: number };
    ourByCommandPerCase: Record<string, { calls: number }>;
    pollersByCommandPerCase: Record<string, { calls: number; empty: number; messages: number }>;
  };
  perFunction: Record<string, { durationMs: { median: number }; logBytesPerInvocation: number }>;
  intakeResponseBytes: number;
}

interface BundlesData {
  functions: Record<string, { importMsMedian: number; bytes: number }>;
}

function needed<T>(section: StoredSection | undefined, name: string): { data: T; from: string } {
  if (!section) throw new Error(`no "${name}" figures: run \`npm run bench -- ${name} cost\` first`);
  return { data: section.data as T, from: `${name} of ${section.ranAt}${section.quick ? " (--quick)" : ""}` };
}

export async function run(options: BenchOptions): Promise<SectionResult> {
  const calls = needed<CallsData>(options.results.calls, "calls");
  const bundles = needed<BundlesData>(options.results.bundles, "bundles");
  const e2e = calls.data.endToEnd;
  const sumOf = (records: Record<string, { calls: number }>, test: (name: string) => boolean) =>
    Object.entries(records)
      .filter(([name]) => test(name))
      .reduce((n, [, r]) => n + r.calls, 0);

  // Per case, from the measurement.
  const sends = sumOf(e2e.ourByCommandPerCase, (n) => n === "SendMessage");
  const receives = e2e.pollersByCommandPerCase.ReceiveMessage;
  const batchesPerCase = (receives?.calls ?? 0) - (receives?.empty ?? 0);
  const deletes = sumOf(e2e.pollersByCommandPerCase, (n) => n.startsWith("DeleteMessage"));
  const invocations = { "public-api": 1, workers: batchesPerCase };
  const fn = (name: string) => calls.data.perFunction[name];
  // Each message as if it had an invocation of its own (an upper bound: a batch shares its overhead).
  const durationMsPerCase = ["public-api", "triage-worker", "delivery-worker"].reduce(
    (ms, name) => ms + (fn(name)?.durationMs.median ?? 0),
    0,
  );
  const logBytesPerCase =
    (fn("public-api")?.logBytesPerInvocation ?? 0) +
    (fn("triage-worker")?.logBytesPerInvocation ?? 0) +
    (fn("delivery-worker")?.logBytesPerInvocation ?? 0) +
    (1 + batchesPerCase) * ASSUMED.platformLogBytes +
    ASSUMED.accessLogBytes;
  const importMs = (name: string) => bundles.data.functions[name]?.importMsMedian ?? 0;
  const initMsPerCase =
    ASSUMED.coldShare *
    (ASSUMED.runtimeInitMs +
      importMs("public-api") +
      (batchesPerCase / 2) *
        (2 * ASSUMED.runtimeInitMs + importMs("triage-worker") + importMs("delivery-worker")));
  const lambdaInvocations = invocations["public-api"] + invocations.workers;

  const lines: { service: string; perCase: string; price: string; usd: number }[] = [
    {
      service: "DynamoDB writes",
      perCase: `${fmt(e2e.capacityPerCase.write, 2)} WCU (measured, table + indexes)`,
      price: "$0.69 / M WRU",
      usd: e2e.capacityPerCase.write * PRICES.dynamoWriteUnit,
    },
    {
      service: "DynamoDB reads",
      perCase: `${fmt(e2e.capacityPerCase.read, 2)} RCU (measured)`,
      price: "$0.14 / M RRU",
      usd: e2e.capacityPerCase.read * PRICES.dynamoReadUnit,
    },
    {
      service: "SQS requests",
      perCase: `${fmt(sends, 2)} send + ${fmt(batchesPerCase, 2)} receive + ${fmt(deletes, 2)} delete (measured)`,
      price: "$0.40 / M",
      usd: (sends + batchesPerCase + deletes) * PRICES.sqsRequest,
    },
    {
      service: "Lambda requests",
      perCase: `${fmt(lambdaInvocations, 2)} invocations (measured batches)`,
      price: "$0.20 / M",
      usd: lambdaInvocations * PRICES.lambdaRequest,
    },
    {
      service: "Lambda duration",
      perCase: `${fmt(durationMsPerCase, 1)} ms x ${ASSUMED.memoryGb * 1024} MB (measured medians, one message each)`,
      price: "$0.0000133334 / GB-s arm64",
      usd: (durationMsPerCase / 1000) * ASSUMED.memoryGb * PRICES.lambdaGbSecondArm,
    },
    {
      service: "Lambda INIT (cold starts)",
      perCase: `${fmt(initMsPerCase, 2)} ms (${ASSUMED.coldShare * 100}% cold x (${ASSUMED.runtimeInitMs} ms + measured import))`,
      price: "as duration",
      usd: (initMsPerCase / 1000) * ASSUMED.memoryGb * PRICES.lambdaGbSecondArm,
    },
    {
      service: "X-Ray",
      perCase: `${fmt(lambdaInvocations, 2)} traces (upper bound: one per invocation)`,
      price: "$5.00 / M",
      usd: lambdaInvocations * PRICES.xrayTrace,
    },
    {
      service: "CloudWatch Logs",
      perCase: `${fmt(logBytesPerCase / 1024, 2)} KB (measured app + EMF logs, assumed platform + access)`,
      price: "$0.50 / GB",
      usd: (logBytesPerCase / 2 ** 30) * PRICES.logsGbIngested,
    },
    {
      service: "HTTP API",
      perCase: "1 request",
      price: "$1.11 / M",
      usd: PRICES.httpApiRequest,
    },
    {
      service: "CloudFront",
      perCase: `1 request + ${fmt(calls.data.intakeResponseBytes, 0)} B out (measured 202 answer)`,
      price: "$0.012 / 10k req, $0.085 / GB",
      usd: PRICES.cloudFrontRequest + (calls.data.intakeResponseBytes / 2 ** 30) * PRICES.cloudFrontGbOut,
    },
    { service: "AWS WAF", perCase: "1 request", price: "$0.60 / M", usd: PRICES.wafRequest },
  ];
  const total = lines.reduce((n, l) => n + l.usd, 0) * REQUESTS;

  const rows: Row[] = [
    ...lines.map(
      (l): Row => ({
        metric: `${l.service}: ${l.perCase}`,
        measured: fmtUsd(l.usd * REQUESTS),
        target: l.price,
        status: "INFO",
      }),
    ),
    {
      metric: "Total, variable, per 100,000 requests (infra/README.md estimates about $5.30)",
      measured: fmtUsd(total),
      status: "INFO",
    },
  ];
  return {
    rows,
    header: ["service: quantity per request", "per 100,000", "list price", ""],
    notes: [
      "list prices: infra/README.md's for eu-north-1 (USD, before free tiers) as known when it was written; " +
        "check them in the AWS Pricing Calculator",
      `inputs: ${calls.from}; ${bundles.from}`,
      "durations are medians of single-message invocations on DynamoDB Local and fauxqs on this machine: AWS " +
        "latencies differ (usually a few ms per call in-region); bundle size costs nothing by itself (code storage " +
        "is far below the free 75 GB) but sets the cold import billed as INIT",
      "not per request, so not here: the fixed monthly costs of infra/README.md (WAF ACL and rules, alarms, " +
        "dashboard, custom metrics, idle SQS polling, Cognito, the sweeper's runs, storage and PITR)",
    ],
    data: {
      requests: REQUESTS,
      totalUsd: total,
      lines: lines.map((l) => ({ ...l, usdPer100k: l.usd * REQUESTS })),
      prices: PRICES,
      assumed: ASSUMED,
      perCase: {
        sqsRequests: sends + batchesPerCase + deletes,
        lambdaInvocations,
        durationMs: durationMsPerCase,
        initMs: initMsPerCase,
        logBytes: logBytesPerCase,
      },
      inputs: [calls.from, bundles.from],
    },
  };
}
