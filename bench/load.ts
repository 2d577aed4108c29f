/**
 * The load generator of the end-to-end section, run as a child process (its own event loop, so it
 * does not share one with the service it measures): autocannon POSTs distinct requests to a URL
 * for a while and reports, per accepted (202) request, its reference and when it was sent and
 * answered. Started by bench/e2e.ts with `fork`; the job arrives and the result leaves over IPC.
 */
import autocannon from "autocannon";
import { fixtures } from "./support.ts";

export interface LoadJob {
  url: string;
  seconds: number;
  connections: number;
  /** Requests per second over all connections; absent: as fast as the server answers. */
  rate?: number;
  tag: string;
}

export interface LoadResult {
  /** [reference, sent (epoch ms), answered (epoch ms)] of every 202. */
  accepted: [string, number, number][];
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  seconds: number;
  /** autocannon's own HTTP latency summary (ms). */
  httpLatency: { p50: number; p90: number; p99: number; max: number };
}

interface ClientContext {
  sentAt?: number;
}

async function runJob(job: LoadJob): Promise<LoadResult> {
  const payloads = fixtures().map((f) => f.input);
  const accepted: LoadResult["accepted"] = [];
  const statuses: Record<string, number> = {};
  let serial = 0;
  const started = Date.now();
  const result = await autocannon({
    url: job.url,
    method: "POST",
    headers: { "content-type": "application/json" },
    connections: job.connections,
    duration: job.seconds,
    timeout: 30,
    ...(job.rate ? { overallRate: job.rate } : {}),
    requests: [
      {
        setupRequest: (req, context) => {
          const n = serial++;
          const payload = payloads[n % payloads.length];
          if (!payload) throw new Error("no fixtures");
          (context as ClientContext).sentAt = Date.now();
          const body = {
            ...payload,
            request: {
              ...payload.request,
              description: `${payload.request.description} [load ${job.tag}-${n}]`,
            },
          };
          return { ...req, body: JSON.stringify(body) };
        },
        onResponse: (status, body, context) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (status !== 202) return;
          const { reference } = JSON.parse(body) as { reference?: string };
          const sentAt = (context as ClientContext).sentAt ?? started;
          if (reference) accepted.push([reference, sentAt, Date.now()]);
        },
      },
    ],
  });
  return {
    accepted,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: (Date.now() - started) / 1000,
    httpLatency: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
  };
}

process.once("message", (job: LoadJob) => {
  runJob(job).then(
    (result) => process.send?.(result, () => process.exit(0)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
});
