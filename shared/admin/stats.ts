import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import * as z from "zod/mini";
import type { FieldProblem } from "#shared/errors.ts";
import { NEEDS, type Need } from "#shared/needs.ts";
import { parseBody } from "#shared/validation.ts";
import "#shared/zod.ts";

import { casesReceivedOn, type DayCase } from "#shared/cases/index-pagers.ts";
import { type CaseStatus, OUTCOMES } from "#shared/cases/model.ts";
import { validationFailed } from "#shared/errors.ts";

/**
 * The regional knowledge bank: how many companies asked for what, where, and when; how fast the
 * consortia took their cases and closed them; and what came of it. Dates are UTC calendar dates
 * (the day a case was received is `receivedAt.slice(0, 10)`, the byDay index's partition).
 */

export const GROUP_BYS = ["day", "week", "month"] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

/** The "consortium" of cases that are in no consortium (manual triage, or not yet triaged). */
export const MANUAL = "manual";
/** The "need" of a case in which no need was found. */
export const NO_NEED = "none";
export type StatsNeed = Need | typeof NO_NEED;
export const STATS_NEEDS: readonly StatsNeed[] = [...NEEDS, NO_NEED];

/**
 * What the statistics read of a case: what the byDay index holds (shared/resources.ts), so no
 * company, contact, request text or timeline.
 */
export type StatsCase = DayCase;

export interface StatsRow {
  /** `2026-11-23` (day), `2026-W48` (ISO week), or `2026-11` (month). */
  period: string;
  /** The case's consortium now, or `manual`. */
  consortiumId: string;
  /** A case counts once under each of its needs; a case without any counts under `none`. */
  need: StatsNeed;
  status: CaseStatus;
  count: number;
}

export interface Medians {
  /** Median hours from received to the first time a consultant claimed the case; null when none was. */
  receivedToClaimedHours: number | null;
  /** Median hours from received to closed; null when no case was closed. */
  receivedToClosedHours: number | null;
  /** How many cases each median is taken over. */
  claimedCases: number;
  closedCases: number;
}

export interface Aggregate {
  rows: StatsRow[];
  medians: { overall: Medians; byConsortium: Record<string, Medians> };
  /** Closed cases by outcome (every known outcome present, zero or not). */
  outcomes: { overall: Record<string, number>; byConsortium: Record<string, Record<string, number>> };
  /** Distinct cases: in all, per need (a case with two needs counts under both), per consortium, per status. */
  totals: {
    cases: number;
    byNeed: Record<StatsNeed, number>;
    byConsortium: Record<string, number>;
    byStatus: Partial<Record<CaseStatus, number>>;
  };
}

// ---- periods -------------------------------------------------------------------------------------

const DAY_MS = 24 * 3600 * 1000;

const utcDay = (date: string) => Date.parse(`${date}T00:00:00Z`);
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Adds whole days to a `yyyy-mm-dd` date. */
export function addDays(date: string, days: number): string {
  return isoDay(utcDay(date) + days * DAY_MS);
}

/** The ISO-8601 week of a UTC date: `2026-W48` (weeks start on Monday; week 1 holds the first Thursday). */
export function isoWeek(date: string): string {
  const t = new Date(utcDay(date));
  const weekday = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - weekday); // the Thursday of the same week decides the year
  const year = t.getUTCFullYear();
  const week = Math.ceil(((t.getTime() - Date.UTC(year, 0, 1)) / DAY_MS + 1) / 7);
  return `${year}-W${String(week).padStart(2, "0")}`;
}

/** The period a timestamp (or date) falls in. */
export function periodOf(iso: string, groupBy: GroupBy): string {
  const date = iso.slice(0, 10);
  if (groupBy === "day") return date;
  if (groupBy === "month") return date.slice(0, 7);
  return isoWeek(date);
}

/** Every period touched by the days `from`..`to` (inclusive), in order. */
export function periodsBetween(from: string, to: string, groupBy: GroupBy): string[] {
  const out: string[] = [];
  for (let d = utcDay(from), end = utcDay(to); d <= end; d += DAY_MS) {
    const p = periodOf(isoDay(d), groupBy);
    if (out.at(-1) !== p) out.push(p);
  }
  return out;
}

// ---- aggregation -----------------------------------------------------------------------------------

const hoursBetween = (from: string, to: string) => Math.max(0, Date.parse(to) - Date.parse(from)) / 3_600_000;

/** The median of a list of numbers, rounded to 2 decimals; null for an empty list. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const value =
    sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return Math.round(value * 100) / 100;
}

/** Hours from received to the first claim, if the case was ever claimed. */
export function hoursToClaim(c: StatsCase): number | undefined {
  return c.firstClaimedAt ? hoursBetween(c.receivedAt, c.firstClaimedAt) : undefined;
}

/** Hours from received to closed, if the case is closed. */
export function hoursToClose(c: StatsCase): number | undefined {
  return c.closedAt ? hoursBetween(c.receivedAt, c.closedAt) : undefined;
}

const zeroOutcomes = (): Record<string, number> => Object.fromEntries(OUTCOMES.map((o) => [o, 0]));

const bump = <K extends string>(r: Partial<Record<K, number>>, k: K) => {
  r[k] = (r[k] ?? 0) + 1;
};

/**
 * Counts cases by period × consortium × need × status, and computes the medians, outcomes and
 * totals. Pure: the same cases give the same answer, whatever their order.
 */
export function aggregate(cases: readonly StatsCase[], groupBy: GroupBy): Aggregate {
  const counts = new Map<string, StatsRow>();
  const claimHours: number[] = [];
  const closeHours: number[] = [];
  const perConsortium = new Map<
    string,
    { claim: number[]; close: number[]; outcomes: Record<string, number> }
  >();
  const outcomes = zeroOutcomes();
  const byNeed = Object.fromEntries(STATS_NEEDS.map((n) => [n, 0])) as Record<StatsNeed, number>;
  const byConsortium: Record<string, number> = {};
  const byStatus: Partial<Record<CaseStatus, number>> = {};

  for (const c of cases) {
    const period = periodOf(c.receivedAt, groupBy);
    const consortiumId = c.consortiumId ?? MANUAL;
    const needs: StatsNeed[] = c.needs.length ? [...new Set(c.needs)] : [NO_NEED];
    for (const need of needs) {
      const key = `${period}\u0000${consortiumId}\u0000${need}\u0000${c.status}`;
      const row = counts.get(key);
      if (row) row.count++;
      else counts.set(key, { period, consortiumId, need, status: c.status, count: 1 });
      byNeed[need]++;
    }
    bump(byConsortium, consortiumId);
    bump(byStatus, c.status);

    let mine = perConsortium.get(consortiumId);
    if (!mine) {
      mine = { claim: [], close: [], outcomes: zeroOutcomes() };
      perConsortium.set(consortiumId, mine);
    }
    const claim = hoursToClaim(c);
    if (claim !== undefined) {
      claimHours.push(claim);
      mine.claim.push(claim);
    }
    const close = hoursToClose(c);
    if (close !== undefined) {
      closeHours.push(close);
      mine.close.push(close);
    }
    if (c.outcome) {
      bump(outcomes, c.outcome);
      bump(mine.outcomes, c.outcome);
    }
  }

  const medians = (claim: number[], close: number[]): Medians => ({
    receivedToClaimedHours: median(claim),
    receivedToClosedHours: median(close),
    claimedCases: claim.length,
    closedCases: close.length,
  });
  const ids = [...perConsortium.keys()].sort();
  return {
    rows: [...counts.values()].sort(
      (a, b) =>
        a.period.localeCompare(b.period) ||
        a.consortiumId.localeCompare(b.consortiumId) ||
        a.need.localeCompare(b.need) ||
        a.status.localeCompare(b.status),
    ),
    medians: {
      overall: medians(claimHours, closeHours),
      byConsortium: Object.fromEntries(
        ids.map((id) => {
          const m = perConsortium.get(id);
          return [id, medians(m?.claim ?? [], m?.close ?? [])];
        }),
      ),
    },
    outcomes: {
      overall: outcomes,
      byConsortium: Object.fromEntries(
        ids.map((id) => [id, perConsortium.get(id)?.outcomes ?? zeroOutcomes()]),
      ),
    },
    totals: { cases: cases.length, byNeed, byConsortium, byStatus },
  };
}

// ---- CSV -------------------------------------------------------------------------------------------

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break; quotes doubled. */
export function csvField(value: string | number): string {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export const CSV_HEADER = ["period", "consortiumId", "need", "status", "count"] as const;

/** The rows as CSV: one header line, one line per row, CRLF line ends (RFC 4180). */
export function toCsv(result: Pick<Aggregate, "rows">): string {
  const lines = [
    CSV_HEADER.join(","),
    ...result.rows.map((r) => [r.period, r.consortiumId, r.need, r.status, r.count].map(csvField).join(",")),
  ];
  return `${lines.join("\r\n")}\r\n`;
}

// ---- the query -------------------------------------------------------------------------------------

export const MAX_RANGE_DAYS = 366;
export const DEFAULT_RANGE_DAYS = 12 * 7;

export const StatsQuerySchema = z.strictObject({
  /** First day received (UTC, inclusive). Default: 12 weeks before `to`. */
  from: z.optional(z.iso.date()),
  /** Last day received (UTC, inclusive). Default: today. */
  to: z.optional(z.iso.date()),
  groupBy: z._default(z.enum(GROUP_BYS), "week"),
  /** Overrides the Accept header: a plain link can then ask for CSV. */
  format: z.optional(z.enum(["json", "csv"])),
});

export interface StatsQuery {
  from: string;
  to: string;
  groupBy: GroupBy;
  format?: "json" | "csv";
}

/**
 * The query, with defaults filled in (the last 12 weeks, by week), or a 400 naming each bad field:
 * dates that are not `yyyy-mm-dd`, `from` after `to`, or more than 366 days.
 */
export function parseStatsQuery(input: Record<string, unknown>, today: string): StatsQuery {
  // An empty form field means "the default", as if it were not sent.
  const present = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== "" && v !== undefined));
  const q = parseBody(StatsQuerySchema, present);
  const to = q.to ?? today;
  const from = q.from ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1));
  const problems: FieldProblem[] = [];
  if (from > to) problems.push({ path: q.from ? "from" : "to", message: "must not be after to" });
  else if ((utcDay(to) - utcDay(from)) / DAY_MS + 1 > MAX_RANGE_DAYS)
    problems.push({ path: "to", message: `must be at most ${MAX_RANGE_DAYS} days after from (inclusive)` });
  if (problems.length) throw validationFailed(problems);
  return { from, to, groupBy: q.groupBy, ...(q.format ? { format: q.format } : {}) };
}

// ---- reading -----------------------------------------------------------------------------------------

export interface StatsDeps {
  db: DynamoDBDocumentClient;
  tableName: string;
  now: () => string;
}

/** Runs `fn` over `items` with at most `limit` calls in flight; results in input order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Every case received from `from` to `to` (UTC days, inclusive): one byDay query per day, a few at once. */
export async function casesReceivedBetween(
  deps: Omit<StatsDeps, "now">,
  from: string,
  to: string,
  concurrency = 8,
): Promise<StatsCase[]> {
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
  return (await mapLimit(days, concurrency, (day) => casesReceivedOn(deps, day))).flat();
}
