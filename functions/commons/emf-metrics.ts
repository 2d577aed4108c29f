import { FLOW_METRICS, type FlowMetrics } from "#shared/metrics.ts";
import { writeLine } from "./json-logger.ts";

/**
 * Flow metrics as CloudWatch Embedded Metric Format: each event is one JSON line in the function's
 * log, which CloudWatch turns into a datapoint (Count 1) of `namespace` with the event's dimensions
 * (and `service`). Written at once, so there is no flush to forget. The local stack uses NO_METRICS.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export function emfFlowMetrics(namespace: string, write: (line: string) => void = writeLine): FlowMetrics {
  const one = (name: string, dimensions: Record<string, string>) => {
    const fields = { service: "indgang", ...dimensions };
    write(
      JSON.stringify({
        _aws: {
          Timestamp: Date.now(),
          CloudWatchMetrics: [
            {
              Namespace: namespace,
              Dimensions: [Object.keys(fields)],
              Metrics: [{ Name: name, Unit: "Count" }],
            },
          ],
        },
        ...fields,
        [name]: 1,
      }),
    );
  };
  return {
    received: () => one(FLOW_METRICS.received, {}),
    routed: (consortium, needs) => {
      for (const need of needs.length ? needs : ["none"]) one(FLOW_METRICS.routed, { consortium, need });
    },
    delivered: (consortium) => one(FLOW_METRICS.delivered, { consortium }),
  };
}
