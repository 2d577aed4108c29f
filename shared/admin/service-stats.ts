import { caseDues, DEFAULT_TARGETS, type ResponseTargets } from "#shared/cases/response-times.ts";
import {
  type GroupBy,
  median,
  NO_NEED,
  periodOf,
  STATS_NEEDS,
  type StatsCase,
  type StatsNeed,
} from "./stats.ts";

/**
 * How the consortia serve the companies, beside what they were asked for (stats.ts): the time to
 * first contact and the response-time targets met, per consortium × need × period, and the
 * companies' ratings. Read from the same byDay index items (no company, contact or comment).
 */

/** How the cases of one cell stand against one target. */
export interface TargetCount {
  /** Met in time. */
  met: number;
  /** Met late, or still open past the due time. */
  missed: number;
  /** Not met yet, not due yet. */
  open: number;
}

export interface TargetRow {
  period: string;
  consortiumId: string;
  need: StatsNeed;
  firstContact: TargetCount;
  close: TargetCount;
}

export interface RatingStats {
  count: number;
  /** Mean score, 1–5, rounded to 2 decimals; null without ratings. */
  average: number | null;
  /** How many gave each score, 1 to 5. */
  scores: [number, number, number, number, number];
}

export interface FirstContactMedian {
  /** Median hours from received to the first contact (a message or a recorded call, meeting…). */
  hours: number | null;
  /** How many cases it is taken over. */
  cases: number;
}

export interface ServiceStats {
  firstContact: { overall: FirstContactMedian; byConsortium: Record<string, FirstContactMedian> };
  /** Every period × consortium × need that has cases, in order. */
  targets: TargetRow[];
  /** Per consortium, all its needs and periods together. */
  targetsByConsortium: Record<string, { firstContact: TargetCount; close: TargetCount }>;
  ratings: {
    total: RatingStats;
    byConsortium: Record<string, RatingStats>;
    /** A case counts under each of its needs, as in the rest of the statistics. */
    byNeed: Partial<Record<StatsNeed, RatingStats>>;
  };
}

const noCount = (): TargetCount => ({ met: 0, missed: 0, open: 0 });
const noRatings = (): RatingStats => ({ count: 0, average: null, scores: [0, 0, 0, 0, 0] });

function countTarget(into: TargetCount, state: string) {
  if (state === "met") into.met++;
  else if (state === "missed" || state === "overdue") into.missed++;
  else into.open++;
}

function addRating(s: RatingStats, score: number) {
  s.scores[score - 1] = (s.scores[score - 1] ?? 0) + 1;
  const sum = (s.average ?? 0) * s.count + score;
  s.count += 1;
  s.average = sum / s.count;
}

const rounded = (s: RatingStats): RatingStats => ({
  ...s,
  average: s.average === null ? null : Math.round(s.average * 100) / 100,
});

const hoursBetween = (from: string, to: string) => Math.max(0, Date.parse(to) - Date.parse(from)) / 3_600_000;

/**
 * The service figures of `cases` at `now`: each case is measured against its consortium's targets
 * (`targetsOf`; the defaults for cases in no consortium). Pure: same cases, same answer.
 */
export function serviceStats(
  cases: readonly StatsCase[],
  groupBy: GroupBy,
  targetsOf: (consortiumId: string) => ResponseTargets | undefined,
  now: string,
): ServiceStats {
  const rows = new Map<string, TargetRow>();
  const byConsortium: ServiceStats["targetsByConsortium"] = {};
  const contactHours: number[] = [];
  const contactByConsortium = new Map<string, number[]>();
  const ratings: ServiceStats["ratings"] = { total: noRatings(), byConsortium: {}, byNeed: {} };

  for (const c of cases) {
    // Only cases that reached an inbox have a consortium to hold to a target.
    if (!c.consortiumId) continue;
    const id = c.consortiumId;
    const dues = caseDues(c, targetsOf(id) ?? DEFAULT_TARGETS, now);
    const needs: StatsNeed[] = c.needs.length ? [...new Set(c.needs)] : [NO_NEED];
    const period = periodOf(c.receivedAt, groupBy);
    for (const need of needs) {
      const key = `${period}\u0000${id}\u0000${need}`;
      let row = rows.get(key);
      if (!row) {
        row = { period, consortiumId: id, need, firstContact: noCount(), close: noCount() };
        rows.set(key, row);
      }
      countTarget(row.firstContact, dues.firstContact.state);
      countTarget(row.close, dues.close.state);
    }
    const mine = byConsortium[id] ?? { firstContact: noCount(), close: noCount() };
    byConsortium[id] = mine;
    countTarget(mine.firstContact, dues.firstContact.state);
    countTarget(mine.close, dues.close.state);

    if (c.firstContactAt) {
      const h = hoursBetween(c.receivedAt, c.firstContactAt);
      contactHours.push(h);
      contactByConsortium.set(id, [...(contactByConsortium.get(id) ?? []), h]);
    }
    if (c.ratingScore !== undefined) {
      addRating(ratings.total, c.ratingScore);
      const r = ratings.byConsortium[id] ?? noRatings();
      ratings.byConsortium[id] = r;
      addRating(r, c.ratingScore);
      for (const need of needs) {
        const n = ratings.byNeed[need] ?? noRatings();
        ratings.byNeed[need] = n;
        addRating(n, c.ratingScore);
      }
    }
  }

  const order = (n: StatsNeed) => STATS_NEEDS.indexOf(n);
  const medianOf = (hours: number[]): FirstContactMedian => ({ hours: median(hours), cases: hours.length });
  return {
    firstContact: {
      overall: medianOf(contactHours),
      byConsortium: Object.fromEntries([...contactByConsortium].map(([id, h]) => [id, medianOf(h)])),
    },
    targets: [...rows.values()].sort(
      (a, b) =>
        a.period.localeCompare(b.period) ||
        a.consortiumId.localeCompare(b.consortiumId) ||
        order(a.need) - order(b.need),
    ),
    targetsByConsortium: byConsortium,
    ratings: {
      total: rounded(ratings.total),
      byConsortium: Object.fromEntries(Object.entries(ratings.byConsortium).map(([k, v]) => [k, rounded(v)])),
      byNeed: Object.fromEntries(Object.entries(ratings.byNeed).map(([k, v]) => [k, rounded(v)])),
    },
  };
}
