/**
 * The analysis of one request: its description tokenised once, each token looked up in the lexicon,
 * and where each phrase occurs (with the negation cue before it, if any, and its clause), filed by
 * phrase group. `analyseRequest` makes the value that a compiled rule set's `classify` and
 * `matchOverride` both read, so that a request is analysed once for both.
 */

import type { Need } from "#shared/needs.ts";
import { type Token, tokenise } from "#shared/rules/text.ts";
import { type CompiledPhrase, type Lexicon, type TokenInfo, tokenInfo } from "./lexicon.ts";

/** The fields of a request that rules may look at. */
export interface ClassificationInput {
  description: string;
  needHints: readonly Need[];
  employees?: number;
  industry?: string;
  municipalityCode: string;
}

/**
 * A request analysed by one compiled rule set (`CompiledRuleSet.analyse`), for its `classify` and
 * `matchOverride`. A value: it holds a copy of the input, so changing the caller's object afterwards
 * changes nothing, and neither call leaves anything in it for the other (their scratch state is
 * their own) but the industry field's analysis, which depends on the input alone.
 */
export interface AnalysedRequest {
  /** The input as it was analysed. */
  readonly input: Readonly<ClassificationInput>;
  /** The lexicon that analysed it: the phrase-group ids in `text` are its own. */
  readonly lexicon: Lexicon;
  /** The description's analysis. */
  readonly text: TextAnalysis;
  /** The industry field's analysis, made on first use by an industry condition. */
  industry: TextAnalysis | undefined;
}

/**
 * A request's analysis: its description's now; its industry field's when an industry condition first
 * asks for it (most rule sets have few).
 */
export function analyseRequest(
  input: ClassificationInput,
  lexicon: Lexicon,
  window: number,
): AnalysedRequest {
  const { description, needHints, employees, industry, municipalityCode } = input;
  return {
    input: { description, needHints: needHints.slice(), employees, industry, municipalityCode },
    lexicon,
    text: analyse(description, lexicon, window),
    industry: undefined,
  };
}

/**
 * Consecutive words of a phrase may have at most this many other words between them: "flere
 * medarbejdere" matches "flere dygtige medarbejdere" but not "flere af vores medarbejdere".
 */
const PHRASE_MAX_GAP = 1;

/** One occurrence of a phrase in the text. */
export interface Occurrence {
  phrase: CompiledPhrase;
  /** The words that matched, as written (lowercased). */
  words: string;
  /** The negation cue before it, or null when this occurrence is not negated. */
  cue: string | null;
  /** The clause it is in. */
  clause: number;
  /** The position of its first word among the text's words (what the request mentions first). */
  at: number;
  /** Its evidence, `'phrase' ← "words"`, made on first use (see `textDetail`): rules share occurrences. */
  detail: string | undefined;
}

/** Where the phrases of the lexicon occur in a text. */
export interface TextAnalysis {
  /** Indexed by phrase-group id: the occurrences of the group's phrases, in text order; undefined when none. */
  byGroup: (Occurrence[] | undefined)[];
  /** The groups with occurrences (the indices set in byGroup), in order of first occurrence. */
  groupsWithHits: readonly number[];
  /** The clauses with at least one phrase in them, in text order. */
  clausesWithHits: readonly number[];
  /** Whether some clause has no phrase in it. */
  hasEmptyClause: boolean;
}

export const NO_HITS: TextAnalysis = {
  byGroup: [],
  groupsWithHits: [],
  clausesWithHits: [],
  hasEmptyClause: false,
};
const NO_HITS_IN_SOME_CLAUSES: TextAnalysis = {
  byGroup: [],
  groupsWithHits: [],
  clausesWithHits: [],
  hasEmptyClause: true,
};

/** Where the lexicon's phrases occur in a text, each with the negation cue before it (within `window` words). */
export function analyse(text: string, lexicon: Lexicon, window: number): TextAnalysis {
  const tokens = tokenise(text);
  const infos: TokenInfo[] = new Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) infos[i] = tokenInfo(tokens[i] as Token, lexicon);
  const byGroup: (Occurrence[] | undefined)[] = new Array(lexicon.groupCount);
  const groupsWithHits: number[] = [];
  const clausesWithHits: number[] = [];
  let lastCue = -1; // the position of the last negation cue before `start` not followed by a neutraliser
  let reach = -1; // where that cue's window counts from: the cue, or the last list word ("or") in its scope
  for (let start = 0; start < tokens.length; start++) {
    if (start > 0 && infos[start - 1]?.cue && !infos[start]?.neutraliser) lastCue = reach = start - 1;
    else if (
      lastCue >= 0 &&
      infos[start - 1]?.joiner &&
      reach >= start - 1 - window &&
      tokens[start - 1]?.clause === tokens[lastCue]?.clause
    )
      reach = start - 1; // "not X or Y": the negation goes on to Y
    const info = infos[start];
    const token = tokens[start];
    if (!info?.starts || !token) continue;
    const clause = token.clause;
    let cue: string | null | undefined; // the same for every phrase starting here: computed on a match
    for (const phrase of info.single) {
      cue ??= negationCue(start, lastCue, reach, tokens, window);
      addOccurrence(byGroup, groupsWithHits, {
        phrase,
        words: token.text,
        cue,
        clause,
        at: start,
        detail: undefined,
      });
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
            cue ??= negationCue(start, lastCue, reach, tokens, window);
            addOccurrence(byGroup, groupsWithHits, {
              phrase,
              words,
              cue,
              clause,
              at: start,
              detail: undefined,
            });
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
export function phraseHits(occurrences: readonly Occurrence[]): readonly Occurrence[] {
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
export function explainedHits(occurrences: readonly Occurrence[]): readonly Occurrence[] {
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
  reach: number,
  tokens: readonly Token[],
  window: number,
): string | null {
  // lastCue is the nearest such cue before start: it counts if near enough (counted from `reach`, a
  // list word in its scope, or the cue) and in the same clause (clauses only go up, so then every
  // word between is in that clause too).
  if (lastCue < 0 || reach < start - window) return null;
  const cue = tokens[lastCue];
  return cue !== undefined && cue.clause === tokens[start]?.clause ? cue.text : null;
}
