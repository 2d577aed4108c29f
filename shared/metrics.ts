import type { Need } from "#shared/needs.ts";

/**
 * The flow of cases as business metrics: the region's needs by area, visible on the dashboard.
 * Names are the contract with the CDK dashboard (infra/constructs/observability.ts).
 */
export const FLOW_METRICS = {
  /** Public API: a case was stored and queued. No extra dimensions. */
  received: "CaseReceived",
  /** Triage worker: one datapoint per need of a routed case; dimensions `consortium` and `need`. */
  routed: "CaseRouted",
  /** Delivery worker: a case reached its inbox; dimension `consortium` (`manual` for manual triage). */
  delivered: "CaseDelivered",
} as const;

export interface FlowMetrics {
  received(): void;
  routed(consortiumId: string, needs: readonly Need[]): void;
  delivered(consortiumId: string): void;
}

export const NO_METRICS: FlowMetrics = { received() {}, routed() {}, delivered() {} };
