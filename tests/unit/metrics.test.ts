import { describe, expect, it } from "vitest";
import { emfFlowMetrics } from "#functions/commons/emf-metrics.ts";

/** Each event is one EMF JSON line. */
function emitted(run: (m: ReturnType<typeof emfFlowMetrics>) => void): Record<string, unknown>[] {
  const lines: string[] = [];
  run(emfFlowMetrics("Indgang/test", (line) => lines.push(line)));
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

interface Emf {
  Timestamp: number;
  CloudWatchMetrics: {
    Namespace: string;
    Dimensions: string[][];
    Metrics: { Name: string; Unit: string }[];
  }[];
}

describe("flow metrics (EMF)", () => {
  it("one CaseRouted datapoint per need with consortium and need dimensions", () => {
    const out = emitted((m) => m.routed("rar-fyn", ["growth", "upskilling"]));
    expect(out.map((e) => [e.consortium, e.need, e.CaseRouted])).toEqual([
      ["rar-fyn", "growth", 1],
      ["rar-fyn", "upskilling", 1],
    ]);
    const aws = out[0]?._aws as Emf;
    expect(aws.CloudWatchMetrics).toEqual([
      {
        Namespace: "Indgang/test",
        Dimensions: [["service", "consortium", "need"]],
        Metrics: [{ Name: "CaseRouted", Unit: "Count" }],
      },
    ]);
    expect(Math.abs(aws.Timestamp - Date.now())).toBeLessThan(60_000);
  });

  it("a case routed with no need still counts, as need 'none'", () => {
    expect(emitted((m) => m.routed("manual", [])).map((e) => e.need)).toEqual(["none"]);
  });

  it("CaseDelivered per consortium and CaseReceived without dimensions of its own", () => {
    const out = emitted((m) => {
      m.delivered("manual");
      m.received();
    });
    expect(out[0]).toMatchObject({ consortium: "manual", CaseDelivered: 1 });
    expect(out[1]).toMatchObject({ CaseReceived: 1 });
    expect((out[1]?._aws as Emf | undefined)?.CloudWatchMetrics[0]?.Dimensions).toEqual([["service"]]);
  });

  it("every dimension named in the EMF block is a field of the line (else CloudWatch drops it)", () => {
    for (const e of emitted((m) => {
      m.received();
      m.routed("rar-fyn", ["recruitment"]);
      m.delivered("rar-fyn");
    })) {
      const block = (e._aws as Emf).CloudWatchMetrics[0];
      for (const name of block?.Dimensions[0] ?? []) expect(typeof e[name]).toBe("string");
      for (const metric of block?.Metrics ?? []) expect(e[metric.Name]).toBe(1);
    }
  });
});
