/**
 * `npm run --silent triage -- FILE [--rules RULESET.json]`
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

function parseArgs(argv: string[]): { file: string; rulesFile?: string } {
  const args = [...argv];
  let rulesFile: string | undefined;
  const i = args.indexOf("--rules");
  if (i >= 0) {
    rulesFile = args[i + 1];
    args.splice(i, 2);
  }
  return { file: args[0] ?? "-", ...(rulesFile ? { rulesFile } : {}) };
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
    const { needs, primaryNeed, ruleSetVersion, route, scores, firedRules, negated, followUps } = d;
    return {
      id,
      needs,
      primaryNeed,
      consortiumId: route.consortiumId,
      ruleSetVersion,
      explanation: { route, scores, firedRules, negated, followUps },
    };
  } catch (err) {
    if (err instanceof AppError)
      return { id, error: { code: err.code, message: err.message, fields: err.fields } };
    throw err;
  }
}

async function main() {
  // A reader that stops early (`| head`) is not an error.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(0);
    throw err;
  });
  const { file, rulesFile } = parseArgs(process.argv.slice(2));
  const rules = loadRules(rulesFile);
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
