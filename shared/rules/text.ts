/**
 * Text handling for the rules engine: normalisation, folding, tokenisation into clauses, and the
 * matching keys of a word. Requests arrive in Danish or English (often mixed, often typed on a
 * keyboard without æøå), so a word is matched on its surface form and on its Danish and English
 * Snowball stems, all folded to ASCII-ish spelling.
 */
import { newStemmer } from "snowball-stemmers";

const danish = newStemmer("danish");
const english = newStemmer("english");

/** Lowercase + NFKC, and typographic apostrophes made plain so "don’t" is "don't". */
export function normalise(text: string): string {
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
  joined?: string;
}

/** Words that end a clause the way punctuation does: "vi har ikke brug for kurser, men mangler folk". */
const CLAUSE_WORDS = new Set(["men", "but"]);

/**
 * Words (letters and digits, with inner apostrophes or hyphens) or clause punctuation: . ! ? ; a
 * line break, a dash, or a hyphen standing alone as a dash. A full stop directly followed by a
 * letter or digit ("f.eks", "3.5") is not a sentence end.
 */
const TOKEN_PATTERN = /([\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*)|[!?;\n\u2013\u2014]|\s-\s|\.(?![\p{L}\p{N}])/gu;

/** Splits a text into word tokens, numbering clauses; hyphenated words give their parts and the joined form. */
export function tokenise(text: string): Token[] {
  const tokens: Token[] = [];
  let clause = 0;
  const normalised = normalise(text);
  TOKEN_PATTERN.lastIndex = 0;
  for (let match = TOKEN_PATTERN.exec(normalised); match !== null; match = TOKEN_PATTERN.exec(normalised)) {
    const word = match[1]; // undefined for clause punctuation
    if (word === undefined || CLAUSE_WORDS.has(word)) {
      clause++;
      continue;
    }
    if (!word.includes("-")) {
      tokens.push({ text: word, clause });
      continue;
    }
    const parts = word.split("-");
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      tokens.push(last ? { text: part, clause, joined: parts.join("") } : { text: part, clause });
    });
  }
  return tokens;
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
