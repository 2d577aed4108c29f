/**
 * The rules engine. `compile` turns a rule-set document into a classifier once per version: every
 * phrase word becomes an atom, atoms are indexed by their matching keys, and conditions become a
 * tree of nodes. Classifying a request is then: tokenise once, look each token up (cached), find the
 * phrases in the token stream, and evaluate the conditions of the rules whose phrases (or need hints)
 * the request has. No regex is built and no stemming is repeated for a token seen before.
 */

import { NEEDS, type Need } from "#shared/needs.ts";
import type { Condition, RoutingOverride, RuleSet } from "./ruleset-schema.ts";
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
/**
 * The per-compiled-set token cache (see `TokenCache`) holds at most this many words seen more than
 * once, and this many seen once; each part is cleared when full (bounds memory).
 */
const TOKEN_CACHE_LIMIT = { frequent: 40_000, recent: 10_000 };

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
  /** The atoms the token matches: exact ones first, then wildcard ones by id. */
  atoms: readonly number[];
  /** The one-word phrases of the atoms: they match where the token is. */
  single: readonly CompiledPhrase[];
  /**
   * The longer phrases whose first word is one of the atoms, by the atom of their second word: a
   * match is only tried where a next token has that atom. Undefined when there are none.
   */
  multi: ReadonlyMap<number, readonly CompiledPhrase[]> | undefined;
  /**
   * One bit per atom of `atoms` and per key of `multi` (bit id % 32; see `atomBits`): where
   * `multiBits & next.atomBits` is 0, no longer phrase can go on at the next token, without looking
   * up each of its atoms in `multi` (most pairs of words have nothing to look up).
   */
  atomBits: number;
  multiBits: number;
  /** Whether a phrase starts at the token (`single` or `multi` is not empty): read without loading them. */
  starts: boolean;
  cue: boolean;
  neutraliser: boolean;
}

interface CompiledPhrase {
  id: number;
  text: string;
  /** `'text' ← "`, how the evidence of a match starts: see `textDetail`. */
  detailStart: string;
  atoms: number[];
  /** The phrase groups (text conditions, industry lists) the phrase belongs to. */
  groups: number[];
}

class Lexicon {
  private readonly atomsByKey = new Map<string, number[]>();
  private readonly wildcards = new WildcardIndex();
  private readonly atomIds = new Map<string, number>();
  private readonly phraseIds = new Map<string, CompiledPhrase>();
  private readonly cache = new TokenCache<TokenInfo>();
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
    const phrase: CompiledPhrase = {
      id: this.phrases.length,
      text,
      detailStart: `'${text}' ← "`,
      atoms,
      groups: [],
    };
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
    if (word.match === "exact") for (const key of keys) pushTo(this.atomsByKey, key, atom.id);
    else this.wildcards.add(atom);
    return atom.id;
  }

  /** What a token matches; computed once per distinct token text (the cache is bounded). */
  info(text: string): TokenInfo {
    const cached = this.cache.get(text);
    if (cached) return cached;
    const info = this.compute(text);
    this.cache.set(text, info);
    return info;
  }

  private compute(text: string): TokenInfo {
    const keys = wordKeys(text);
    const atoms = new Set<number>();
    for (const key of keys) for (const id of this.atomsByKey.get(key) ?? []) atoms.add(id);
    for (const id of this.wildcards.matches(keys)) atoms.add(id);
    const cue = this.cues.has(keys[0] ?? text);
    const neutraliser = keys.some((k) => this.neutralisers.has(k));
    if (atoms.size === 0 && !cue && !neutraliser) return NO_MATCH; // most words: one shared object
    const single: CompiledPhrase[] = [];
    let multi: Map<number, CompiledPhrase[]> | undefined;
    for (const a of atoms)
      for (const phrase of this.phrasesByFirstAtom.get(a) ?? []) {
        const second = phrase.atoms[1];
        if (second === undefined) single.push(phrase);
        else {
          multi ??= new Map();
          pushTo(multi, second, phrase);
        }
      }
    return {
      atoms: [...atoms],
      single,
      multi,
      atomBits: atomBits(atoms),
      multiBits: atomBits(multi?.keys() ?? []),
      starts: single.length > 0 || multi !== undefined,
      cue,
      neutraliser,
    };
  }
}

/** The info of a token that matches nothing. */
const NO_MATCH: TokenInfo = {
  atoms: [],
  single: [],
  multi: undefined,
  atomBits: 0,
  multiBits: 0,
  starts: false,
  cue: false,
  neutraliser: false,
};

/** A 32-bit filter of a set of atoms: bit id % 32 for each (see `TokenInfo.atomBits`). */
function atomBits(atoms: Iterable<number>): number {
  let bits = 0;
  for (const id of atoms) bits |= 1 << (id & 31);
  return bits;
}

/**
 * A bounded cache by word, in two parts: a word is first stored in `recent`, and moves to
 * `frequent` when it is looked up again. Requests carry many one-off words (names, numbers,
 * typos): they stay in `recent`, which is cleared when full, and do not crowd out the common words
 * or make the map they are looked up in large (a large map is slower: more cache misses).
 */
class TokenCache<V> {
  private frequent = new Map<string, V>();
  private recent = new Map<string, V>();

  get(word: string): V | undefined {
    return this.frequent.get(word) ?? this.promote(word);
  }

  /** A word from `recent`, moved to `frequent`; undefined when not cached. */
  private promote(word: string): V | undefined {
    const once = this.recent.get(word);
    if (once === undefined) return undefined;
    this.recent.delete(word);
    if (this.frequent.size >= TOKEN_CACHE_LIMIT.frequent) this.frequent.clear();
    this.frequent.set(word, once);
    return once;
  }

  /** Stores a word not in the cache (after `get` returned undefined). */
  set(word: string, value: V): void {
    if (this.recent.size >= TOKEN_CACHE_LIMIT.recent) this.recent.clear();
    this.recent.set(word, value);
  }
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The wildcard atoms, indexed by the string a token must start or end with, so that a new token
 * looks up its own prefixes and suffixes instead of being tried against every wildcard (there are
 * hundreds). Wildcard matching is on folded forms; `*word` also compares stems, so "*kurser"
 * matches "sikkerhedskurserne" (both stem to …kurs), but only with a real compound in front and a
 * stem that is not too short.
 */
class WildcardIndex {
  /** `word*` atoms by folded surface. */
  private readonly startsWith = new Map<string, number[]>();
  /** `*word` atoms by folded surface: the token's surface ends with it. */
  private readonly endsWith = new Map<string, number[]>();
  /** `*word` atoms by each key of at least MIN_COMPOUND_STEM: a token key ends with it after a compound. */
  private readonly endsWithStem = new Map<string, number[]>();
  /** `*word*` atoms: few, tried one by one. */
  private readonly contains: Atom[] = [];

  add(atom: Atom): void {
    switch (atom.match) {
      case "startsWith":
        pushTo(this.startsWith, atom.surface, atom.id);
        break;
      case "endsWith":
        pushTo(this.endsWith, atom.surface, atom.id);
        for (const key of atom.keys)
          if (key.length >= MIN_COMPOUND_STEM) pushTo(this.endsWithStem, key, atom.id);
        break;
      case "contains":
        this.contains.push(atom);
        break;
    }
  }

  /** The ids of the wildcard atoms that a token with these keys (folded surface first) matches, ascending. */
  matches(tokenKeys: readonly string[]): number[] {
    const surface = tokenKeys[0] ?? "";
    const found = new Set<number>();
    const add = (ids: readonly number[] | undefined) => {
      if (ids !== undefined) for (const id of ids) found.add(id);
    };
    for (let n = 0; n <= surface.length; n++) {
      add(this.startsWith.get(surface.slice(0, n)));
      add(this.endsWith.get(surface.slice(surface.length - n)));
    }
    for (const key of tokenKeys)
      for (let n = MIN_COMPOUND_STEM; n <= key.length - MIN_COMPOUND_PREFIX; n++)
        add(this.endsWithStem.get(key.slice(key.length - n)));
    for (const atom of this.contains) if (surface.includes(atom.surface)) found.add(atom.id);
    return [...found].sort((a, b) => a - b);
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
  /** Its evidence, `'phrase' ← "words"`, made on first use (see `textDetail`): rules share occurrences. */
  detail: string | undefined;
}

interface Analysis {
  /** Indexed by phrase-group id: the occurrences of the group's phrases, in text order; undefined when none. */
  byGroup: (Occurrence[] | undefined)[];
  /** The groups with occurrences (the indices set in byGroup), in order of first occurrence. */
  groupsWithHits: readonly number[];
  /** The clauses with at least one phrase in them, in text order. */
  clausesWithHits: readonly number[];
  /** Whether some clause has no phrase in it. */
  hasEmptyClause: boolean;
}

const NONE: readonly number[] = [];

const NO_HITS: Analysis = { byGroup: [], groupsWithHits: [], clausesWithHits: [], hasEmptyClause: false };
const NO_HITS_IN_SOME_CLAUSES: Analysis = {
  byGroup: [],
  groupsWithHits: [],
  clausesWithHits: [],
  hasEmptyClause: true,
};

function analyse(text: string, lexicon: Lexicon, window: number): Analysis {
  const tokens = tokenise(text);
  const infos: TokenInfo[] = new Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) infos[i] = tokenInfo(tokens[i] as Token, lexicon);
  const byGroup: (Occurrence[] | undefined)[] = new Array(lexicon.groupCount);
  const groupsWithHits: number[] = [];
  const clausesWithHits: number[] = [];
  let lastCue = -1; // the position of the last negation cue before `start` not followed by a neutraliser
  for (let start = 0; start < tokens.length; start++) {
    if (start > 0 && infos[start - 1]?.cue && !infos[start]?.neutraliser) lastCue = start - 1;
    const info = infos[start];
    const token = tokens[start];
    if (!info?.starts || !token) continue;
    const clause = token.clause;
    let cue: string | null | undefined; // the same for every phrase starting here: computed on a match
    for (const phrase of info.single) {
      cue ??= negationCue(start, lastCue, tokens, window);
      addOccurrence(byGroup, groupsWithHits, { phrase, words: token.text, cue, clause, detail: undefined });
    }
    if (info.multi !== undefined) {
      // A longer phrase is tried where its second word first occurs (at most PHRASE_MAX_GAP words on).
      for (let next = start + 1; next <= start + 1 + PHRASE_MAX_GAP && next < tokens.length; next++) {
        const second = tokens[next];
        if (second?.clause !== clause) break;
        const nextInfo = infos[next];
        if (nextInfo === undefined || (info.multiBits & nextInfo.atomBits) === 0) continue;
        for (const atom of nextInfo.atoms) {
          const phrases = info.multi.get(atom);
          if (phrases === undefined || occursBetween(atom, start, next, infos)) continue;
          for (const phrase of phrases) {
            const words = matchRest(phrase, start, next, tokens, infos);
            if (words === null) continue;
            cue ??= negationCue(start, lastCue, tokens, window);
            addOccurrence(byGroup, groupsWithHits, { phrase, words, cue, clause, detail: undefined });
          }
        }
      }
    }
    if (cue !== undefined && clausesWithHits[clausesWithHits.length - 1] !== clause)
      clausesWithHits.push(clause);
  }
  const clauseCount = (tokens[tokens.length - 1]?.clause ?? -1) + 1;
  if (clausesWithHits.length === 0) return clauseCount === 0 ? NO_HITS : NO_HITS_IN_SOME_CLAUSES;
  return { byGroup, groupsWithHits, clausesWithHits, hasEmptyClause: clausesWithHits.length < clauseCount };
}

/**
 * Files an occurrence under each group of its phrase. A group's second occurrence makes a new list
 * of two: pushing onto the list of one would grow it to room for 17 (a group rarely has more than 2).
 */
function addOccurrence(
  byGroup: (Occurrence[] | undefined)[],
  groupsWithHits: number[],
  occurrence: Occurrence,
): void {
  for (const g of occurrence.phrase.groups) {
    const list = byGroup[g];
    if (list === undefined) {
      byGroup[g] = [occurrence];
      groupsWithHits.push(g);
    } else if (list.length === 1) byGroup[g] = [list[0] as Occurrence, occurrence];
    else list.push(occurrence);
  }
}

/**
 * Whether a token strictly between two positions matches `atom`. A phrase appears once in a
 * token's `multi`, under its second word's atom, so this tells whether it was tried at an earlier
 * position from the same start (where it is not tried again).
 */
function occursBetween(atom: number, from: number, to: number, infos: readonly TokenInfo[]): boolean {
  for (let i = from + 1; i < to; i++) if (infos[i]?.atoms.includes(atom)) return true;
  return false;
}

/**
 * A group's phrases as found in the whole text, each once, in order of first occurrence: with the
 * words of its first occurrence that is not negated (cue null), else of its first (negated) one.
 */
function phraseHits(occurrences: readonly Occurrence[]): readonly Occurrence[] {
  if (occurrences.length === 1) return occurrences; // the usual case
  const hits: Occurrence[] = [];
  for (const o of occurrences) {
    let i = 0;
    while (i < hits.length && hits[i]?.phrase !== o.phrase) i++;
    if (i === hits.length) hits.push(o);
    else if (hits[i]?.cue !== null && o.cue === null) hits[i] = o;
  }
  return hits;
}

/**
 * The hits of a text condition to explain, in order: its `phraseHits`, less those whose words an
 * earlier hit has explained ("ansætte" and "ansættelse" both match "ansætter").
 */
function explainedHits(occurrences: readonly Occurrence[]): readonly Occurrence[] {
  const hits = phraseHits(occurrences);
  if (hits.length === 1) return hits;
  const explained: Occurrence[] = [];
  for (const h of hits) if (!hasWords(explained, h.words)) explained.push(h);
  return explained;
}

function hasWords(occurrences: readonly Occurrence[], words: string): boolean {
  for (const o of occurrences) if (o.words === words) return true;
  return false;
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
    // every field, in the order of `compute`'s: one object shape for all infos
    atoms: [...new Set([...own.atoms, ...joined.atoms])],
    single: [...new Set([...own.single, ...joined.single])],
    multi,
    atomBits: own.atomBits | joined.atomBits,
    multiBits: own.multiBits | joined.multiBits,
    starts: own.starts || joined.starts,
    cue: own.cue,
    neutraliser: own.neutraliser,
  };
}

/**
 * The words of a phrase whose first two words matched, at `start` and `second`; null if the rest does
 * not follow. The string is built only for a match (most longer phrases tried are not).
 */
function matchRest(
  phrase: CompiledPhrase,
  start: number,
  second: number,
  tokens: readonly Token[],
  infos: readonly TokenInfo[],
): string | null {
  const clause = tokens[start]?.clause ?? -1;
  const { atoms } = phrase;
  let at = second;
  for (let k = 2; k < atoms.length && at >= 0; k++) at = nextWith(atoms[k] ?? -1, at, clause, tokens, infos);
  if (at < 0) return null;
  let words = `${tokens[start]?.text} ${tokens[second]?.text}`;
  at = second;
  for (let k = 2; k < atoms.length; k++) {
    at = nextWith(atoms[k] ?? -1, at, clause, tokens, infos); // as above: found
    words += ` ${tokens[at]?.text}`;
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
  lastCue: number,
  tokens: readonly Token[],
  window: number,
): string | null {
  // lastCue is the nearest such cue before start: it counts if near enough and in the same clause
  // (clauses only go up, so then every word between is in that clause too).
  if (lastCue < 0 || lastCue < start - window) return null;
  const cue = tokens[lastCue];
  return cue !== undefined && cue.clause === tokens[start]?.clause ? cue.text : null;
}

// ---------------------------------------------------------------------------------------------
// Conditions compiled to a tree of nodes, and their evaluation.

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

/** Evidence when the condition holds (a new array: the caller may keep or extend it), null when it does not. */
type Evaluator = (ctx: EvalContext) => MatchEvidence[] | null;

/**
 * A compiled condition, evaluated by `evaluate` and `test` below. All kinds share this one shape (see
 * `node`), so that the evaluator reads its fields from objects of one shape, and calls itself rather
 * than a different closure for each condition (closures measured some 7% slower in all).
 */
interface Compiled {
  kind: Condition["type"] | "sameClause";
  /** all, any, sameClause: the conditions; not: the one negated. */
  children: readonly Compiled[];
  /** sameClause: the conditions without a `not` (see `firstClause`). */
  positive: readonly Compiled[];
  /** text: the phrase group, and whether a negation cue before a match cancels it. */
  group: number;
  negatable: boolean;
  /** needHint: the need, and the evidence when ticked. */
  need: Need | undefined;
  detail: string;
  /** field: its evaluator (field conditions are few and cheap: a closure each). */
  field: Evaluator | undefined;
  /**
   * What a request must have for the condition to hold, and without which it fails before it looks
   * at anything else (so without reporting negated matches); undefined when there is no such thing.
   * A quick filter: most rules have nothing to look at in a request.
   */
  triggers: Triggers | undefined;
}

/** One of these phrase groups in the text, or one of these need hints ticked. */
interface Triggers {
  groups: readonly number[];
  needHints: readonly Need[];
}

/** A node: every kind made by this one object literal, so that all have the same shape. */
function node(
  kind: Compiled["kind"],
  triggers: Triggers | undefined,
  fields: Partial<Omit<Compiled, "kind" | "triggers">>,
): Compiled {
  return {
    kind,
    children: fields.children ?? [],
    positive: fields.positive ?? [],
    group: fields.group ?? -1,
    negatable: fields.negatable ?? false,
    need: fields.need,
    detail: fields.detail ?? "",
    field: fields.field,
    triggers,
  };
}

function compileCondition(condition: Condition, lexicon: Lexicon): Compiled {
  switch (condition.type) {
    case "text": {
      const group = lexicon.group(condition.anyOf);
      return node(
        "text",
        { groups: [group], needHints: [] },
        { group, negatable: condition.negatable ?? true },
      );
    }
    case "field":
      return node("field", undefined, { field: fieldEvaluator(condition, lexicon) });
    case "needHint": {
      const need = condition.need;
      return node(
        "needHint",
        { groups: [], needHints: [need] },
        { need, detail: `needHint '${need}' ticked` },
      );
    }
    case "all": {
      const children = condition.of.map((c) => compileCondition(c, lexicon));
      if (!condition.sameClause) return node("all", children[0]?.triggers, { children }); // the first is looked at first
      const positive = children.filter((_, i) => isMonotone(condition.of[i] as Condition));
      return node("sameClause", positive[0]?.triggers, { children, positive });
    }
    case "any": {
      const children = condition.of.map((c) => compileCondition(c, lexicon));
      const triggers = children.every((c) => c.triggers !== undefined)
        ? {
            groups: [...new Set(children.flatMap((c) => c.triggers?.groups ?? []))],
            needHints: [...new Set(children.flatMap((c) => c.triggers?.needHints ?? []))],
          }
        : undefined;
      return node("any", triggers, { children });
    }
    case "not":
      return node("not", undefined, { children: [compileCondition(condition.condition, lexicon)] });
  }
}

/**
 * The evidence of a condition that holds, null when it does not. `test` tells the same without
 * building evidence (most conditions do not hold, and most of those that do are guards inside `not`).
 * Both report the same negated matches in `ctx.negated`, and none within a clause (ctx.clause set).
 */
function evaluate(c: Compiled, ctx: EvalContext): MatchEvidence[] | null {
  switch (c.kind) {
    case "text":
      return evaluateText(c, ctx);
    case "field":
      return (c.field as Evaluator)(ctx);
    case "needHint":
      return ctx.input.needHints.includes(c.need as Need) ? [{ kind: "needHint", detail: c.detail }] : null;
    case "all":
      return evaluateAll(c.children, ctx);
    case "sameClause": {
      // Nested in another sameClause condition, it is already within one clause.
      if (ctx.clause !== undefined) return evaluateAll(c.children, ctx);
      const clause = firstClause(c, ctx);
      if (clause === undefined) return null;
      try {
        ctx.clause = clause;
        return evaluateAll(c.children, ctx);
      } finally {
        ctx.clause = undefined;
      }
    }
    case "any": {
      // Every branch, without short-circuit: the explanation lists all that matched.
      let evidence: MatchEvidence[] | null = null;
      for (const child of c.children) {
        const e = evaluate(child, ctx);
        if (e === null) continue;
        // a new array (see Evaluator): the first is extended in place
        if (evidence === null) evidence = e;
        else for (const x of e) evidence.push(x);
      }
      return evidence;
    }
    case "not":
      return test(c.children[0] as Compiled, ctx) ? null : [];
  }
}

function test(c: Compiled, ctx: EvalContext): boolean {
  switch (c.kind) {
    case "text":
      return testText(c, ctx);
    case "field":
      return (c.field as Evaluator)(ctx) !== null;
    case "needHint":
      return ctx.input.needHints.includes(c.need as Need);
    case "all":
      return testAll(c.children, ctx);
    case "sameClause":
      return ctx.clause !== undefined ? testAll(c.children, ctx) : firstClause(c, ctx) !== undefined;
    case "any": {
      let holds = false;
      for (const child of c.children) if (test(child, ctx)) holds = true; // reports all negated matches
      return holds;
    }
    case "not":
      return !test(c.children[0] as Compiled, ctx);
  }
}

function evaluateAll(conditions: readonly Compiled[], ctx: EvalContext): MatchEvidence[] | null {
  let evidence: MatchEvidence[] | null = null;
  for (const condition of conditions) {
    const e = evaluate(condition, ctx);
    if (e === null) return null;
    // a new array (see Evaluator): the first is extended in place
    if (evidence === null) evidence = e;
    else for (const x of e) evidence.push(x);
  }
  return evidence ?? [];
}

function testAll(conditions: readonly Compiled[], ctx: EvalContext): boolean {
  for (const condition of conditions) if (!test(condition, ctx)) return false;
  return true;
}

/**
 * `all` with `sameClause`: the conditions must hold together in one clause of the description
 * ("mangler" and "tømrere" in one sentence, not anywhere in the request). The first clause where they
 * do, or undefined; leaves ctx.clause unset. The positive conditions (without a `not`, which can only
 * hold in a clause if they hold in the whole text) are a quick test first; then each clause with a
 * phrase in it is tried, and one clause with none (all such are alike), with `test` (it builds no
 * evidence). Within a clause no condition reports negated matches: the whole-text test has.
 */
function firstClause(c: Compiled, ctx: EvalContext): number | undefined {
  if (!testAll(c.positive, ctx)) return undefined;
  const { clausesWithHits, hasEmptyClause } = ctx.analysis;
  try {
    for (const clause of clausesWithHits) {
      ctx.clause = clause;
      if (testAll(c.children, ctx)) return clause;
    }
    ctx.clause = -1;
    return hasEmptyClause && testAll(c.children, ctx) ? -1 : undefined;
  } finally {
    ctx.clause = undefined;
  }
}

function evaluateText({ group, negatable }: Compiled, ctx: EvalContext): MatchEvidence[] | null {
  const occurrences = ctx.analysis.byGroup[group];
  if (occurrences === undefined) return null;
  if (ctx.clause !== undefined) return inClause(occurrences, ctx.clause, negatable);
  let evidence: MatchEvidence[] | null = null;
  for (const o of explainedHits(occurrences)) {
    if (o.cue !== null && negatable) ctx.negated.push({ phrase: o.phrase.text, cue: o.cue });
    else {
      const e: MatchEvidence = { kind: "text", detail: textDetail(o) };
      if (evidence === null) evidence = [e];
      else evidence.push(e);
    }
  }
  return evidence;
}

function testText({ group, negatable }: Compiled, ctx: EvalContext): boolean {
  const occurrences = ctx.analysis.byGroup[group];
  if (occurrences === undefined) return false;
  if (!negatable) return ctx.clause === undefined || inSomeClause(occurrences, ctx.clause);
  if (ctx.clause !== undefined) {
    for (const { cue, clause } of occurrences) if (clause === ctx.clause && cue === null) return true;
    return false;
  }
  let negated = false;
  for (const o of occurrences) if (o.cue !== null) negated = true;
  if (!negated) return true;
  let holds = false;
  for (const { phrase, cue } of explainedHits(occurrences)) {
    // as in evaluateText, which reports the same negated matches
    if (cue === null) holds = true;
    else ctx.negated.push({ phrase: phrase.text, cue });
  }
  return holds;
}

/** Whether an occurrence is in the clause (a loop, not `some` with a closure: this is called often). */
function inSomeClause(occurrences: readonly Occurrence[], clause: number): boolean {
  for (const o of occurrences) if (o.clause === clause) return true;
  return false;
}

/**
 * The evidence of a text match: `'phrase' ← "words"`, made once per occurrence. The start is made once
 * per phrase (it holds the arrow, a non-Latin-1 character, which makes building the string slower).
 */
function textDetail(occurrence: Occurrence): string {
  occurrence.detail ??= `${occurrence.phrase.detailStart}${occurrence.words}"`;
  return occurrence.detail;
}

function hasDetail(evidence: readonly MatchEvidence[], detail: string): boolean {
  for (const e of evidence) if (e.detail === detail) return true;
  return false;
}

/** A text condition within one clause: its un-negated occurrences there (negated ones are reported globally). */
function inClause(
  occurrences: readonly Occurrence[] | undefined,
  clause: number,
  negatable: boolean,
): MatchEvidence[] | null {
  if (occurrences === undefined) return null;
  let evidence: MatchEvidence[] | null = null;
  for (const o of occurrences) {
    if (o.clause !== clause || (o.cue !== null && negatable)) continue;
    const detail = textDetail(o);
    if (evidence === null) evidence = [{ kind: "text", detail }];
    else if (!hasDetail(evidence, detail)) evidence.push({ kind: "text", detail });
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

/** Whether a condition has no `not` in it: then it holds in a clause only if it holds in the text. */
function isMonotone(condition: Condition): boolean {
  if (condition.type === "not") return false;
  if (condition.type === "all" || condition.type === "any") return condition.of.every(isMonotone);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Compile and classify.

/**
 * Per-need totals are kept in arrays, in the order of NEEDS: `raw[rule.need]` on a record (a property
 * name that varies) is a slow lookup in the hot loop. ORDER does not compile if NEEDS changes, and
 * NEED_INDEX maps a need to its position.
 */
type PerNeed = [growth: number, recruitment: number, upskilling: number];
type NeedIndex = 0 | 1 | 2;
const ORDER: readonly ["growth", "recruitment", "upskilling"] = NEEDS;
const NEED_INDEX: Record<Need, NeedIndex> = { [ORDER[0]]: 0, [ORDER[1]]: 1, [ORDER[2]]: 2 };

interface CompiledRule {
  id: string;
  need: Need;
  needIndex: NeedIndex;
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
    needIndex: NEED_INDEX[r.need],
    weight: r.weight,
    priority: r.priority ?? false,
    when: compileCondition(r.when, lexicon),
  }));
  const overrides = ruleSet.routing.overrides.map((o) => ({
    override: o,
    when: compileCondition(o.when, lexicon),
  }));
  const triggers = new RuleTriggers(rules, lexicon.groupCount);

  // decideRoute usually follows classify on the same input: remember its analysis (one slot),
  // keyed by the object and the values it had then, so an input changed in between is analysed anew.
  let last: { ctx: EvalContext; input: ClassificationInput; seen: ClassificationInput } | undefined;
  const contextFor = (input: ClassificationInput): EvalContext => {
    if (last?.input === input && sameInput(last.seen, input)) return last.ctx;
    const ctx = evalContext(input, lexicon, negation.window);
    const { description, needHints, employees, industry, municipalityCode } = input;
    const seen = { description, needHints: needHints.slice(), employees, industry, municipalityCode };
    last = { ctx, input, seen };
    return ctx;
  };

  return {
    version,
    ruleSet,
    classify: (input) => classifyWith(ruleSet, version, rules, triggers, contextFor(input)),
    matchOverride: (input) => {
      const ctx = contextFor(input);
      for (const { override, when } of overrides) {
        ctx.negated = [];
        if (!test(when, ctx)) continue;
        const matched = evaluate(when, ctx);
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
  triggers: RuleTriggers,
  ctx: EvalContext,
): Classification {
  const raw: PerNeed = [0, 0, 0];
  const priority: PerNeed = [0, 0, 0];
  const firedRules: FiredRule[] = [];
  const negated: Classification["negated"] = [];
  ctx.negated = []; // scratch: may hold entries from a routing-override check on the same input
  for (const i of triggers.of(ctx.analysis, ctx.input.needHints)) {
    const rule = rules[i];
    if (rule === undefined) continue;
    // No `test` first: a condition's evaluate gives evidence exactly when its test holds, and both
    // report the same negated matches (a rule that is looked at usually holds).
    const matched = evaluate(rule.when, ctx);
    if (ctx.negated.length > 0) {
      for (const n of ctx.negated) negated.push({ ruleId: rule.id, phrase: n.phrase, cue: n.cue });
      ctx.negated = [];
    }
    if (matched === null) continue;
    if (rule.priority) {
      priority[rule.needIndex] += rule.weight;
      firedRules.push({ ruleId: rule.id, need: rule.need, weight: rule.weight, priority: true, matched });
    } else {
      raw[rule.needIndex] += rule.weight;
      firedRules.push({ ruleId: rule.id, need: rule.need, weight: rule.weight, matched });
    }
  }
  const { applyAt, saturateAt } = ruleSet.scoring;
  const score: PerNeed = [
    Math.min(raw[0], saturateAt),
    Math.min(raw[1], saturateAt),
    Math.min(raw[2], saturateAt),
  ];
  const scores = {
    growth: { raw: raw[0], score: score[0] },
    recruitment: { raw: raw[1], score: score[1] },
    upskilling: { raw: raw[2], score: score[2] },
  };
  const needs: Need[] = []; // in the order of NEEDS, which is alphabetical
  for (let i = 0; i < ORDER.length; i++) if ((score[i] ?? 0) >= applyAt) needs.push(ORDER[i] as Need);
  const followUps: Classification["followUps"] = [];
  for (const c of ruleSet.couplings)
    if (needs.includes(c.ifNeed)) followUps.push({ couplingId: c.id, need: c.addFollowUp, reason: c.reason });
  return {
    ruleSetVersion: version,
    needs,
    primaryNeed: primaryOf(score, priority, applyAt),
    scores,
    firedRules,
    negated,
    followUps,
  };
}

/**
 * Which rules a request triggers: those whose condition has no triggers, and those with one of their
 * trigger groups in the text or one of their trigger need hints ticked. Indexed by group and need, so
 * that a request looks only at the groups it has hits in instead of at every rule's triggers.
 */
class RuleTriggers {
  /**
   * The rules of group g: rulesOfGroups[groupStart[g]] up to (not including) rulesOfGroups[groupStart[g + 1]].
   * Two flat arrays rather than one small array per group: fewer objects to fetch from memory.
   */
  private readonly groupStart: Int32Array;
  private readonly rulesOfGroups: Int32Array;
  private readonly rulesByNeedHint = new Map<Need, number[]>();
  /** The rules without triggers (always triggered), as a bit set: bit i of word i >> 5 is rule i. */
  private readonly always: Uint32Array;
  /** The same for the request last passed to `of`; reused from request to request. */
  private readonly marks: Uint32Array;

  constructor(rules: readonly CompiledRule[], groupCount: number) {
    const rulesByGroup: number[][] = Array.from({ length: groupCount }, () => []);
    this.always = new Uint32Array(Math.ceil(rules.length / 32));
    this.marks = new Uint32Array(this.always.length);
    rules.forEach((rule, i) => {
      const { triggers } = rule.when;
      if (triggers === undefined) setBit(this.always, i);
      for (const g of triggers?.groups ?? []) rulesByGroup[g]?.push(i);
      for (const need of triggers?.needHints ?? []) pushTo(this.rulesByNeedHint, need, i);
    });
    this.groupStart = new Int32Array(groupCount + 1);
    rulesByGroup.forEach((r, g) => {
      this.groupStart[g + 1] = (this.groupStart[g] ?? 0) + r.length;
    });
    this.rulesOfGroups = Int32Array.from(rulesByGroup.flat());
  }

  /**
   * The indices of the rules a request (its analysed text, its need hints) triggers, ascending. A
   * bit set, so that a request with a few triggered rules does not look at every rule (a generated
   * set has 500).
   */
  of(analysis: Analysis, needHints: readonly Need[]): number[] {
    const { marks } = this;
    marks.set(this.always);
    const { groupStart, rulesOfGroups } = this;
    for (const g of analysis.groupsWithHits)
      for (let k = groupStart[g] ?? 0; k < (groupStart[g + 1] ?? 0); k++)
        setBit(marks, rulesOfGroups[k] ?? 0);
    for (const need of needHints) for (const r of this.rulesByNeedHint.get(need) ?? NONE) setBit(marks, r);
    const triggered: number[] = [];
    for (let w = 0; w < marks.length; w++) {
      let bits = marks[w] ?? 0;
      while (bits !== 0) {
        const lowest = bits & -bits; // the lowest bit set
        triggered.push(w * 32 + 31 - Math.clz32(lowest));
        bits ^= lowest;
      }
    }
    return triggered;
  }
}

function setBit(bits: Uint32Array, i: number): void {
  bits[i >> 5] = (bits[i >> 5] ?? 0) | (1 << (i & 31));
}

/**
 * The applied need (score >= applyAt) with the unique highest rank (score plus priority), or null
 * when none applies or the top is shared.
 */
function primaryOf(score: PerNeed, priority: PerNeed, applyAt: number): Need | null {
  let best = -1;
  let bestRank = 0;
  let tie = false;
  for (let i = 0; i < ORDER.length; i++) {
    if ((score[i] ?? 0) < applyAt) continue;
    const rank = (score[i] ?? 0) + (priority[i] ?? 0);
    if (best < 0 || rank > bestRank) {
      best = i;
      bestRank = rank;
      tie = false;
    } else if (rank === bestRank) tie = true;
  }
  return tie ? null : (ORDER[best] ?? null);
}

function sameInput(a: ClassificationInput, b: ClassificationInput): boolean {
  return (
    a.description === b.description &&
    a.needHints.length === b.needHints.length &&
    a.needHints.every((need, i) => need === b.needHints[i]) &&
    a.employees === b.employees &&
    a.industry === b.industry &&
    a.municipalityCode === b.municipalityCode
  );
}
