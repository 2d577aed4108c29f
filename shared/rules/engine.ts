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
  /** Set for a priority rule: its weight only ranks the applied needs (see `primaryNeed`). */
  priority?: true;
  matched: MatchEvidence[];
}

export interface Classification {
  ruleSetVersion: number;
  /** The needs that apply (score >= applyAt), sorted alphabetically. */
  needs: Need[];
  /**
   * The applied need with the unique highest score plus priority (the weights of the priority rules
   * that fired for it); null when none applies or on a tie.
   */
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
/**
 * ...and a (folded) stem at least this long: a short stem is no reliable compound end ("*maler" stems
 * to "mal", which "normale" ends with; "*murere" to "mur", as in "brandmur").
 */
const MIN_COMPOUND_STEM = 4;
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
  /** The one-word phrases of the atoms: they match where the token is. */
  single: readonly CompiledPhrase[];
  /**
   * The longer phrases whose first word is one of the atoms, by the atom of their second word: a
   * match is only tried where a next token has that atom. Undefined when there are none.
   */
  multi: ReadonlyMap<number, readonly CompiledPhrase[]> | undefined;
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
  private readonly groupIds = new Map<string, number>();
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
   * phrases it found by group, so a condition looks only at its own hits (usually none). Conditions
   * with the same phrases (a word list used by several rules) share one group.
   */
  group(texts: readonly string[]): number {
    const unique = [...new Set(texts)];
    const key = [...unique].sort().join("\n");
    const known = this.groupIds.get(key);
    if (known !== undefined) return known;
    const id = this.groupCount++;
    this.groupIds.set(key, id);
    for (const text of unique) this.phrase(text).groups.push(id);
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
    const single: CompiledPhrase[] = [];
    let multi: Map<number, CompiledPhrase[]> | undefined;
    for (const a of atoms)
      for (const phrase of this.phrasesByFirstAtom.get(a) ?? []) {
        const second = phrase.atoms[1];
        if (second === undefined) single.push(phrase);
        else {
          multi ??= new Map();
          const list = multi.get(second);
          if (list) list.push(phrase);
          else multi.set(second, [phrase]);
        }
      }
    return {
      atoms: [...atoms],
      single,
      multi,
      cue: this.cues.has(keys[0] ?? text),
      neutraliser: keys.some((k) => this.neutralisers.has(k)),
    };
  }
}

/**
 * Wildcard matching on folded forms. `*word` also compares stems, so "*kurser" matches
 * "sikkerhedskurserne" (both stem to …kurs), but only with a real compound in front and a stem that
 * is not too short.
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
        atom.keys.some(
          (ak) =>
            ak.length >= MIN_COMPOUND_STEM && tk.length - ak.length >= MIN_COMPOUND_PREFIX && tk.endsWith(ak),
        ),
      );
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Analysis of one request: tokens, their atoms, and where each phrase occurs.

/** One occurrence of a phrase in the text. */
interface Occurrence {
  phrase: CompiledPhrase;
  /** The words that matched, as written (lowercased). */
  words: string;
  /** The negation cue before it, or null when this occurrence is not negated. */
  cue: string | null;
  /** The clause it is in. */
  clause: number;
}

interface Analysis {
  /** Indexed by phrase-group id: the occurrences of the group's phrases, in text order; undefined when none. */
  byGroup: (Occurrence[] | undefined)[];
  /** The clauses with at least one phrase in them, in text order. */
  clausesWithHits: readonly number[];
  /** Whether some clause has no phrase in it. */
  hasEmptyClause: boolean;
}

const NONE: readonly number[] = [];

const NO_HITS: Analysis = { byGroup: [], clausesWithHits: [], hasEmptyClause: false };

function analyse(text: string, lexicon: Lexicon, window: number): Analysis {
  const tokens = tokenise(text);
  const infos: TokenInfo[] = [];
  for (const token of tokens) infos.push(tokenInfo(token, lexicon));
  const byGroup: (Occurrence[] | undefined)[] = new Array(lexicon.groupCount);
  const clausesWithHits: number[] = [];
  for (let start = 0; start < tokens.length; start++) {
    const info = infos[start];
    const token = tokens[start];
    if (!info || !token || (info.single.length === 0 && info.multi === undefined)) continue;
    const clause = token.clause;
    let cue: string | null | undefined; // the same for every phrase starting here: computed on a match
    for (const phrase of info.single) {
      cue ??= negationCue(start, tokens, infos, window);
      addOccurrence(byGroup, { phrase, words: token.text, cue, clause });
    }
    if (info.multi !== undefined) {
      // A longer phrase is tried where its second word first occurs (at most PHRASE_MAX_GAP words on).
      let tried: CompiledPhrase[] | undefined;
      for (let next = start + 1; next <= start + 1 + PHRASE_MAX_GAP && next < tokens.length; next++) {
        const second = tokens[next];
        if (second?.clause !== clause) break;
        for (const atom of infos[next]?.atoms ?? NONE) {
          const phrases = info.multi.get(atom);
          if (phrases === undefined) continue;
          for (const phrase of phrases) {
            if (tried === undefined) tried = [phrase];
            else if (tried.includes(phrase)) continue;
            else tried.push(phrase);
            const words = matchRest(phrase, next, clause, `${token.text} ${second.text}`, tokens, infos);
            if (words === null) continue;
            cue ??= negationCue(start, tokens, infos, window);
            addOccurrence(byGroup, { phrase, words, cue, clause });
          }
        }
      }
    }
    if (cue !== undefined && clausesWithHits[clausesWithHits.length - 1] !== clause)
      clausesWithHits.push(clause);
  }
  const clauseCount = (tokens[tokens.length - 1]?.clause ?? -1) + 1;
  if (clausesWithHits.length === 0) return clauseCount === 0 ? NO_HITS : { ...NO_HITS, hasEmptyClause: true };
  return { byGroup, clausesWithHits, hasEmptyClause: clausesWithHits.length < clauseCount };
}

/** Files an occurrence under each group of its phrase. */
function addOccurrence(byGroup: (Occurrence[] | undefined)[], occurrence: Occurrence): void {
  for (const g of occurrence.phrase.groups) {
    const list = byGroup[g];
    if (list) list.push(occurrence);
    else byGroup[g] = [occurrence];
  }
}

/**
 * A group's phrases as found in the whole text, each once, in order of first occurrence: with the
 * words of its first occurrence that is not negated (cue null), else of its first (negated) one.
 */
function phraseHits(occurrences: readonly Occurrence[]): Occurrence[] {
  const hits: Occurrence[] = [];
  for (const o of occurrences) {
    const i = hits.findIndex((h) => h.phrase === o.phrase);
    if (i < 0) hits.push(o);
    else if (hits[i]?.cue !== null && o.cue === null) hits[i] = o;
  }
  return hits;
}

/** A token's info, merged with its joined hyphen form's ("tig-svejsning" also as "tigsvejsning"). */
function tokenInfo(token: Token, lexicon: Lexicon): TokenInfo {
  const own = lexicon.info(token.text);
  if (token.joined === undefined) return own;
  const joined = lexicon.info(token.joined);
  if (joined.atoms.length === 0) return own;
  let multi = own.multi;
  if (joined.multi !== undefined) {
    const merged = new Map<number, CompiledPhrase[]>();
    for (const m of [own.multi, joined.multi])
      for (const [second, phrases] of m ?? [])
        merged.set(second, [...new Set([...(merged.get(second) ?? []), ...phrases])]);
    multi = merged;
  }
  return {
    ...own,
    atoms: [...new Set([...own.atoms, ...joined.atoms])],
    single: [...new Set([...own.single, ...joined.single])],
    multi,
  };
}

/** The words of a phrase whose first two words matched, the second at `at`; null if the rest does not follow. */
function matchRest(
  phrase: CompiledPhrase,
  at: number,
  clause: number,
  matched: string,
  tokens: readonly Token[],
  infos: readonly TokenInfo[],
): string | null {
  let words = matched;
  for (let k = 2; k < phrase.atoms.length; k++) {
    const next = nextWith(phrase.atoms[k] ?? -1, at, clause, tokens, infos);
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
  /** Set while a `sameClause` condition tries one clause: text conditions look only at it (-1: none). */
  clause: number | undefined;
}

/** Evidence when the condition holds, null when it does not. */
type Evaluator = (ctx: EvalContext) => MatchEvidence[] | null;

/**
 * A compiled condition. `test` tells whether it holds without building evidence (most conditions do
 * not hold, and most of those that do are guards inside `not`); `evaluate` builds the evidence of one
 * that holds. Both report the same negated matches in `ctx.negated`.
 */
interface Compiled {
  evaluate: Evaluator;
  test: (ctx: EvalContext) => boolean;
  /**
   * Phrase groups of which one must occur in the text for the condition to hold, and whose absence
   * makes it fail before it looks at anything else (so without reporting negated matches); undefined
   * when there are none. A quick filter: most rules have nothing to look at in a request.
   */
  triggers: readonly number[] | undefined;
}

function compileCondition(condition: Condition, lexicon: Lexicon): Compiled {
  switch (condition.type) {
    case "text":
      return textCondition(condition.anyOf, condition.negatable ?? true, lexicon);
    case "field":
      return fromEvaluator(fieldEvaluator(condition, lexicon));
    case "needHint": {
      const need = condition.need;
      const detail = `needHint '${need}' ticked`;
      return {
        evaluate: (ctx) => (ctx.input.needHints.includes(need) ? [{ kind: "needHint", detail }] : null),
        test: (ctx) => ctx.input.needHints.includes(need),
        triggers: undefined,
      };
    }
    case "all": {
      const children = condition.of.map((c) => compileCondition(c, lexicon));
      if (!condition.sameClause) return allCondition(children);
      const positive = children.filter((_, i) => isMonotone(condition.of[i] as Condition));
      return sameClauseCondition(allCondition(children), allCondition(positive));
    }
    case "any":
      return anyCondition(condition.of.map((c) => compileCondition(c, lexicon)));
    case "not": {
      const inner = compileCondition(condition.condition, lexicon);
      return {
        evaluate: (ctx) => (inner.test(ctx) ? null : []),
        test: (ctx) => !inner.test(ctx),
        triggers: undefined,
      };
    }
  }
}

function fromEvaluator(evaluate: Evaluator): Compiled {
  return { evaluate, test: (ctx) => evaluate(ctx) !== null, triggers: undefined };
}

function textCondition(anyOf: readonly string[], negatable: boolean, lexicon: Lexicon): Compiled {
  const group = lexicon.group(anyOf);
  return {
    evaluate: (ctx) => {
      const occurrences = ctx.analysis.byGroup[group];
      if (occurrences === undefined) return null;
      if (ctx.clause !== undefined) return inClause(occurrences, ctx.clause, negatable);
      const evidence: MatchEvidence[] = [];
      const seen: string[] = []; // words already explained: "ansætte" and "ansættelse" both match "ansætter"
      for (const { phrase, words, cue } of phraseHits(occurrences)) {
        if (seen.includes(words)) continue;
        seen.push(words);
        if (cue !== null && negatable) ctx.negated.push({ phrase: phrase.text, cue });
        else evidence.push({ kind: "text", detail: `'${phrase.text}' ← "${words}"` });
      }
      return evidence.length > 0 ? evidence : null;
    },
    test: (ctx) => {
      const occurrences = ctx.analysis.byGroup[group];
      if (occurrences === undefined) return false;
      if (!negatable) return ctx.clause === undefined || occurrences.some((o) => o.clause === ctx.clause);
      if (ctx.clause !== undefined) {
        for (const { cue, clause } of occurrences) if (clause === ctx.clause && cue === null) return true;
        return false;
      }
      let negated = false;
      for (const o of occurrences) if (o.cue !== null) negated = true;
      if (!negated) return true;
      let holds = false;
      const seen: string[] = []; // as in evaluate, which reports the same negated matches
      for (const { phrase, words, cue } of phraseHits(occurrences)) {
        if (seen.includes(words)) continue;
        seen.push(words);
        if (cue === null) holds = true;
        else ctx.negated.push({ phrase: phrase.text, cue });
      }
      return holds;
    },
    triggers: [group],
  };
}

/** A text condition within one clause: its un-negated occurrences there (negated ones are reported globally). */
function inClause(
  occurrences: readonly Occurrence[] | undefined,
  clause: number,
  negatable: boolean,
): MatchEvidence[] | null {
  if (occurrences === undefined) return null;
  let evidence: MatchEvidence[] | null = null;
  for (const { phrase, words, cue, clause: c } of occurrences) {
    if (c !== clause || (cue !== null && negatable)) continue;
    const detail = `'${phrase.text}' ← "${words}"`;
    if (evidence === null) evidence = [{ kind: "text", detail }];
    else if (!evidence.some((e) => e.detail === detail)) evidence.push({ kind: "text", detail });
  }
  return evidence;
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
        const occurrences = ctx.industry.byGroup[group];
        if (occurrences === undefined) return null;
        return phraseHits(occurrences).map((h) => ({
          kind: "field",
          detail: `industry '${h.phrase.text}' ← "${h.words}"`,
        }));
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

function allCondition(children: readonly Compiled[]): Compiled {
  return {
    evaluate: (ctx) => {
      const evidence: MatchEvidence[] = [];
      for (const child of children) {
        const e = child.evaluate(ctx);
        if (e === null) return null;
        evidence.push(...e);
      }
      return evidence;
    },
    test: (ctx) => {
      for (const child of children) if (!child.test(ctx)) return false;
      return true;
    },
    triggers: children[0]?.triggers, // the first child is looked at first
  };
}

/**
 * `all` with `sameClause`: the conditions must hold together in one clause of the description
 * ("mangler" and "tømrere" in one sentence, not anywhere in the request). `positive` (the conditions
 * without a `not`, which can only hold in a clause if they hold in the whole text) is a quick test
 * first; then each clause with a phrase in it is tried, and one clause with none (all such are alike).
 */
function sameClauseCondition(all: Compiled, positive: Compiled): Compiled {
  /** The clause in which `all` holds, or undefined; leaves ctx.clause unset. */
  const clauseWhere = (ctx: EvalContext): number | undefined => {
    if (!positive.test(ctx)) return undefined;
    const { clausesWithHits, hasEmptyClause } = ctx.analysis;
    // Within a clause no condition reports negated matches: the whole-text test has reported them.
    try {
      for (const clause of clausesWithHits) {
        ctx.clause = clause;
        if (all.test(ctx)) return clause;
      }
      ctx.clause = -1;
      return hasEmptyClause && all.test(ctx) ? -1 : undefined;
    } finally {
      ctx.clause = undefined;
    }
  };
  return {
    evaluate: (ctx) => {
      if (ctx.clause !== undefined) return all.evaluate(ctx); // nested: already within one clause
      const clause = clauseWhere(ctx);
      if (clause === undefined) return null;
      ctx.clause = clause;
      try {
        return all.evaluate(ctx);
      } finally {
        ctx.clause = undefined;
      }
    },
    test: (ctx) => (ctx.clause !== undefined ? all.test(ctx) : clauseWhere(ctx) !== undefined),
    triggers: positive.triggers,
  };
}

/** Whether a condition has no `not` in it: then it holds in a clause only if it holds in the text. */
function isMonotone(condition: Condition): boolean {
  if (condition.type === "not") return false;
  if (condition.type === "all" || condition.type === "any") return condition.of.every(isMonotone);
  return true;
}

/** Evaluates (and tests) every branch, without short-circuit: the explanation lists all that matched. */
function anyCondition(children: readonly Compiled[]): Compiled {
  return {
    evaluate: (ctx) => {
      let evidence: MatchEvidence[] | null = null;
      for (const child of children) {
        const e = child.evaluate(ctx);
        if (e !== null) evidence = [...(evidence ?? []), ...e];
      }
      return evidence;
    },
    test: (ctx) => {
      let holds = false;
      for (const child of children) if (child.test(ctx)) holds = true;
      return holds;
    },
    triggers: children.every((c) => c.triggers !== undefined)
      ? [...new Set(children.flatMap((c) => c.triggers ?? []))]
      : undefined,
  };
}

// ---------------------------------------------------------------------------------------------
// Compile and classify.

interface CompiledRule {
  id: string;
  need: Need;
  weight: number;
  priority: boolean;
  when: Compiled;
}

export function compile(ruleSet: RuleSet, version: number): CompiledRuleSet {
  const { negation } = ruleSet.language;
  const lexicon = new Lexicon(negation.cues, negation.neutralisers);
  const rules: CompiledRule[] = ruleSet.rules.map((r) => ({
    id: r.id,
    need: r.need,
    weight: r.weight,
    priority: r.priority ?? false,
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
        ctx.negated = [];
        if (!when.test(ctx)) continue;
        const matched = when.evaluate(ctx);
        if (matched !== null) return { override, matched };
      }
      return null;
    },
  };
}

function evalContext(input: ClassificationInput, lexicon: Lexicon, window: number): EvalContext {
  return {
    input,
    analysis: analyse(input.description, lexicon, window),
    industry: undefined,
    negated: [],
    clause: undefined,
  };
}

function classifyWith(
  ruleSet: RuleSet,
  version: number,
  rules: readonly CompiledRule[],
  ctx: EvalContext,
): Classification {
  const raw: Record<Need, number> = { growth: 0, recruitment: 0, upskilling: 0 };
  const priority: Record<Need, number> = { growth: 0, recruitment: 0, upskilling: 0 };
  const firedRules: FiredRule[] = [];
  const negated: Classification["negated"] = [];
  ctx.negated = []; // scratch: may hold entries from a routing-override check on the same input
  const { byGroup } = ctx.analysis;
  for (const rule of rules) {
    if (!triggered(rule.when.triggers, byGroup)) continue;
    let matched: MatchEvidence[] | null = null;
    if (rule.when.test(ctx)) {
      ctx.negated = []; // evaluate reports the same negated matches again
      matched = rule.when.evaluate(ctx);
    }
    if (ctx.negated.length > 0) {
      for (const n of ctx.negated) negated.push({ ruleId: rule.id, phrase: n.phrase, cue: n.cue });
      ctx.negated = [];
    }
    if (matched === null) continue;
    if (rule.priority) {
      priority[rule.need] += rule.weight;
      firedRules.push({ ruleId: rule.id, need: rule.need, weight: rule.weight, priority: true, matched });
    } else {
      raw[rule.need] += rule.weight;
      firedRules.push({ ruleId: rule.id, need: rule.need, weight: rule.weight, matched });
    }
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
    primaryNeed: primaryOf(needs, (need) => scores[need].score + priority[need]),
    scores,
    firedRules,
    negated,
    followUps,
  };
}

/** Whether one of a condition's trigger groups occurs in the text (true when it has none). */
function triggered(triggers: readonly number[] | undefined, byGroup: Analysis["byGroup"]): boolean {
  if (triggers === undefined) return true;
  for (const g of triggers) if (byGroup[g] !== undefined) return true;
  return false;
}

/** The applied need with the unique highest rank, or null when none applies or the top is shared. */
function primaryOf(needs: readonly Need[], rank: (need: Need) => number): Need | null {
  let best: Need | null = null;
  let bestRank = 0;
  let tie = false;
  for (const need of needs) {
    const r = rank(need);
    if (best === null || r > bestRank) {
      best = need;
      bestRank = r;
      tie = false;
    } else if (r === bestRank) tie = true;
  }
  return tie ? null : best;
}
