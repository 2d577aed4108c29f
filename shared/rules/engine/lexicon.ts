/**
 * The lexicon of a compiled rule set: every phrase word becomes an atom, atoms are indexed by their
 * matching keys (exact words by key, wildcards in a `WildcardIndex`), and a token's `TokenInfo` (the
 * atoms it matches, the phrases that start at it) is computed once per distinct token text and cached
 * (`TokenCache`). No regex is built and no stemming is repeated for a token seen before.
 */

import { type PhraseWord, parsePhrase, type Token, type WordMatch, wordKeys } from "#shared/rules/text.ts";

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

interface Atom {
  id: number;
  match: WordMatch;
  /** The folded surface form, for wildcard matching. */
  surface: string;
  /** Folded surface and stems, for exact and `*word` matching. */
  keys: string[];
}

export interface TokenInfo {
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
  /** A list word ("eller", "or", "nor"): a negation before a list reaches over it to the next item. */
  joiner: boolean;
}

export interface CompiledPhrase {
  id: number;
  text: string;
  /** `'text' ← "`, how the evidence of a match starts: see `textDetail`. */
  detailStart: string;
  atoms: number[];
  /** The phrase groups (text conditions, industry lists) the phrase belongs to. */
  groups: number[];
}

export class Lexicon {
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
  private readonly joiners: Set<string>;
  constructor(cues: readonly string[], neutralisers: readonly string[], joiners: readonly string[] = []) {
    // Cues and joiners match on the surface form only ("no" must not match "nos"); neutralisers also on stems.
    this.cues = new Set(cues.map((c) => wordKeys(c)[0] ?? c));
    this.neutralisers = new Set(neutralisers.flatMap(wordKeys));
    this.joiners = new Set(joiners.map((c) => wordKeys(c)[0] ?? c));
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
    const joiner = this.joiners.has(keys[0] ?? text);
    if (atoms.size === 0 && !cue && !neutraliser && !joiner) return NO_MATCH; // most words: one shared object
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
      joiner,
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
  joiner: false,
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

export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
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

/** A token's info, merged with its joined hyphen form's ("tig-svejsning" also as "tigsvejsning"). */
export function tokenInfo(token: Token, lexicon: Lexicon): TokenInfo {
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
    joiner: own.joiner,
  };
}
