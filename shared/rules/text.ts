/**
 * Text handling for the rules engine: normalisation, folding, tokenisation into clauses, and the
 * matching keys of a word. Requests arrive in Danish or English (often mixed, often typed on a
 * keyboard without æøå), so a word is matched on its surface form and on its Danish and English
 * Snowball stems, all folded to ASCII-ish spelling.
 */
import { newStemmer } from "./snowball.ts";

const danish = newStemmer("danish");
const english = newStemmer("english");

/** Anything outside printable ASCII, tab, line breaks and the Latin-1 letters (U+00C0-U+00FF), where NFKC is the identity. */
const NEEDS_NFKC = /[^ -~\t\n\r\u00c0-\u00ff]/;

/** Lowercase + NFKC, and typographic apostrophes made plain so "don’t" is "don't". */
export function normalise(text: string): string {
  // NFKC leaves ASCII and Latin-1 letters (æøå) unchanged: skip it for such text, the usual case.
  // Such text has no typographic apostrophes either (they are outside Latin-1), nor gets any by
  // lowercasing.
  if (!NEEDS_NFKC.test(text)) return text.toLowerCase();
  const lower = text.normalize("NFKC").toLowerCase();
  return /[\u2018\u2019\u02bc]/.test(lower) ? lower.replace(/[\u2018\u2019\u02bc]/g, "'") : lower;
}

const FOLDS: Record<string, string> = { æ: "ae", ø: "oe", å: "aa", ä: "ae", ö: "oe", ü: "ue" };

/**
 * Folds Danish letters to their two-letter spellings ("århus" and "aarhus" become one word) and
 * strips other accents ("café" → "cafe"). Applied after stemming: the Danish stemmer knows æøå.
 */
export function fold(word: string): string {
  if (/^[a-z0-9']*$/.test(word)) return word; // fast path: nothing to fold
  return word
    .replace(/[æøåäöü]/g, (c) => FOLDS[c] ?? c)
    .normalize("NFD")
    .replace(/\p{M}/gu, "");
}

/**
 * The matching keys of one normalised (unfolded) word: its folded surface form and its folded
 * Danish and English stems, without duplicates. Two words match when their keys intersect, which
 * makes "medarbejdere" match "medarbejderne" (Danish stem) and "hire" match "hiring" (English stem).
 */
export function wordKeys(word: string): string[] {
  const keys = [fold(word), fold(danish.stem(word)), fold(english.stem(word))];
  return [...new Set(keys)];
}

export interface Token {
  /** The word, normalised but not folded (the stemmers need æøå). */
  text: string;
  /** Index of the clause the word is in; negation never crosses a clause boundary. */
  clause: number;
  /** For the last part of a hyphenated word, the parts written together: "tig-svejsning" → "tigsvejsning". */
  joined: string | undefined;
}

/** Words that end a clause the way punctuation does: "vi har ikke brug for kurser, men mangler folk". */
const CLAUSE_WORDS = new Set(["men", "but"]);

/**
 * After "men"/"but", a pronoun and a verb that comment on what was just said ("…, men det haster
 * ikke", "but that is secondary", "but it can wait") continue that clause rather than start one: the
 * comment is about the clause before it, so rules that look within one clause see both.
 */
const BACK_PRONOUNS = new Set(["det", "dette", "that", "this", "it"]);
const BACK_VERBS = new Set([
  ...["er", "var", "haster", "kan", "må", "skal", "tager", "venter", "har", "vil", "bliver", "kommer"],
  ...["is", "was", "can", "will", "has", "must", "comes", "would", "could", "isn't"],
]);
const BACK_CONTRACTIONS = new Set(["that's", "it's", "det's"]);

/**
 * Conjunctions that start a new clause after a comma: "vi skal bruge 10 mand mere, og de skal have et
 * kursus" is two statements. A comma alone does not end a clause ("en tømrer, der kan starte i maj").
 */
const COMMA_CLAUSE_WORDS = new Set(["og", "samt", "så", "mens", "and", "so", "while"]);

const LETTER_OR_DIGIT = /[\p{L}\p{N}\p{M}]/u;

/** What the scanner sees in a character: part of a word (a letter, digit or combining mark), a separator, or other. */
const SEPARATOR = 0;
const WORD = 1;
/** A character that `normalise` does more to than lowercase it (see NEEDS_NFKC), for now unclassified. */
const OTHER = 2;

/** The kinds of the first 256 code points (ASCII and Latin-1: æøå), by table. */
const LATIN1_KIND = Uint8Array.from({ length: 256 }, (_, code) => {
  const c = String.fromCharCode(code);
  if (NEEDS_NFKC.test(c)) return OTHER;
  return LETTER_OR_DIGIT.test(c) ? WORD : SEPARATOR;
});

/**
 * The kind of a character of a lowercased text (NaN, past the end: a separator). In a normalised
 * text, there is no OTHER: such a character is a word character or a separator by its Unicode class.
 */
function kindOf(code: number, normalised: boolean): number {
  if (code < 256) {
    const kind = LATIN1_KIND[code] ?? OTHER;
    if (kind !== OTHER || !normalised) return kind;
  } else if (!normalised) return Number.isNaN(code) ? SEPARATOR : OTHER;
  return LETTER_OR_DIGIT.test(String.fromCharCode(code)) ? WORD : SEPARATOR;
}

/** Clause punctuation: . ! ? ; a line break, or a dash (– —). */
function isClauseMark(code: number): boolean {
  return (
    code === 46 ||
    code === 33 ||
    code === 63 ||
    code === 59 ||
    code === 10 ||
    code === 0x2013 ||
    code === 0x2014
  );
}

/**
 * Splits a text into word tokens, numbering clauses; a hyphenated word gives its parts, the last
 * carrying the joined form. Words are letters and digits with inner apostrophes or hyphens ("don't",
 * "tig-svejsning"). Clauses end at . ! ? ; a line break, a dash or a free-standing hyphen, and at
 * "men"/"but", and at a comma followed by "og"/"and" and the like (COMMA_CLAUSE_WORDS); a full stop
 * directly followed by a letter or digit ("f.eks", "3.5") does not end one.
 * A hand-written scanner: this is the hot loop of classification, and a Unicode regex is slower.
 */
export function tokenise(text: string): Token[] {
  // Most texts are printable ASCII and Latin-1 letters, which `normalise` only lowercases: scan the
  // lowercased text right away (no pass to look for other characters first), and normalise and scan
  // again only if the scan meets another character. That gives the same tokens: the only characters
  // outside that range whose lowercase is inside it, Ÿ ẞ and the Kelvin and Ångström signs (K Å),
  // lowercase to the lowercase of their NFKC (checked over all of Unicode in rules-text-scan.test.ts).
  return scan(text.toLowerCase(), false) ?? scan(normalise(text), true) ?? []; // (the second is never null)
}

/** The tokens of a lowercased text; null when it is not `normalised` and has an OTHER character. */
function scan(s: string, normalised: boolean): Token[] | null {
  const tokens: Token[] = [];
  let clause = 0;
  let afterComma = false;
  // After "men"/"but": 1, the clause may go on; 2, and a pronoun (`held`, not yet pushed) followed it.
  let afterBut = 0;
  let held = "";
  let i = 0;
  while (i < s.length) {
    const code = s.charCodeAt(i);
    const kind = kindOf(code, normalised);
    if (kind === OTHER) return null;
    if (kind === WORD) {
      // The word: word characters, joined by single ' or - between them.
      const start = i;
      let hyphenated = false;
      for (i++; i < s.length; i++) {
        const c = s.charCodeAt(i);
        const k = kindOf(c, normalised);
        if (k === WORD) continue;
        if (k === OTHER) return null;
        if (c !== 39 && c !== 45) break;
        const next = kindOf(s.charCodeAt(i + 1), normalised);
        if (next === OTHER) return null;
        if (next !== WORD) break;
        if (c === 45) hyphenated = true;
        i++;
      }
      const word = s.slice(start, i);
      // Both clause words have three letters: the length test spares most words a set lookup.
      if (word.length === 3 && CLAUSE_WORDS.has(word)) {
        if (afterBut === 2) tokens.push({ text: held, clause: ++clause, joined: undefined });
        afterBut = 1;
      } else if (afterBut === 1 && BACK_PRONOUNS.has(word)) {
        afterBut = 2;
        held = word;
      } else {
        if (afterBut === 1) {
          if (!BACK_CONTRACTIONS.has(word)) clause++;
        } else if (afterBut === 2) {
          if (!BACK_VERBS.has(word)) clause++;
          tokens.push({ text: held, clause, joined: undefined });
        }
        afterBut = 0;
        if (afterComma && COMMA_CLAUSE_WORDS.has(word)) clause++;
        if (hyphenated) pushParts(tokens, word, clause);
        else tokens.push({ text: word, clause, joined: undefined });
      }
      afterComma = false;
      continue;
    }
    if (code === 44) afterComma = true;
    if (afterBut !== 0 && code !== 32) {
      // Punctuation after "men"/"but" (or its pronoun): the clause ends there, as before.
      clause++;
      if (afterBut === 2) tokens.push({ text: held, clause, joined: undefined });
      afterBut = 0;
    }
    if (isClauseMark(code) && !(code === 46 && kindOf(s.charCodeAt(i + 1), normalised) === WORD)) clause++;
    else if (code === 45 && isSpace(s.charCodeAt(i - 1)) && isSpace(s.charCodeAt(i + 1))) clause++;
    i++;
  }
  if (afterBut === 2) tokens.push({ text: held, clause: clause + 1, joined: undefined });
  return tokens;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 0xa0;
}

/** The parts of a hyphenated word, the last carrying the parts written together. */
function pushParts(tokens: Token[], word: string, clause: number): void {
  const parts = word.split("-");
  const last = parts.length - 1;
  for (let k = 0; k < last; k++) tokens.push({ text: parts[k] ?? "", clause, joined: undefined });
  tokens.push({ text: parts[last] ?? "", clause, joined: parts.join("") });
}

/** How a phrase word matches a token: `kursus`, `*kursus` (ends with), `eksport*` (starts with), `*tek*`. */
export type WordMatch = "exact" | "endsWith" | "startsWith" | "contains";

export interface PhraseWord {
  /** The word without wildcards, normalised but not folded. */
  word: string;
  match: WordMatch;
}

/**
 * Parses a rule phrase ("mangler medarbejdere", "*kursus", "eksport*") into its words, or returns
 * an error message. A hyphenated phrase word becomes its parts, like in the text ("TIG-svejsning").
 */
export function parsePhrase(phrase: string): PhraseWord[] | string {
  const words: PhraseWord[] = [];
  for (const raw of normalise(phrase).split(/\s+/).filter(Boolean)) {
    const starts = raw.startsWith("*");
    const ends = raw.length > 1 && raw.endsWith("*");
    const core = raw.slice(starts ? 1 : 0, ends ? -1 : undefined);
    if (!/^[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*$/u.test(core))
      return `"${raw}" is not a word (letters and digits, * only at its start or end)`;
    const parts = core.split("-");
    parts.forEach((part, i) => {
      const first = i === 0;
      const last = i === parts.length - 1;
      words.push({ word: part, match: wordMatch(first && starts, last && ends) });
    });
  }
  return words.length > 0 ? words : "a phrase needs at least one word";
}

function wordMatch(leading: boolean, trailing: boolean): WordMatch {
  if (leading && trailing) return "contains";
  if (leading) return "endsWith";
  if (trailing) return "startsWith";
  return "exact";
}
