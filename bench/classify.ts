/**
 * Classification throughput on one core (this thread): Indgang's engine beside json-rules-engine
 * running an equivalent rule set, on the same inputs (the 20 samples + the 74 extra requests), for
 * the default rule set and for a generated (seeded) 500-rule set. Warm-up first, then rounds that
 * alternate the four contestants; the median round counts. Each round gives two rates: requests per
 * second of wall-clock time, and per second of this process's CPU time, on which targets are judged
 * (see CPU_TIME_NOTE).
 */

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  Engine,
  type NestedCondition,
  Operator,
  type RuleProperties,
  type TopLevelCondition,
} from "json-rules-engine";
import { NEEDS, type Need } from "#shared/needs.ts";

import { defaultRuleSet } from "#shared/rules/default.ts";
import { type ClassificationInput, type CompiledRuleSet, compile } from "#shared/rules/engine.ts";
import { type Condition, type Rule, type RuleSet, RuleSetSchema } from "#shared/rules/ruleset-schema.ts";
import { fold, type PhraseWord, parsePhrase, tokenise, wordKeys } from "#shared/rules/text.ts";
import { classificationInput } from "#shared/triage.ts";
import {
  type BenchOptions,
  fixtures,
  fmt,
  fmtInt,
  median,
  pick,
  type Row,
  type SectionResult,
  seededRandom,
  verdict,
} from "./support.ts";

const TARGET_RATE = 100_000;
const TARGET_RATIO = 30;
/** The triage CLI's marginal rate against json-rules-engine's in-process rate (issue 14). */
const TARGET_CLI_RATIO = 10;
/** Why the targets are judged on CPU time (the note row of the table). */
const CPU_TIME_NOTE = "steal time on this VM swings wall-clock rates up to 1.5x; CPU time excludes it";
export const GENERATED_RULES = 500;
const GENERATED_SEED = 20_260_500;

// ---------------------------------------------------------------------------------------------
// The generated rule set

/** Every phrase of the default rule set's text and industry conditions. */
function defaultVocabulary(ruleSet: RuleSet): string[] {
  const phrases = new Set<string>();
  const walk = (c: Condition): void => {
    if (c.type === "text") for (const p of c.anyOf) phrases.add(p);
    else if (c.type === "field" && c.op === "containsAny") for (const p of c.value) phrases.add(p);
    else if (c.type === "all" || c.type === "any") c.of.forEach(walk);
    else if (c.type === "not") walk(c.condition);
  };
  for (const r of ruleSet.rules) walk(r.when);
  for (const o of ruleSet.routing.overrides) walk(o.when);
  return [...phrases].sort();
}

const ONSETS = ["b", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "sk", "st", "tr", "br"];
const VOWELS = ["a", "e", "i", "o", "u", "y", "æ", "ø", "å"];
const CODAS = ["", "", "n", "r", "l", "s", "t", "nd", "rk", "ng"];

/** A pronounceable made-up word of 2-4 syllables ("stølarven"): vocabulary no request uses. */
function syntheticWord(random: () => number): string {
  const syllables = 2 + Math.floor(random() * 3);
  let word = "";
  for (let i = 0; i < syllables; i++) word += pick(random, ONSETS) + pick(random, VOWELS);
  return word + pick(random, CODAS);
}

/**
 * A deterministic rule set of `count` rules: a third of the phrases from the default vocabulary
 * (so rules fire on real requests), the rest made-up words, with the default's shapes: plain text
 * lists, all-of-two-lists, exclusions (not), need hints, employee and municipality conditions.
 */
export function generateRuleSet(count: number, seed = GENERATED_SEED): RuleSet {
  const random = seededRandom(seed);
  const vocabulary = defaultVocabulary(defaultRuleSet());
  const synthetic = Array.from({ length: 3000 }, () => syntheticWord(random));
  const phrase = (): string => {
    if (random() < 0.35) return pick(random, vocabulary);
    const r = random();
    if (r < 0.8) return pick(random, synthetic);
    if (r < 0.92) return `${pick(random, synthetic)} ${pick(random, synthetic)}`;
    return random() < 0.5 ? `*${pick(random, synthetic)}` : `${pick(random, synthetic)}*`;
  };
  const text = (min: number, max: number): Condition => ({
    type: "text",
    anyOf: Array.from({ length: min + Math.floor(random() * (max - min + 1)) }, phrase),
  });
  const condition = (need: Need): Condition => {
    const r = random();
    if (r < 0.6) return text(2, 10);
    if (r < 0.75) return { type: "all", of: [text(2, 6), text(2, 6)] };
    if (r < 0.85) return { type: "all", of: [text(3, 8), { type: "not", condition: text(1, 4) }] };
    if (r < 0.92) return { type: "any", of: [text(2, 6), { type: "needHint", need }] };
    if (r < 0.97) {
      const min = 1 + Math.floor(random() * 50);
      return {
        type: "all",
        of: [text(2, 6), { type: "field", field: "employees", op: "between", value: [min, min * 4] }],
      };
    }
    const codes = Array.from({ length: 5 }, () => pick(random, ["101", "147", "461", "751", "851", "621"]));
    return {
      type: "all",
      of: [text(2, 6), { type: "field", field: "municipalityCode", op: "in", value: codes }],
    };
  };
  const rules: Rule[] = Array.from({ length: count }, (_, i) => {
    const need = pick(random, NEEDS);
    return {
      id: `gen-${String(i + 1).padStart(3, "0")}`,
      need,
      weight: pick(random, [1, 1, 2, 2, -1]),
      when: condition(need),
    };
  });
  return RuleSetSchema.parse({
    ...defaultRuleSet(),
    name: `Generated ${count} rules (seed ${seed})`,
    rules,
  });
}

// ---------------------------------------------------------------------------------------------
// The same rules for json-rules-engine

/**
 * How a text condition is put to json-rules-engine. `sets` (the one measured against the target):
 * one condition per text condition, testing the request's word set against every key of the
 * condition's one-word phrases at once (custom operator `hasAny`), plus one per wildcard kind and
 * an `all` per multi-word phrase. `builtin`: only built-in operators, a `contains` per word key
 * (how the rules read in json-rules-engine's documentation style; far slower). `operators`: the most
 * json-rules-engine can be helped: each text condition compiled to a custom operator of its own
 * (a closure over its word sets), so a condition is one small object; the engine still evaluates
 * all/any/not, the rules and their events.
 */
export type JreStyle = "sets" | "builtin" | "operators";

/**
 * Translates a rule set to json-rules-engine rules: same rules, same weights, one event per rule.
 * Words are tested against the fact `words`: every token's folded surface form and Danish/English
 * stems, computed once per request (stems memoised across requests, as Indgang's engine does).
 * Not translated, because json-rules-engine has no notion of word order: negation cues, clause
 * boundaries and phrase adjacency. It therefore does less work per rule than Indgang's engine.
 */
export function jsonRulesEngineFor(
  ruleSet: RuleSet,
  style: JreStyle,
): (input: ClassificationInput) => Promise<Need[]> {
  const engine = new Engine([], { allowUndefinedFacts: true });
  type Words = ReadonlySet<string> | readonly string[];
  const some = (words: Words, test: (w: string) => boolean) => {
    for (const w of words) if (test(w)) return true;
    return false;
  };
  const isWords = (v: unknown) => v instanceof Set || Array.isArray(v);
  engine.addOperator(
    new Operator<Words, string[]>(
      "anyEndsWith",
      (words, vs) => vs.some((v) => some(words, (w) => w.endsWith(v))),
      isWords,
    ),
  );
  engine.addOperator(
    new Operator<Words, string[]>(
      "anyStartsWith",
      (words, vs) => vs.some((v) => some(words, (w) => w.startsWith(v))),
      isWords,
    ),
  );
  engine.addOperator(
    new Operator<Words, string[]>(
      "anyIncludes",
      (words, vs) => vs.some((v) => some(words, (w) => w.includes(v))),
      isWords,
    ),
  );
  engine.addOperator(
    new Operator<ReadonlySet<string>, string[]>(
      "hasAny",
      (words, keys) => keys.some((k) => words.has(k)),
      (v) => v instanceof Set,
    ),
  );

  const memo = new Map<string, string[]>();
  const keysOf = (word: string): string[] => {
    let keys = memo.get(word);
    if (keys === undefined) {
      if (memo.size >= 50_000) memo.clear();
      keys = wordKeys(word);
      memo.set(word, keys);
    }
    return keys;
  };
  const wordsOf = (text: string | undefined): Words => {
    const words = new Set<string>();
    for (const token of tokenise(text ?? "")) {
      for (const k of keysOf(token.text)) words.add(k);
      if (token.joined !== undefined) for (const k of keysOf(token.joined)) words.add(k);
    }
    return style === "builtin" ? [...words] : words;
  };
  engine.addFact("words", async (_params, almanac) =>
    wordsOf(await almanac.factValue<string>("description")),
  );
  engine.addFact("industryWords", async (_params, almanac) =>
    wordsOf(await almanac.factValue<string | undefined>("industry")),
  );

  const WILDCARD_OPERATORS = {
    endsWith: "anyEndsWith",
    startsWith: "anyStartsWith",
    contains: "anyIncludes",
  };
  let operators = 0;
  const matcher = (w: PhraseWord): ((words: ReadonlySet<string>) => boolean) => {
    const surface = fold(w.word);
    if (w.match === "endsWith") return (words) => some(words, (x) => x.endsWith(surface));
    if (w.match === "startsWith") return (words) => some(words, (x) => x.startsWith(surface));
    if (w.match === "contains") return (words) => some(words, (x) => x.includes(surface));
    const keys = wordKeys(w.word);
    return (words) => keys.some((k) => words.has(k));
  };
  const wordCondition = (fact: string, w: PhraseWord): NestedCondition => {
    if (w.match !== "exact") return { fact, operator: WILDCARD_OPERATORS[w.match], value: [fold(w.word)] };
    const keys = wordKeys(w.word);
    if (style === "sets") return { fact, operator: "hasAny", value: keys };
    const exact = keys.map((k): NestedCondition => ({ fact, operator: "contains", value: k }));
    return exact.length === 1 && exact[0] ? exact[0] : { any: exact };
  };
  const phrasesCondition = (fact: string, phrases: readonly string[]): NestedCondition => {
    const parsed = phrases.map((p) => {
      const words = parsePhrase(p);
      if (typeof words === "string") throw new Error(words);
      return words;
    });
    if (style === "operators") {
      const name = `text${operators++}`;
      const matchers = parsed.map((ws) => ws.map(matcher));
      engine.addOperator(
        new Operator<ReadonlySet<string>, boolean>(
          name,
          (words) => matchers.some((m) => m.every((test) => test(words))),
          (v) => v instanceof Set,
        ),
      );
      return { fact, operator: name, value: true };
    }
    const conditions: NestedCondition[] = [];
    const single = parsed.filter((ws) => ws.length === 1).flat();
    if (style === "sets") {
      // One condition per kind: every one-word phrase's keys together, each wildcard kind together.
      const exact = single.filter((w) => w.match === "exact").flatMap((w) => wordKeys(w.word));
      if (exact.length > 0) conditions.push({ fact, operator: "hasAny", value: [...new Set(exact)] });
      for (const match of ["endsWith", "startsWith", "contains"] as const) {
        const values = single.filter((w) => w.match === match).map((w) => fold(w.word));
        if (values.length > 0) conditions.push({ fact, operator: WILDCARD_OPERATORS[match], value: values });
      }
    } else {
      for (const w of single) conditions.push(wordCondition(fact, w));
    }
    for (const ws of parsed.filter((ws) => ws.length > 1)) {
      conditions.push({ all: ws.map((w) => wordCondition(fact, w)) });
    }
    return conditions.length === 1 && conditions[0] ? conditions[0] : { any: conditions };
  };
  const translate = (c: Condition): NestedCondition => {
    switch (c.type) {
      case "text":
        return phrasesCondition("words", c.anyOf);
      case "needHint":
        return { fact: "needHints", operator: "contains", value: c.need };
      case "all":
        return { all: c.of.map(translate) };
      case "any":
        return { any: c.of.map(translate) };
      case "not":
        return { not: translate(c.condition) };
      case "field":
        switch (c.op) {
          case "in":
            return { fact: "municipalityCode", operator: "in", value: c.value };
          case "containsAny":
            return phrasesCondition("industryWords", c.value);
          case "between":
            return {
              all: [
                { fact: "employees", operator: "greaterThanInclusive", value: c.value[0] },
                { fact: "employees", operator: "lessThanInclusive", value: c.value[1] },
              ],
            };
          case "gte":
            return { fact: "employees", operator: "greaterThanInclusive", value: c.value };
          case "lte":
            return { fact: "employees", operator: "lessThanInclusive", value: c.value };
          case "eq":
            return { fact: "employees", operator: "equal", value: c.value };
        }
    }
  };
  const topLevel = (c: NestedCondition): TopLevelCondition =>
    "all" in c || "any" in c || "not" in c ? c : { all: [c] };
  for (const rule of ruleSet.rules) {
    const properties: RuleProperties = {
      name: rule.id,
      conditions: topLevel(translate(rule.when)),
      event: { type: "need", params: { need: rule.need, weight: rule.weight } },
    };
    engine.addRule(properties);
  }

  const { applyAt, saturateAt } = ruleSet.scoring;
  return async (input) => {
    const { events } = await engine.run({ ...input });
    const raw: Record<Need, number> = { growth: 0, recruitment: 0, upskilling: 0 };
    for (const e of events) {
      const params = e.params as { need: Need; weight: number };
      raw[params.need] += params.weight;
    }
    return NEEDS.filter((n) => Math.min(raw[n], saturateAt) >= applyAt);
  };
}

/** How many phrases a rule set's conditions list (repeats included). */
export function phraseCount(ruleSet: RuleSet): number {
  const count = (c: Condition): number => {
    if (c.type === "text") return c.anyOf.length;
    if (c.type === "field" && c.op === "containsAny") return c.value.length;
    if (c.type === "all" || c.type === "any") return c.of.reduce((n, x) => n + count(x), 0);
    if (c.type === "not") return count(c.condition);
    return 0;
  };
  return ruleSet.rules.reduce((n, r) => n + count(r.when), 0);
}

// ---------------------------------------------------------------------------------------------
// Measurement

/**
 * The rates of one round: requests per second of wall-clock time, and per second of CPU time of this
 * process (user + system; the loop is single-threaded, so that is the time of the one core it ran on).
 */
interface Rates {
  wall: number;
  cpu: number;
}

/** A round's rates from what it did, its wall-clock time and the CPU time since `cpuStart`. */
function rates(done: number, wallMs: number, cpuStart: NodeJS.CpuUsage): Rates {
  const cpu = process.cpuUsage(cpuStart);
  return { wall: (done * 1000) / wallMs, cpu: (done * 1e6) / (cpu.user + cpu.system) };
}

/** The rates of a synchronous classifier, looping over the inputs for at least `ms`. */
function rateSync(
  classify: (input: ClassificationInput) => unknown,
  inputs: ClassificationInput[],
  ms: number,
): Rates {
  let done = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let now = start;
  do {
    for (const input of inputs) classify(input);
    done += inputs.length;
    now = performance.now();
  } while (now - start < ms);
  return rates(done, now - start, cpuStart);
}

/**
 * The same for an asynchronous classifier, checking the clock after every request (a slow one may
 * not finish a pass in a round) and carrying on from where the previous round stopped.
 */
function rateAsync(
  classify: (input: ClassificationInput) => Promise<unknown>,
  inputs: ClassificationInput[],
) {
  let cursor = 0;
  return async (ms: number): Promise<Rates> => {
    let done = 0;
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    let now = start;
    do {
      const input = inputs[cursor++ % inputs.length];
      if (input) await classify(input);
      done++;
      now = performance.now();
    } while (now - start < ms);
    return rates(done, now - start, cpuStart);
  };
}

/** One run of the triage CLI on a file: wall-clock and CPU seconds of the child (user + system). */
function runCli(file: string): { wall: number; cpu: number } {
  // GNU time writes "<wall> <user> <system>" as the last line of stderr; the CLI's output is discarded.
  const r = spawnSync(
    "/usr/bin/time",
    ["-f", "%e %U %S", process.execPath, "--import", "tsx", "scripts/triage-cli.ts", file],
    { cwd: new URL("..", import.meta.url), stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(`triage CLI failed (${r.status}): ${r.stderr}`);
  const last = r.stderr.trim().split("\n").at(-1) ?? "";
  const [wall, user, system] = last.split(" ").map(Number);
  if (wall === undefined || user === undefined || system === undefined || Number.isNaN(wall + user + system))
    throw new Error(`unexpected output of /usr/bin/time: ${last}`);
  return { wall, cpu: user + system };
}

/**
 * The triage CLI's marginal throughput: the same command on N and N×100 lines (the fixtures'
 * payloads, repeated), the difference in lines over the difference in time, so that the start-up
 * (Node, tsx, compiling the rule set) drops out. Each size is run `repeats` times; medians count.
 */
export function cliMarginal(quick: boolean): {
  small: number;
  large: number;
  repeats: number;
  cpu: number;
  wall: number;
  startCpu: number;
} {
  const lines = fixtures().map((f) => JSON.stringify({ id: f.id, payload: f.input }));
  const small = quick ? 100 : 200;
  const large = small * 100;
  const repeats = quick ? 2 : 3;
  const dir = mkdtempSync(join(tmpdir(), "indgang-cli-bench-"));
  try {
    const file = (n: number) => {
      const path = join(dir, `${n}.jsonl`);
      let text = "";
      for (let i = 0; i < n; i++) text += `${lines[i % lines.length]}\n`;
      writeFileSync(path, text);
      return path;
    };
    const [fs, fl] = [file(small), file(large)];
    const runs = (path: string) => {
      const wall: number[] = [];
      const cpu: number[] = [];
      for (let r = 0; r < repeats; r++) {
        const t = runCli(path);
        wall.push(t.wall);
        cpu.push(t.cpu);
      }
      return { wall: median(wall), cpu: median(cpu) };
    };
    const a = runs(fs);
    const b = runs(fl);
    return {
      small,
      large,
      repeats,
      cpu: (large - small) / (b.cpu - a.cpu),
      wall: (large - small) / (b.wall - a.wall),
      startCpu: a.cpu - small / ((large - small) / (b.cpu - a.cpu)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Contestant {
  name: string;
  rate: (ms: number) => Promise<Rates>;
  /** The rates of each round, per second of wall-clock time and of CPU time. */
  rounds: number[];
  cpuRounds: number[];
}

export async function run(options: BenchOptions): Promise<SectionResult> {
  const inputs = fixtures().map((f) => classificationInput(f.payload));
  const generated = generateRuleSet(GENERATED_RULES);
  // What is measured is the whole classification: the request's analysis and the rules on it.
  const classifier = (compiled: CompiledRuleSet) => (input: ClassificationInput) =>
    compiled.classify(compiled.analyse(input));
  const ours = {
    default: classifier(compile(defaultRuleSet(), 1)),
    generated: classifier(compile(generated, 1)),
  };
  // The target is measured against json-rules-engine at its fastest (`operators`); the other two
  // translations are what a straightforward port looks like.
  const jre = {
    default: jsonRulesEngineFor(defaultRuleSet(), "operators"),
    generated: jsonRulesEngineFor(generated, "operators"),
    defaultSets: jsonRulesEngineFor(defaultRuleSet(), "sets"),
    defaultBuiltin: jsonRulesEngineFor(defaultRuleSet(), "builtin"),
  };

  // How equivalent the translations are: on how many inputs both engines find the same needs.
  const agreement = async (set: "default" | "generated", other: keyof typeof jre) => {
    let same = 0;
    for (const input of inputs) {
      const a = ours[set](input).needs.join(",");
      const b = (await jre[other](input)).join(",");
      if (a === b) same++;
    }
    return same;
  };
  const agree = {
    default: await agreement("default", "default"),
    generated: await agreement("generated", "generated"),
  };

  // Every request carries a word never seen before (a name, a number): one token-cache miss each.
  let serial = 0;
  const unseen = (input: ClassificationInput) =>
    ours.default({ ...input, description: `${input.description} ref${(serial++).toString(36)}` });

  const sync = (name: string, classify: (i: ClassificationInput) => unknown): Contestant => ({
    name,
    rate: async (ms) => rateSync(classify, inputs, ms),
    rounds: [],
    cpuRounds: [],
  });
  const async = (name: string, classify: (i: ClassificationInput) => Promise<unknown>): Contestant => ({
    name,
    rate: rateAsync(classify, inputs),
    rounds: [],
    cpuRounds: [],
  });
  const contestants: Contestant[] = [
    sync("indgang-default", ours.default),
    async("jre-default", jre.default),
    sync("indgang-generated", ours.generated),
    async("jre-generated", jre.generated),
    sync("indgang-default-unseen-word", unseen),
    async("jre-default-sets", jre.defaultSets),
    async("jre-default-builtin", jre.defaultBuiltin),
  ];
  const warmMs = options.quick ? 300 : 1500;
  const roundMs = options.quick ? 300 : 1000;
  const rounds = options.quick ? 3 : 7;
  options.log(`classify: warm-up ${warmMs} ms each, then ${rounds} rounds of >= ${roundMs} ms, interleaved`);
  for (const c of contestants) await c.rate(warmMs);
  for (let r = 0; r < rounds; r++) {
    for (const c of contestants) {
      const { wall, cpu } = await c.rate(roundMs);
      c.rounds.push(wall);
      c.cpuRounds.push(cpu);
    }
    options.log(`classify: round ${r + 1}/${rounds}`);
  }
  options.log("classify: the triage CLI on a small and a large file");
  const cli = cliMarginal(options.quick);
  const contestant = (name: string) => contestants.find((c) => c.name === name);
  /** The median rates of a contestant: per CPU-second (judged) and per wall-clock second. */
  const rate = (name: string): Rates => ({
    cpu: median(contestant(name)?.cpuRounds ?? []),
    wall: median(contestant(name)?.rounds ?? []),
  });
  const ratio = (a: Rates, b: Rates): Rates => ({ cpu: a.cpu / b.cpu, wall: a.wall / b.wall });
  const defaultRate = rate("indgang-default");
  const defaultRatio = ratio(defaultRate, rate("jre-default"));
  const generatedRatio = ratio(rate("indgang-generated"), rate("jre-generated"));
  const n = inputs.length;
  const phrases = { default: phraseCount(defaultRuleSet()), generated: phraseCount(generated) };
  const info = (metric: string, measured: string): Row => ({ metric, measured, status: "INFO" });
  /** "N req/CPU-s (wall: M req/s)": the CPU-time rate first, as the one judged. */
  const perSecond = ({ cpu, wall }: Rates) => `${fmtInt(cpu)} req/CPU-s (wall: ${fmtInt(wall)} req/s)`;
  const times = ({ cpu, wall }: Rates) => `${fmt(cpu)}x (wall: ${fmt(wall)}x)`;

  const rows: Row[] = [
    {
      metric: `Indgang engine, default rules (${defaultRuleSet().rules.length} rules, ${fmtInt(phrases.default)} phrases)`,
      measured: perSecond(defaultRate),
      target: `>= ${fmtInt(TARGET_RATE)} req/CPU-s`,
      status: verdict(defaultRate.cpu >= TARGET_RATE),
    },
    info(
      "json-rules-engine, default rules (one custom operator per word list)",
      perSecond(rate("jre-default")),
    ),
    {
      metric: "Indgang / json-rules-engine, default rules",
      measured: times(defaultRatio),
      target: `>= ${TARGET_RATIO}x (CPU)`,
      status: verdict(defaultRatio.cpu >= TARGET_RATIO),
    },
    info(
      `Indgang engine, generated rules (${GENERATED_RULES} rules, ${fmtInt(phrases.generated)} phrases)`,
      perSecond(rate("indgang-generated")),
    ),
    info(`json-rules-engine, generated rules (${GENERATED_RULES})`, perSecond(rate("jre-generated"))),
    {
      metric: `Indgang / json-rules-engine, ${GENERATED_RULES} rules`,
      measured: times(generatedRatio),
      target: `>= ${TARGET_RATIO}x (CPU)`,
      status: verdict(generatedRatio.cpu >= TARGET_RATIO),
    },
    info(
      "Indgang engine, default rules, an unseen word in every request",
      perSecond(rate("indgang-default-unseen-word")),
    ),
    info("json-rules-engine, default rules, `hasAny` set conditions", perSecond(rate("jre-default-sets"))),
    info(
      "json-rules-engine, default rules, built-in `contains` only",
      perSecond(rate("jre-default-builtin")),
    ),
    info(
      "same needs from both engines (default / generated rules)",
      `${agree.default}/${n} / ${agree.generated}/${n}`,
    ),
    info(
      `triage CLI, marginal (${fmtInt(cli.large)} − ${fmtInt(cli.small)} lines, validate + decide + JSON out)`,
      `${perSecond(cli)}; start-up ${fmt(cli.startCpu)} CPU-s`,
    ),
    {
      metric: "triage CLI marginal / json-rules-engine in-process, default rules",
      measured: times(ratio(cli, rate("jre-default"))),
      target: `>= ${TARGET_CLI_RATIO}x (CPU)`,
      status: verdict(cli.cpu / rate("jre-default").cpu >= TARGET_CLI_RATIO),
    },
    info("note: targets are judged on req/CPU-s, not wall-clock req/s", CPU_TIME_NOTE),
  ];
  return {
    rows,
    notes: [
      `inputs: ${n} requests (tests/fixtures/samples.jsonl + requests-extra.jsonl) classified in turn, in this ` +
        `thread; median of ${rounds} interleaved rounds of >= ${roundMs} ms, after ${warmMs} ms warm-up each`,
      "req/CPU-s: requests per second of CPU time of this process (process.cpuUsage, user + system), the rate " +
        "the targets are judged on; wall: requests per second of wall-clock time (performance.now)",
      "json-rules-engine runs the same rules (same count, weights, all/any/not) on a fact holding each request's " +
        "words and stems, computed once per request; it cannot express negation cues, clauses or word order, so " +
        "it does less per rule than Indgang's engine. The target compares with its fastest translation: one " +
        "custom operator per word list. `hasAny` = one set condition per list; `contains` = one built-in " +
        "condition per word key (json-rules-engine deep-copies every condition into each run's results)",
      `generated set: ${GENERATED_RULES} rules, seed ${GENERATED_SEED}; a third of its phrases from the default ` +
        "vocabulary, the rest made-up words",
      `triage CLI: \`node --import tsx scripts/triage-cli.ts FILE\` on ${cli.small} and ${cli.large} lines (the 94 ` +
        `fixture payloads repeated), median of ${cli.repeats} runs each, CPU of the child by /usr/bin/time ` +
        "(user + system); marginal rate = extra lines / extra CPU time, so start-up (Node, tsx, compiling the " +
        "rules) drops out",
    ],
    data: {
      inputs: n,
      rounds,
      roundMs,
      warmMs,
      rulesDefault: defaultRuleSet().rules.length,
      rulesGenerated: GENERATED_RULES,
      phrases,
      generatedSeed: GENERATED_SEED,
      judgedOn: "requests per CPU-second of this process",
      medianRequestsPerCpuSecond: Object.fromEntries(
        contestants.map((c) => [c.name, Math.round(median(c.cpuRounds))]),
      ),
      medianRequestsPerSecond: Object.fromEntries(
        contestants.map((c) => [c.name, Math.round(median(c.rounds))]),
      ),
      roundsRequestsPerCpuSecond: Object.fromEntries(
        contestants.map((c) => [c.name, c.cpuRounds.map(Math.round)]),
      ),
      roundsRequestsPerSecond: Object.fromEntries(contestants.map((c) => [c.name, c.rounds.map(Math.round)])),
      cli,
      ratioCliCpu: cli.cpu / rate("jre-default").cpu,
      ratioDefaultCpu: defaultRatio.cpu,
      ratioGeneratedCpu: generatedRatio.cpu,
      ratioDefault: defaultRatio.wall,
      ratioGenerated: generatedRatio.wall,
      sameNeeds: agree,
      targets: {
        requestsPerCpuSecondDefault: TARGET_RATE,
        ratioCpu: TARGET_RATIO,
        ratioCliCpu: TARGET_CLI_RATIO,
      },
    },
  };
}
