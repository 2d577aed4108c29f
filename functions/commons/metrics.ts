import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { FLOW_METRICS, type FlowMetrics } from "../../shared/metrics.ts";

/**
 * Flow metrics as CloudWatch EMF through Powertools: each event is one single-metric record,
 * written to the log at once (no flush to forget). Namespace from POWERTOOLS_METRICS_NAMESPACE;
 * POWERTOOLS_METRICS_DISABLED=true turns them off (the local stack does).
 */
export function powertoolsFlowMetrics(): FlowMetrics {
  const metrics = new Metrics({ serviceName: "indgang" });
  const one = (name: string, dimensions: Record<string, string>) => {
    const m = metrics.singleMetric();
    for (const [k, v] of Object.entries(dimensions)) m.addDimension(k, v);
    m.addMetric(name, MetricUnit.Count, 1);
  };
  return {
    received: () => one(FLOW_METRICS.received, {}),
    routed: (consortium, needs) => {
      for (const need of needs.length ? needs : ["none"]) one(FLOW_METRICS.routed, { consortium, need });
    },
    delivered: (consortium) => one(FLOW_METRICS.delivered, { consortium }),
  };
}
