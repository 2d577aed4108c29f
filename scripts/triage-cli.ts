/**
 * `npm run --silent triage -- FILE [--rules RULESET.json]`
 * `npm run --silent triage -- --score LABELLED.jsonl [--rules RULESET.json]`
 *
 * With --score, each line is `{"id", "payload", "expect": {needs, primaryNeed, consortiumId}}` and the
 * output is the report of shared/triage-score.ts (accuracy, per-need F1, confusion, every miss).
 *
 * Reads JSON lines (each a payload, or `{"id": ..., "payload": {...}}`; `-` or no FILE reads stdin)
 * and writes one JSON line per input: the decision with its explanation, or `{"id", "error"}` for
 * invalid input. Same validation (parseIntake) and decision code (decide) as the triage worker.
 * Streams: constant memory, whatever the file's size. Progress on stderr when it is a terminal.
 */
import { createReadStream, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { AppError } from "#shared/errors.ts";
import { parseIntake } from "#shared/intake/request-schema.ts";
import { DEFAULT_CONSORTIA, municipalityMap } from "#shared/reference/consortia.ts";
import { DEFAULT_RULE_SET_VERSION, defaultRuleSet } from "#shared/rules/default.ts";
import { compile } from "#shared/rules/engine.ts";
import { RuleSetSchema } from "#shared/rules/ruleset-schema.ts";
import { decide } from "#shared/triage.ts";
import { ExpectedSchema, formatScore, type ScoredSample, scoreSamples } from "#shared/triage-score.ts";

function parseArgs(argv: string[]): { file: string; rulesFile?: string; score: boolean } {
  const args = [...argv];
  const s = args.indexOf("--score");
  const score = s >= 0;
  if (score) args.splice(s, 1);
  let rulesFile: string | undefined;
  const i = args.indexOf("--rules");
  if (i >= 0) {
    rulesFile = args[i + 1];
    args.splice(i, 2);
  }
  return { file: args[0] ?? "-", score, ...(rulesFile ? { rulesFile } : {}) };
}

function loadRules(rulesFile?: string) {
  if (!rulesFile) return compile(defaultRuleSet(), DEFAULT_RULE_SET_VERSION);
  const parsed = RuleSetSchema.safeParse(JSON.parse(readFileSync(rulesFile, "utf8")));
  if (!parsed.success) {
    process.stderr.write(
      `${rulesFile}: not a valid rule set\n${JSON.stringify(parsed.error.issues, null, 2)}\n`,
    );
    process.exit(2);
  }
  return compile(parsed.data, 0); // version 0: a draft that was never published
}

/** One input line → one output object. */
export function triageLine(
  line: string,
  lineNo: number,
  rules: ReturnType<typeof compile>,
  municipalities: ReadonlyMap<string, string>,
  now: string,
): Record<string, unknown> {
  let id: unknown = lineNo;
  try {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new AppError("validation_failed", "The line is not valid JSON", [
        { path: "", message: "invalid JSON" },
      ]);
    }
    let payload = value;
    if (value !== null && typeof value === "object" && "payload" in value) {
      id = (value as { id?: unknown }).id ?? lineNo;
      payload = (value as { payload: unknown }).payload;
    }
    const d = decide(parseIntake(payload), rules, municipalities, now);
    const { needs, primaryNeed, ruleSetVersion, route, scores, firedRules, negated, followUps, tieBreak } = d;
    return {
      id,
      needs,
      primaryNeed,
      consortiumId: route.consortiumId,
      ruleSetVersion,
      explanation: { route, scores, firedRules, negated, followUps, ...(tieBreak ? { tieBreak } : {}) },
    };
  } catch (err) {
    if (err instanceof AppError)
      return { id, error: { code: err.code, message: err.message, fields: err.fields } };
    throw err;
  }
}

/** One labelled line → the sample to score, or an error message for a line that is not one. */
export function scoreLine(
  line: string,
  lineNo: number,
  rules: ReturnType<typeof compile>,
  municipalities: ReadonlyMap<string, string>,
  now: string,
): ScoredSample | string {
  const value = JSON.parse(line) as { id?: unknown; expect?: unknown };
  const expect = ExpectedSchema.safeParse(value.expect);
  if (!expect.success) return `line ${lineNo}: no valid "expect"`;
  const out = triageLine(line, lineNo, rules, municipalities, now);
  if ("error" in out) return `line ${lineNo}: ${JSON.stringify(out.error)}`;
  const explanation = out.explanation as { firedRules: { ruleId: string }[] };
  return {
    id: String(value.id ?? lineNo),
    expect: expect.data,
    got: {
      needs: out.needs as ScoredSample["got"]["needs"],
      primaryNeed: out.primaryNeed as ScoredSample["got"]["primaryNeed"],
      consortiumId: typeof out.consortiumId === "string" ? out.consortiumId : "(none)",
    },
    firedRules: explanation.firedRules.map((r) => r.ruleId),
  };
}

async function runScore(file: string, rules: ReturnType<typeof compile>) {
  const municipalities = municipalityMap(DEFAULT_CONSORTIA);
  const now = new Date().toISOString();
  const samples: ScoredSample[] = [];
  let n = 0;
  let bad = 0;
  for (const line of readFileSync(file === "-" ? 0 : file, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    n++;
    const s = scoreLine(line, n, rules, municipalities, now);
    if (typeof s === "string") {
      bad++;
      process.stderr.write(`${s}\n`);
    } else samples.push(s);
  }
  process.stdout.write(formatScore(scoreSamples(samples)));
  if (bad > 0) process.exit(1);
}

async function main() {
  // A reader that stops early (`| head`) is not an error.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(0);
    throw err;
  });
  const { file, rulesFile, score } = parseArgs(process.argv.slice(2));
  const rules = loadRules(rulesFile);
  if (score) return runScore(file, rules);
  const municipalities = municipalityMap(DEFAULT_CONSORTIA);
  const input = file === "-" ? process.stdin : createReadStream(file, "utf8");
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  const progress = process.stderr.isTTY;
  const now = new Date().toISOString();
  let n = 0;
  let errors = 0;
  for await (const line of lines) {
    if (line.trim() === "") continue;
    n++;
    const out = triageLine(line, n, rules, municipalities, now);
    if ("error" in out) errors++;
    // Respect back-pressure so that memory stays flat on large files.
    if (!process.stdout.write(`${JSON.stringify(out)}\n`))
      await new Promise((r) => process.stdout.once("drain", r));
    if (progress && n % 1000 === 0) process.stderr.write(`\r${n} requests, ${errors} invalid`);
  }
  if (progress) process.stderr.write(`\r${n} requests, ${errors} invalid\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
