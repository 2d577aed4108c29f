import type { ResponseTargets } from "#shared/cases/response-times.ts";
import { type ServiceStats, serviceStats } from "./service-stats.ts";
import {
  type Aggregate,
  aggregate,
  casesReceivedBetween,
  type GroupBy,
  periodsBetween,
  type StatsDeps,
  type StatsQuery,
} from "./stats.ts";

/** What `GET /api/admin/stats` answers and the statistics page draws. */
export interface StatsReport extends Aggregate {
  from: string;
  to: string;
  groupBy: GroupBy;
  /** Every period from `from` to `to`, in order, with or without cases. */
  periods: string[];
  generatedAt: string;
  /** Time to first contact, response-time targets met, and the companies' ratings. */
  service: ServiceStats;
}

/**
 * The statistics for a parsed query (see `parseStatsQuery`), read from the table: what was asked
 * for (stats.ts) and how it was served (service-stats.ts), each case against its consortium's targets.
 */
export async function readStats(
  deps: StatsDeps,
  q: StatsQuery,
  targetsOf: (consortiumId: string) => ResponseTargets | undefined,
): Promise<StatsReport> {
  const cases = await casesReceivedBetween(deps, q.from, q.to);
  const now = deps.now();
  return {
    from: q.from,
    to: q.to,
    groupBy: q.groupBy,
    periods: periodsBetween(q.from, q.to, q.groupBy),
    generatedAt: now,
    ...aggregate(cases, q.groupBy),
    service: serviceStats(cases, q.groupBy, targetsOf, now),
  };
}
