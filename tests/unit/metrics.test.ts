import { afterEach, describe, expect, it, vi } from "vitest";
import { powertoolsFlowMetrics } from "../../functions/commons/metrics.ts";

afterEach(() => vi.restoreAllMocks());

/** Powertools writes each single metric as one EMF JSON line to stdout. */
function emitted(run: () => void): Record<string, unknown>[] {
  const lines: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  const log = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(" "));
  });
  run();
  log.mockRestore();
  return lines
    .flatMap((l) => l.split("\n"))
    .filter((l) => l.includes("_aws"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("flow metrics (EMF)", () => {
  it("one CaseRouted datapoint per need with consortium and need dimensions", () => {
    process.env.POWERTOOLS_METRICS_NAMESPACE = "Indgang/test";
    const out = emitted(() => powertoolsFlowMetrics().routed("rar-fyn", ["growth", "upskilling"]));
    expect(out.map((e) => [e.consortium, e.need, e.CaseRouted])).toEqual([
      ["rar-fyn", "growth", 1],
      ["rar-fyn", "upskilling", 1],
    ]);
    const aws = out[0]?._aws as { CloudWatchMetrics: { Namespace: string }[] };
    expect(aws.CloudWatchMetrics[0]?.Namespace).toBe("Indgang/test");
  });

  it("CaseDelivered per consortium and CaseReceived without dimensions", () => {
    const out = emitted(() => {
      const m = powertoolsFlowMetrics();
      m.delivered("manual");
      m.received();
    });
    expect(out[0]).toMatchObject({ consortium: "manual", CaseDelivered: 1 });
    expect(out[1]).toMatchObject({ CaseReceived: 1 });
  });
});
