import * as z from "zod/mini";
import { NEEDS, type Need, NeedSchema } from "./needs.ts";

/** What a labelled sample says the decision should be (the `expect` of a labelled JSONL line). */
export const ExpectedSchema = z.object({
  needs: z.array(NeedSchema),
  primaryNeed: z.nullable(NeedSchema),
  consortiumId: z.string(),
});
export type Expected = z.infer<typeof ExpectedSchema>;

/** One labelled sample with the decision the rules made for it. */
export interface ScoredSample {
  id: string;
  expect: Expected;
  got: Expected;
  /** The ids of the rules that fired, for the list of misses. */
  firedRules: readonly string[];
}

export interface NeedMetrics {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface Miss {
  id: string;
  expect: Expected;
  got: Expected;
  firedRules: readonly string[];
  wrong: ("needs" | "primaryNeed" | "consortiumId")[];
}

export interface Score {
  total: number;
  primaryAccuracy: number;
  consortiumAccuracy: number;
  /** Micro-averaged over all needs. */
  needsF1: number;
  perNeed: Record<Need, NeedMetrics>;
  /** confusion[expected][got] for the primary need; "none" stands for null. */
  confusion: Record<string, Record<string, number>>;
  misses: Miss[];
}

const NONE = "none";

function ratio(a: number, b: number): number {
  return b === 0 ? 1 : a / b;
}

function metrics(tp: number, fp: number, fn: number): NeedMetrics {
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { tp, fp, fn, precision, recall, f1 };
}

/** Score decisions against their labels. Pure; an empty list scores 1 everywhere. */
export function scoreSamples(samples: readonly ScoredSample[]): Score {
  const counts = Object.fromEntries(NEEDS.map((n) => [n, { tp: 0, fp: 0, fn: 0 }])) as Record<
    Need,
    { tp: number; fp: number; fn: number }
  >;
  const labels = [...NEEDS, NONE];
  const confusion = Object.fromEntries(
    labels.map((e) => [e, Object.fromEntries(labels.map((g) => [g, 0]))]),
  ) as Record<string, Record<string, number>>;
  let primaryRight = 0;
  let consortiumRight = 0;
  const misses: Miss[] = [];
  for (const s of samples) {
    const want = new Set(s.expect.needs);
    const got = new Set(s.got.needs);
    for (const n of NEEDS) {
      const c = counts[n];
      if (want.has(n) && got.has(n)) c.tp++;
      else if (got.has(n)) c.fp++;
      else if (want.has(n)) c.fn++;
    }
    const row = confusion[s.expect.primaryNeed ?? NONE];
    const col = s.got.primaryNeed ?? NONE;
    if (row) row[col] = (row[col] ?? 0) + 1;
    const wrong: Miss["wrong"] = [];
    if (want.size !== got.size || [...want].some((n) => !got.has(n))) wrong.push("needs");
    if (s.expect.primaryNeed === s.got.primaryNeed) primaryRight++;
    else wrong.push("primaryNeed");
    if (s.expect.consortiumId === s.got.consortiumId) consortiumRight++;
    else wrong.push("consortiumId");
    if (wrong.length > 0)
      misses.push({ id: s.id, expect: s.expect, got: s.got, firedRules: s.firedRules, wrong });
  }
  const perNeed = Object.fromEntries(
    NEEDS.map((n) => [n, metrics(counts[n].tp, counts[n].fp, counts[n].fn)]),
  ) as Record<Need, NeedMetrics>;
  const sum = (k: "tp" | "fp" | "fn") => NEEDS.reduce((a, n) => a + counts[n][k], 0);
  return {
    total: samples.length,
    primaryAccuracy: ratio(primaryRight, samples.length),
    consortiumAccuracy: ratio(consortiumRight, samples.length),
    needsF1: metrics(sum("tp"), sum("fp"), sum("fn")).f1,
    perNeed,
    confusion,
    misses,
  };
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

/** The report the CLI prints: plain text, one idea a line. */
export function formatScore(s: Score): string {
  const out: string[] = [];
  out.push(`samples: ${s.total}`);
  out.push(`primary accuracy: ${pct(s.primaryAccuracy)}`);
  out.push(`needs F1 (micro): ${pct(s.needsF1)}`);
  out.push(`consortium accuracy: ${pct(s.consortiumAccuracy)}`);
  out.push("", "need              precision  recall   F1      tp  fp  fn");
  for (const n of NEEDS) {
    const m = s.perNeed[n];
    out.push(
      `${n.padEnd(18)}${pct(m.precision).padStart(9)}${pct(m.recall).padStart(9)}${pct(m.f1).padStart(9)}` +
        `${String(m.tp).padStart(4)}${String(m.fp).padStart(4)}${String(m.fn).padStart(4)}`,
    );
  }
  const labels = Object.keys(s.confusion);
  out.push("", "primary need confusion (rows expected, columns got):");
  out.push(`${"".padEnd(18)}${labels.map((l) => l.slice(0, 8).padStart(9)).join("")}`);
  for (const e of labels)
    out.push(`${e.padEnd(18)}${labels.map((g) => String(s.confusion[e]?.[g] ?? 0).padStart(9)).join("")}`);
  out.push("", `misses: ${s.misses.length}`);
  for (const m of s.misses)
    out.push(
      `${m.id} [${m.wrong.join(", ")}] expected ${JSON.stringify(m.expect)} got ${JSON.stringify(m.got)}` +
        ` fired: ${m.firedRules.join(", ") || "(none)"}`,
    );
  return `${out.join("\n")}\n`;
}
