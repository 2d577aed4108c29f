/**
 * The rules engine. `compile` turns a rule-set document into a classifier once per version: every
 * phrase word becomes an atom, atoms are indexed by their matching keys, and conditions become
 * closures. Classifying a request is then: tokenise once, look each token up (cached), find the
 * phrases in the token stream, and evaluate the closures. No regex is built and no stemming is
 * repeated for a token seen before.
 */
import { NEEDS, type Need } from "../reference/consortia.ts";
import type { Condition, RoutingOverride, RuleSet } from "./schema.ts";
import { type PhraseWord, parsePhrase, type Token, tokenise, type WordMatch, wordKeys } from "./text.ts";

/** The fields of a request that rules may look at. */
export interface ClassificationInput {
  description: string;
  needHints: readonly Need[];
  employees?: number;
  industry?: string;
  municipalityCode: string;
}

/** One piece of evidence: what matched and on what. */
export interface MatchEvidence {
  kind: "text" | "field" | "needHint";
  /** e.g. `'ansætte' ← "ansættelse"` or `employees >= 50 ← 120`. */
  detail: string;
}

export interface FiredRule {
  ruleId: string;
  need: Need;
  weight: number;
  matched: MatchEvidence[];
}

export interface Classification {
  ruleSetVersion: number;
  /** The needs that apply (score >= applyAt), sorted alphabetically. */
  needs: Need[];
  /** The unique highest-scoring applied need; null when none applies or on a tie. */
  primaryNeed: Need | null;
  scores: Record<Need, { raw: number; score: number }>;
  firedRules: FiredRule[];
  /** Text matches that were ignored because a negation cue stood before them. */
  negated: { ruleId: string; phrase: string; cue: string }[];
  /** Needs added by policy couplings; they are offered, not classified, so they are not in `needs`. */
  followUps: { couplingId: string; need: Need; reason: string }[];
}

export interface OverrideMatch {
  override: RoutingOverride;
  matched: MatchEvidence[];
}

export interface CompiledRuleSet {
  readonly version: number;
  readonly ruleSet: RuleSet;
  classify(input: ClassificationInput): Classification;
  /** The first routing override whose condition holds for the input, or null. */
  matchOverride(input: ClassificationInput): OverrideMatch | null;
}

/**
 * Consecutive words of a phrase may have at most this many other words between them: "flere
 * medarbejdere" matches "flere dygtige medarbejdere" but not "flere af vores medarbejdere".
 */
const PHRASE_MAX_GAP = 1;
/** A stem-based `*word` match needs this much compound in front ("sikkerhedskurs" yes, "konkurs" no). */
const MIN_COMPOUND_PREFIX = 4;
/** The per-compiled-set token cache is cleared when it reaches this size (bounds memory). */
const TOKEN_CACHE_LIMIT = 50_000;

// ---------------------------------------------------------------------------------------------
// Lexicon: phrase words (atoms) and how a token finds the atoms it matches.

interface Atom {
  id: number;
  match: WordMatch;
  /** The folded surface form, for wildcard matching. */
  surface: string;
  /** Folded surface and stems, for exact and `*word` matching. */
  keys: string[];
}

interface TokenInfo {
  atoms: readonly number[];
  /** The phrases whose first word is one of the atoms: where a phrase match can start. */
  starts: readonly CompiledPhrase[];
  cue: boolean;
  neutraliser: boolean;
}

interface CompiledPhrase {
  id: number;
  text: string;
  atoms: number[];
  /** The phrase groups (text conditions, industry lists) the phrase belongs to. */
  groups: number[];
}

class Lexicon {
  private readonly atomsByKey = new Map<string, number[]>();
  private readonly wildcards: Atom[] = [];
  private readonly atomIds = new Map<string, number>();
  private readonly phraseIds = new Map<string, CompiledPhrase>();
  private readonly cache = new Map<string, TokenInfo>();
  private readonly phrases: CompiledPhrase[] = [];
  /** How many phrase groups exist: a text condition's or an industry condition's list is one group. */
  groupCount = 0;
  /** Phrases indexed by the atom of their first word: where a phrase match can start. */
  private readonly phrasesByFirstAtom = new Map<number, CompiledPhrase[]>();
  private readonly cues: Set<string>;
  private readonly neutralisers: Set<string>;

  constructor(cues: readonly string[], neutralisers: readonly string[]) {
    // Cues match on the surface form only ("no" must not match "nos"); neutralisers also on stems.
    this.cues = new Set(cues.map((c) => wordKeys(c)[0] ?? c));
    this.neutralisers = new Set(neutralisers.flatMap(wordKeys));
  }

  /**
   * Registers a list of phrases as a group and returns its id. A request's analysis sorts the
   * phrases it found by group, so a condition looks only at its own hits (usually none).
   */
  group(texts: readonly string[]): number {
    const id = this.groupCount++;
    for (const text of new Set(texts)) this.phrase(text).groups.push(id);
    return id;
  }

  /** Registers a phrase (once per distinct text) and returns it. */
  private phrase(text: string): CompiledPhrase {
    const known = this.phraseIds.get(text);
    if (known) return known;
    const words = parsePhrase(text);
    if (typeof words === "string") throw new Error(`invalid phrase "${text}": ${words}`);
    const atoms = words.map((w) => this.atom(w));
    const phrase: CompiledPhrase = { id: this.phrases.length, text, atoms, groups: [] };
    this.phrases.push(phrase);
    this.phraseIds.set(text, phrase);
    const first = phrase.atoms[0] ?? 0;
    const starting = this.phrasesByFirstAtom.get(first);
    if (starting) starting.push(phrase);
    else this.phrasesByFirstAtom.set(first, [phrase]);
    return phrase;
  }

  private atom(word: PhraseWord): number {
    const name = `${word.match}:${word.word}`;
    const known = this.atomIds.get(name);
    if (known !== undefined) return known;
    const keys = wordKeys(word.word);
    const atom: Atom = { id: this.atomIds.size, match: word.match, surface: keys[0] ?? word.word, keys };
    this.atomIds.set(name, atom.id);
    if (word.match === "exact") for (const key of keys) this.index(key, atom.id);
    else this.wildcards.push(atom);
    return atom.id;
  }

  private index(key: string, atomId: number): void {
    const list = this.atomsByKey.get(key);
    if (list) list.push(atomId);
    else this.atomsByKey.set(key, [atomId]);
  }

  /** What a token matches; computed once per distinct token text (the cache is bounded). */
  info(text: string): TokenInfo {
    const cached = this.cache.get(text);
    if (cached) return cached;
    if (this.cache.size >= TOKEN_CACHE_LIMIT) this.cache.clear();
    const info = this.compute(text);
    this.cache.set(text, info);
    return info;
  }

  private compute(text: string): TokenInfo {
    const keys = wordKeys(text);
    const atoms = new Set<number>();
    for (const key of keys) for (const id of this.atomsByKey.get(key) ?? []) atoms.add(id);
    for (const atom of this.wildcards) if (wildcardMatches(atom, keys)) atoms.add(atom.id);
    return {
      atoms: [...atoms],
      starts: [...atoms].flatMap((a) => this.phrasesByFirstAtom.get(a) ?? []),
      cue: this.cues.has(keys[0] ?? text),
      neutraliser: keys.some((k) => this.neutralisers.has(k)),
    };
  }
}

/**
 * Wildcard matching on folded forms. `*word` also compares stems, so "*kurser" matches
 * "sikkerhedskurserne" (both stem to …kurs), but only with a real compound in front.
 */
function wildcardMatches(atom: Atom, tokenKeys: readonly string[]): boolean {
  const surface = tokenKeys[0] ?? "";
  switch (atom.match) {
    case "startsWith":
      return surface.startsWith(atom.surface);
    case "contains":
      return surface.includes(atom.surface);
    case "endsWith":
      if (surface.endsWith(atom.surface)) return true;
      return tokenKeys.some((tk) =>
        atom.keys.some((ak) => tk.length - ak.length >= MIN_COMPOUND_PREFIX && tk.endsWith(ak)),
      );
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Analysis of one request: tokens, their atoms, and where each phrase occurs.

/** A phrase found in the text: its first occurrence that is not negated, else its first negated one. */
interface PhraseHit {
  phrase: CompiledPhrase;
  /** The words that matched, as written (lowercased). */
  words: string;
  /** The negation cue before it, or null when the phrase occurs un-negated. */
  cue: string | null;
}

interface Analysis {
  /** Indexed by phrase-group id: the group's phrases found, in text order; undefined when none. */
  byGroup: (PhraseHit[] | undefined)[];
}

const NO_HITS: Analysis = { byGroup: [] };

function analyse(text: string, lexicon: Lexicon, window: number): Analysis {
  const tokens = tokenise(text);
  const infos: TokenInfo[] = [];
  for (const token of tokens) infos.push(tokenInfo(token, lexicon));
  const hits: PhraseHit[] = [];
  for (let start = 0; start < tokens.length; start++) {
    for (const phrase of infos[start]?.starts ?? []) {
      const known = hitOf(hits, phrase);
      if (known?.cue === null) continue; // already found un-negated
      const words = matchPhraseAt(phrase, start, tokens, infos);
      if (words === null) continue;
      const cue = negationCue(start, tokens, infos, window);
      if (!known) hits.push({ phrase, words, cue });
      else if (cue === null) {
        known.words = words;
        known.cue = null;
      }
    }
  }
  return hits.length > 0 ? { byGroup: groupHits(hits, lexicon.groupCount) } : NO_HITS;
}

function hitOf(hits: readonly PhraseHit[], phrase: CompiledPhrase): PhraseHit | undefined {
  for (const hit of hits) if (hit.phrase === phrase) return hit;
  return undefined;
}

function groupHits(hits: readonly PhraseHit[], groupCount: number): (PhraseHit[] | undefined)[] {
  const byGroup = new Array<PhraseHit[] | undefined>(groupCount).fill(undefined);
  for (const hit of hits) {
    for (const g of hit.phrase.groups) {
      const list = byGroup[g];
      if (list) list.push(hit);
      else byGroup[g] = [hit];
    }
  }
  return byGroup;
}

/** A token's info, merged with its joined hyphen form's ("tig-svejsning" also as "tigsvejsning"). */
function tokenInfo(token: Token, lexicon: Lexicon): TokenInfo {
  const own = lexicon.info(token.text);
  if (token.joined === undefined) return own;
  const joined = lexicon.info(token.joined);
  if (joined.atoms.length === 0) return own;
  return {
    ...own,
    atoms: [...new Set([...own.atoms, ...joined.atoms])],
    starts: [...new Set([...own.starts, ...joined.starts])],
  };
}

/** The phrase's words in order from `start`, in one clause, with small gaps; or null. */
function matchPhraseAt(
  phrase: CompiledPhrase,
  start: number,
  tokens: readonly Token[],
  infos: readonly TokenInfo[],
): string | null {
  const first = tokens[start];
  if (!first) return null;
  if (phrase.atoms.length === 1) return first.text; // most phrases are one word
  let words = first.text;
  let at = start;
  for (let k = 1; k < phrase.atoms.length; k++) {
    const next = nextWith(phrase.atoms[k] ?? -1, at, first.clause, tokens, infos);
    if (next < 0) return null;
    words += ` ${tokens[next]?.text ?? ""}`;
    at = next;
  }
  return words;
}

/** The position after `at` (at most PHRASE_MAX_GAP words on, same clause) whose token matches `atom`, or -1. */
function nextWith(
  atom: number,
  at: number,
  clause: number,
  tokens: readonly Token[],
  infos: readonly TokenInfo[],
): number {
  for (let i = at + 1; i <= at + 1 + PHRASE_MAX_GAP && i < tokens.length; i++) {
    if (tokens[i]?.clause !== clause) return -1;
    if (infos[i]?.atoms.includes(atom)) return i;
  }
  return -1;
}

/**
 * The negation cue that cancels a match at `start`: a cue within `window` words before it in the
 * same clause, unless the cue is directly followed by a neutraliser ("kan ikke finde", "not enough").
 */
function negationCue(
  start: number,
  tokens: readonly Token[],
  infos: readonly TokenInfo[],
  window: number,
): string | null {
  const clause = tokens[start]?.clause;
  for (let i = start - 1; i >= 0 && i >= start - window; i--) {
    if (tokens[i]?.clause !== clause) break;
    if (infos[i]?.cue && !infos[i + 1]?.neutraliser) return tokens[i]?.text ?? null;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Conditions compiled to closures.

interface EvalContext {
  input: ClassificationInput;
  analysis: Analysis;
  /** The industry field's analysis, computed on first use by an industry condition. */
  industry: Analysis | undefined;
  /** Scratch list of matches ignored because negated; the caller attributes them to its rule. */
  negated: { phrase: string; cue: string }[];
}

/** Evidence when the condition holds, null when it does not. */
type Evaluator = (ctx: EvalContext) => MatchEvidence[] | null;

function compileCondition(condition: Condition, lexicon: Lexicon): Evaluator {
  switch (condition.type) {
    case "text":
      return textEvaluator(condition.anyOf, condition.negatable ?? true, lexicon);
    case "field":
      return fieldEvaluator(condition, lexicon);
    case "needHint": {
      const need = condition.need;
      const detail = `needHint '${need}' ticked`;
      return (ctx) => (ctx.input.needHints.includes(need) ? [{ kind: "needHint", detail }] : null);
    }
    case "all":
      return allEvaluator(condition.of.map((c) => compileCondition(c, lexicon)));
    case "any":
      return anyEvaluator(condition.of.map((c) => compileCondition(c, lexicon)));
    case "not": {
      const inner = compileCondition(condition.condition, lexicon);
      return (ctx) => (inner(ctx) === null ? [] : null);
    }
  }
}

function textEvaluator(anyOf: readonly string[], negatable: boolean, lexicon: Lexicon): Evaluator {
  const group = lexicon.group(anyOf);
  return (ctx) => {
    const hits = ctx.analysis.byGroup[group];
    if (hits === undefined) return null;
    const evidence: MatchEvidence[] = [];
    const seen: string[] = []; // words already explained: "ansætte" and "ansættelse" both match "ansætter"
    for (const { phrase, words, cue } of hits) {
      if (seen.includes(words)) continue;
      seen.push(words);
      if (cue !== null && negatable) ctx.negated.push({ phrase: phrase.text, cue });
      else evidence.push({ kind: "text", detail: `'${phrase.text}' ← "${words}"` });
    }
    return evidence.length > 0 ? evidence : null;
  };
}

type FieldCondition = Extract<Condition, { type: "field" }>;

function fieldEvaluator(condition: FieldCondition, lexicon: Lexicon): Evaluator {
  switch (condition.op) {
    case "in": {
      const codes = new Set(condition.value);
      const label = `municipalityCode in [${condition.value.join(", ")}]`;
      return ({ input }) =>
        codes.has(input.municipalityCode)
          ? [{ kind: "field", detail: `${label} ← ${input.municipalityCode}` }]
          : null;
    }
    case "containsAny": {
      const group = lexicon.group(condition.value);
      return (ctx) => {
        ctx.industry ??= ctx.input.industry ? analyse(ctx.input.industry, lexicon, 0) : NO_HITS;
        const hits = ctx.industry.byGroup[group];
        if (hits === undefined) return null;
        return hits.map((h) => ({ kind: "field", detail: `industry '${h.phrase.text}' ← "${h.words}"` }));
      };
    }
    default:
      return employeesEvaluator(condition);
  }
}

function employeesEvaluator(condition: Extract<FieldCondition, { field: "employees" }>): Evaluator {
  const [test, label] = employeesTest(condition);
  return ({ input }) =>
    input.employees !== undefined && test(input.employees)
      ? [{ kind: "field", detail: `${label} ← ${input.employees}` }]
      : null;
}

function employeesTest(
  condition: Extract<FieldCondition, { field: "employees" }>,
): [(n: number) => boolean, string] {
  if (condition.op === "between") {
    const [min, max] = condition.value;
    return [(n) => n >= min && n <= max, `employees between ${min} and ${max}`];
  }
  const value = condition.value;
  if (condition.op === "gte") return [(n) => n >= value, `employees >= ${value}`];
  if (condition.op === "lte") return [(n) => n <= value, `employees <= ${value}`];
  return [(n) => n === value, `employees = ${value}`];
}

function allEvaluator(children: readonly Evaluator[]): Evaluator {
  return (ctx) => {
    const evidence: MatchEvidence[] = [];
    for (const child of children) {
      const e = child(ctx);
      if (e === null) return null;
      evidence.push(...e);
    }
    return evidence;
  };
}

/** Evaluates every branch (no short-circuit) so the explanation lists all that matched. */
function anyEvaluator(children: readonly Evaluator[]): Evaluator {
  return (ctx) => {
    let evidence: MatchEvidence[] | null = null;
    for (const child of children) {
      const e = child(ctx);
      if (e !== null) evidence = [...(evidence ?? []), ...e];
    }
    return evidence;
  };
}

// ---------------------------------------------------------------------------------------------
// Compile and classify.

interface CompiledRule {
  id: string;
  need: Need;
  weight: number;
  when: Evaluator;
}

export function compile(ruleSet: RuleSet, version: number): CompiledRuleSet {
  const { negation } = ruleSet.language;
  const lexicon = new Lexicon(negation.cues, negation.neutralisers);
  const rules: CompiledRule[] = ruleSet.rules.map((r) => ({
    id: r.id,
    need: r.need,
    weight: r.weight,
    when: compileCondition(r.when, lexicon),
  }));
  const overrides = ruleSet.routing.overrides.map((o) => ({
    override: o,
    when: compileCondition(o.when, lexicon),
  }));

  // decideRoute usually follows classify on the same input: remember its analysis (one slot).
  let last: { input: ClassificationInput; ctx: EvalContext } | null = null;
  const contextFor = (input: ClassificationInput): EvalContext => {
    if (last?.input === input && last.ctx.input.description === input.description) return last.ctx;
    const ctx = evalContext(input, lexicon, negation.window);
    last = { input, ctx };
    return ctx;
  };

  return {
    version,
    ruleSet,
    classify: (input) => classifyWith(ruleSet, version, rules, contextFor(input)),
    matchOverride: (input) => {
      const ctx = contextFor(input);
      for (const { override, when } of overrides) {
        const matched = when(ctx);
        if (matched !== null) return { override, matched };
      }
      return null;
    },
  };
}

function evalContext(input: ClassificationInput, lexicon: Lexicon, window: number): EvalContext {
  return { input, analysis: analyse(input.description, lexicon, window), industry: undefined, negated: [] };
}

function classifyWith(
  ruleSet: RuleSet,
  version: number,
  rules: readonly CompiledRule[],
  ctx: EvalContext,
): Classification {
  const raw: Record<Need, number> = { growth: 0, recruitment: 0, upskilling: 0 };
  const firedRules: FiredRule[] = [];
  const negated: Classification["negated"] = [];
  ctx.negated = []; // scratch: may hold entries from a routing-override check on the same input
  for (const rule of rules) {
    const matched = rule.when(ctx);
    if (ctx.negated.length > 0) {
      for (const n of ctx.negated) negated.push({ ruleId: rule.id, phrase: n.phrase, cue: n.cue });
      ctx.negated = [];
    }
    if (matched === null) continue;
    raw[rule.need] += rule.weight;
    firedRules.push({ ruleId: rule.id, need: rule.need, weight: rule.weight, matched });
  }
  const { applyAt, saturateAt } = ruleSet.scoring;
  const scores = {
    growth: { raw: raw.growth, score: Math.min(raw.growth, saturateAt) },
    recruitment: { raw: raw.recruitment, score: Math.min(raw.recruitment, saturateAt) },
    upskilling: { raw: raw.upskilling, score: Math.min(raw.upskilling, saturateAt) },
  };
  const needs: Need[] = [];
  for (const need of NEEDS) if (scores[need].score >= applyAt) needs.push(need); // NEEDS is alphabetical
  const followUps: Classification["followUps"] = [];
  for (const c of ruleSet.couplings)
    if (needs.includes(c.ifNeed)) followUps.push({ couplingId: c.id, need: c.addFollowUp, reason: c.reason });
  return {
    ruleSetVersion: version,
    needs,
    primaryNeed: primaryOf(needs, scores),
    scores,
    firedRules,
    negated,
    followUps,
  };
}

/** The unique highest-scoring applied need, or null when none applies or the top is shared. */
function primaryOf(needs: readonly Need[], scores: Record<Need, { score: number }>): Need | null {
  let best: Need | null = null;
  let tie = false;
  for (const need of needs) {
    const score = scores[need].score;
    if (best === null || score > scores[best].score) {
      best = need;
      tie = false;
    } else if (score === scores[best].score) tie = true;
  }
  return tie ? null : best;
}
