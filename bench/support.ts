/**
 * What the benchmark sections share: their result shape, statistics, a seeded random generator,
 * the request fixtures, machine information and table printing.
 */
import { readFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { type IntakeInput, type IntakePayload, parseIntake } from "#shared/intake/request-schema.ts";

export const REPO_ROOT = fileURLToPath(new URL("../", import.meta.url));

export type Status = "PASS" | "MISS" | "INFO";

/** One line of a section's table: what was measured, against which target, and the verdict. */
export interface Row {
  metric: string;
  measured: string;
  target?: string;
  status: Status;
}

export interface SectionResult {
  /** Every figure, for bench/results.json. */
  data: Record<string, unknown>;
  rows: Row[];
  notes: string[];
  /** The table's header when not "metric, measured, target, result". */
  header?: [string, string, string, string];
}

export interface BenchOptions {
  quick: boolean;
  /** Progress lines (stderr), so stdout holds only the tables. */
  log: (message: string) => void;
  /** Sections measured earlier in this run, or read from the last bench/results.json. */
  results: Record<string, StoredSection | undefined>;
}

/** A section as stored in bench/results.json. */
export interface StoredSection {
  ranAt: string;
  quick: boolean;
  loadAverageAtStart: number[];
  seconds: number;
  rows: Row[];
  notes: string[];
  header?: [string, string, string, string];
  data: Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// Statistics

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile (p in 0..100) of unsorted values; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

export function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

/** PASS when the condition holds, MISS otherwise. */
export function verdict(ok: boolean): Status {
  return ok ? "PASS" : "MISS";
}

// ---------------------------------------------------------------------------------------------
// Formatting

export function fmtInt(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "n/a";
}

export function fmt(n: number, digits = 1): string {
  return Number.isFinite(n)
    ? n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : "n/a";
}

export function fmtKb(bytes: number): string {
  return `${fmt(bytes / 1024, 0)} KB`;
}

export function fmtMs(ms: number): string {
  return `${fmt(ms, ms < 10 ? 2 : ms < 100 ? 1 : 0)} ms`;
}

export function fmtUsd(usd: number): string {
  return `$${usd.toFixed(usd < 0.1 ? 4 : 2)}`;
}

/** A plain-text table with a header line; columns padded to their widest cell. */
export function table(header: readonly string[], lines: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...lines.map(line)].join("\n");
}

export function rowsTable(
  rows: readonly Row[],
  header: readonly string[] = ["metric", "measured", "target", "result"],
): string {
  return table(
    header,
    rows.map((r) => [r.metric, r.measured, r.target ?? "", r.status === "INFO" ? "" : r.status]),
  );
}

// ---------------------------------------------------------------------------------------------
// Seeded randomness (mulberry32): generated rule sets and payloads are the same on every run.

export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, list: readonly T[]): T {
  const item = list[Math.floor(random() * list.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

// ---------------------------------------------------------------------------------------------
// Fixtures: the 20 labelled samples and the 74 extra requests the golden tests use.

export interface Fixture {
  id: string;
  input: IntakeInput;
  payload: IntakePayload;
}

export function fixtures(): Fixture[] {
  const files = ["tests/fixtures/samples.jsonl", "tests/fixtures/requests-extra.jsonl"];
  let n = 0;
  return files.flatMap((file) =>
    readFileSync(new URL(`../${file}`, import.meta.url), "utf8")
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => {
        const { id, payload } = JSON.parse(line) as { id: string; payload: IntakeInput };
        // The extra requests carry made-up CVR numbers (the golden tests read only the text);
        // the intake API checks them, so every fixture gets a valid one of its own.
        const input = { ...payload, company: { ...payload.company, cvr: validCvr(n++) } };
        return { id, input, payload: parseIntake(input) };
      }),
  );
}

const CVR_WEIGHTS = [2, 7, 6, 5, 4, 3, 2, 1];

/** The `n`th of a sequence of distinct, modulus-11 valid CVR numbers (30000000 and up). */
export function validCvr(n: number): string {
  for (let base = 3_000_000 + n * 11; ; base++) {
    const digits = String(base).split("").map(Number);
    const partial = digits.reduce((s, d, i) => s + d * (CVR_WEIGHTS[i] ?? 0), 0);
    const check = (11 - (partial % 11)) % 11;
    if (check < 10) return `${base}${check}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Machine

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  platform: string;
  node: string;
  loadAverage: number[];
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? "unknown",
    cores: cpus.length,
    memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverage: loadAverage(),
  };
}

/** The 1, 5 and 15 minute load averages, two decimals. */
export function loadAverage(): number[] {
  return os.loadavg().map((l) => Math.round(l * 100) / 100);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
