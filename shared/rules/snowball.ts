/*
 * The Danish and English Snowball stemmers (https://snowballstem.org), as a compact rewrite of
 * the ones in snowball-stemmers 0.6.0 (https://github.com/mazko/jssnowball, the JS port of
 * Snowball): that package holds all 24 languages in one 317 KB (minified) file that no bundler can
 * tree-shake, and Indgang needs two. Its generated code (a Snowball virtual machine: cursor, limits,
 * binary-searched `among` tables) is here written out as plain string operations on the word, step
 * by step and in the same order as the Snowball programs. tests/unit/snowball.test.ts checks that
 * both stemmers give exactly the package's stems, on every word of the repo's text data, on tricky
 * words, and on random strings.
 *
 * ISC License. Copyright (c) Oleg Mazko <o.mazko@mail.ru>.
 * Permission to use, copy, modify, and/or distribute this software for any purpose with or without
 * fee is hereby granted, provided that the above copyright notice and this permission notice
 * appear in all copies. THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
 * WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS. IN
 * NO EVENT SHALL THE AUTHOR BE LIABLE FOR ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES
 * OR ANY DAMAGES WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN ACTION OF
 * CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF OR IN CONNECTION WITH THE USE OR
 * PERFORMANCE OF THIS SOFTWARE.
 */

export interface Stemmer {
  /** The stem of one lowercase word. */
  stem(word: string): string;
}

/** An entry of a suffix table: the suffix, and what replaces it (nothing: it is deleted). */
type Entry = [suffix: string, replacement?: string];
/** A suffix table (a Snowball `among`), its entries grouped by the last letter of their suffix. */
type Table = Map<string, Entry[]>;

/** A table from "suffix suffix>replacement …". */
function table(spec: string): Table {
  const t: Table = new Map();
  for (const text of spec.split(" ")) {
    const entry = text.split(">") as Entry;
    const last = entry[0].slice(-1);
    const group = t.get(last);
    if (group) group.push(entry);
    else t.set(last, [entry]);
  }
  return t;
}

// The tables, built by the first newStemmer call rather than on import.
let dMain: Table; // Danish main_suffix; "s" only after a valid s-ending
let dPair: Table; // Danish consonant_pair
let dOther: Table; // Danish other_suffix
let eExc1: Table; // English exception1: whole words, stemmed as given (">": stem is the word itself)
let eExc2: Table; // English exception2: whole words left alone after Step 1a
let e1a: Table; // English Step 1a (the plural "s"): special cases in code
let e1b: Table; // English Step 1b: eed, eedly → ee (in R1); the others only after a vowel
let e2: Table; // English Step 2 (in R1); "ogi" only after "l", "li" only after a valid li-ending
let e3: Table; // English Step 3 (in R1); "ative" in R2 only
let e4: Table; // English Step 4 (in R2); "ion" only after "s" or "t"

function buildTables(): void {
  dMain = table(
    "hed ethed ered e erede ende erende ene erne ere en heden eren er heder erer s heds es " +
      "endes erendes enes ernes eres ens hedens erens ers ets erets et eret",
  );
  dPair = table("gd dt gt kt");
  dOther = table("ig lig elig els løst>løs");
  eExc1 = table(
    "skis>ski skies>sky dying>die lying>lie tying>tie idly>idl gently>gentl ugly>ugli " +
      "early>earli only>onli singly>singl sky news howe atlas cosmos bias andes",
  );
  eExc2 = table("succeed proceed exceed canning inning earring herring outing");
  e1a = table("sses ied ies s ss us");
  e1b = table("eed>ee eedly>ee ed ing edly ingly");
  e2 = table(
    "anci>ance enci>ence ogi>og li bli>ble abli>able alli>al fulli>ful lessli>less ousli>ous " +
      "entli>ent aliti>al biliti>ble iviti>ive tional>tion ational>ate alism>al ation>ate " +
      "ization>ize izer>ize ator>ate iveness>ive fulness>ful ousness>ous",
  );
  e3 = table("icate>ic ative alize>al iciti>ic ical>ic tional>tion ational>ate ful ness");
  e4 = table("ic ance ence able ible ate ive ize iti al ism ion er ous ant ent ment ement");
}

/** The word being stemmed (stemming is synchronous, so one module-wide word is enough). */
let s = "";
/** Where the suffix found by the last `find` starts. */
let at = 0;
/** Start of the regions R1 and R2 (absolute indexes into the word as it was when they were marked). */
let p1 = 0;
let p2 = 0;

const NONE: Entry[] = [];

/**
 * The entry whose suffix ends the word and starts at `min` or later, the longest if several do (as
 * Snowball's `among` picks); sets `at` to where it starts.
 */
function find(t: Table, min = 0): Entry | undefined {
  let found: Entry | undefined;
  let start = s.length + 1;
  for (const entry of t.get(s.slice(-1)) ?? NONE) {
    const i = s.length - entry[0].length;
    if (i >= min && i < start && s.endsWith(entry[0])) {
      found = entry;
      start = i;
    }
  }
  at = start;
  return found;
}

/** Replaces the suffix found by the last `find` (and everything after it). */
function put(replacement = ""): void {
  s = s.slice(0, at) + replacement;
}

/** Whether the word has a letter at `i` and it is one of `letters` (Snowball's in_grouping). */
function isIn(letters: string, i: number): boolean {
  const c = s[i];
  return c !== undefined && letters.includes(c);
}

/** Whether the word has a letter at `i` and it is not one of `letters` (out_grouping). */
function isOut(letters: string, i: number): boolean {
  const c = s[i];
  return c !== undefined && !letters.includes(c);
}

/** The end of the first vowel + non-vowel from `i` on (where R1 or R2 starts), else the word's length. */
function region(vowels: string, i: number): number {
  while (i < s.length && !vowels.includes(s.charAt(i))) i++;
  while (++i < s.length) if (!vowels.includes(s.charAt(i))) return i + 1;
  return s.length;
}

const DA_VOWELS = "aeiouyæåø";
const DA_S_ENDING = "abcdfghjklmnoprtvyzå";

/** Danish consonant_pair: "gd", "dt", "gt", "kt" in R1 lose their last letter. */
function consonantPair(): void {
  if (find(dPair, p1)) s = s.slice(0, -1);
}

function danish(): void {
  // mark_regions: R1 starts after the first vowel + non-vowel, and at 3 or later.
  p1 = s.length < 3 ? s.length : Math.max(3, region(DA_VOWELS, 0));
  // main_suffix: the longest suffix in R1 goes ("s" only after a valid s-ending)
  const main = find(dMain, p1);
  if (main && (main[0] !== "s" || isIn(DA_S_ENDING, at - 1))) put("");
  consonantPair();
  // other_suffix: "igst" → "ig" anywhere, then the suffixes in R1
  if (s.endsWith("igst")) s = s.slice(0, -2);
  const other = find(dOther, p1);
  if (other) {
    put(other[1]);
    if (!other[1]) consonantPair();
  }
  // undouble: a doubled non-vowel ending R1 loses one letter
  const last = s.length - 1;
  if (last >= p1 && isOut(DA_VOWELS, last) && s[last - 1] === s[last]) s = s.slice(0, last);
}

const EN_VOWELS = "aeiouy";

/** English shortv on the word's first `n` letters: they end in a short syllable. */
function shortSyllable(n: number): boolean {
  return n >= 3
    ? isOut("Yaeiouwxy", n - 1) && isIn(EN_VOWELS, n - 2) && isOut(EN_VOWELS, n - 3)
    : n === 2 && isOut(EN_VOWELS, 1) && isIn(EN_VOWELS, 0);
}

/** Whether one of the word's first `n` letters is a vowel. */
function vowelBefore(n: number): boolean {
  for (let i = 0; i < n; i++) if (EN_VOWELS.includes(s.charAt(i))) return true;
  return false;
}

function english(): void {
  const exception = find(eExc1);
  if (exception && at === 0) {
    s = exception[1] || s;
    return;
  }
  if (s.length < 3) return;
  // prelude: drop a leading apostrophe; an initial "y", and a "y" after a vowel, become "Y"
  if (s.startsWith("'")) s = s.slice(1);
  let yFound = s.startsWith("y");
  if (yFound) s = `Y${s.slice(1)}`;
  if (s.includes("y", 1) && /[aeiouy]y/.test(s)) {
    yFound = true;
    s = s.replace(/([aeiouy])y/g, "$1Y");
  }
  // mark_regions
  p1 = /^(?:gener|commun|arsen)/.exec(s)?.[0].length ?? region(EN_VOWELS, 0);
  p2 = region(EN_VOWELS, p1);
  // Step 1a: the longest possessive ending of "'s'", "'s", "'"; then "sses" → "ss", "ied"/"ies" → "i"
  // (or "ie" in a word of 4 letters or less), and a plural "s" goes if a vowel comes before the
  // letter before it ("ss" and "us" stay)
  s = s.replace(/'(?:s'?)?$/, "");
  const plural = find(e1a)?.[0];
  if (plural === "sses") put("ss");
  else if (plural === "ied" || plural === "ies") put(at > 1 ? "i" : "ie");
  else if (plural === "s" && at > 0 && vowelBefore(at - 1)) put("");
  if (!(find(eExc2) && at === 0)) {
    // Step 1b: "eed", "eedly" → "ee" in R1; "ed", "ing", "edly", "ingly" go if a vowel comes before
    // them, then "at", "bl", "iz" get an "e", a double consonant is undoubled, or a short word gets an "e"
    const ed = find(e1b);
    if (ed?.[1]) {
      if (at >= p1) put(ed[1]);
    } else if (ed && vowelBefore(at)) {
      put("");
      if (/(?:at|bl|iz)$/.test(s)) s += "e";
      else if (/([bdfgmnprt])\1$/.test(s)) s = s.slice(0, -1);
      else if (s.length === p1 && shortSyllable(s.length)) s += "e";
    }
    // Step 1c: a final "y" after a non-vowel (not the first letter) becomes "i"
    let last = s.length - 1;
    if (last > 1 && (s[last] === "y" || s[last] === "Y") && isOut(EN_VOWELS, last - 1))
      s = `${s.slice(0, last)}i`;
    // Step 2
    const step2 = find(e2);
    if (
      step2 &&
      at >= p1 &&
      (step2[0] === "ogi" ? s[at - 1] === "l" : step2[0] !== "li" || isIn("cdeghkmnrt", at - 1))
    ) {
      put(step2[1]);
    }
    // Step 3
    const step3 = find(e3);
    if (step3 && at >= p1 && (step3[0] !== "ative" || at >= p2)) put(step3[1]);
    // Step 4
    const step4 = find(e4);
    if (step4 && at >= p2 && (step4[0] !== "ion" || isIn("st", at - 1))) put("");
    // Step 5: a final "e" in R2, or in R1 after no short syllable; a final "l" after "l" in R2
    last = s.length - 1;
    if (
      s[last] === "e"
        ? last >= p2 || (last >= p1 && !shortSyllable(last))
        : s[last] === "l" && last >= p2 && s[last - 1] === "l"
    ) {
      s = s.slice(0, last);
    }
  }
  // postlude
  if (yFound) s = s.replaceAll("Y", "y");
}

/** A stemmer for "danish" or "english". */
export function newStemmer(language: "danish" | "english"): Stemmer {
  const run = { danish, english }[language];
  if (!run) throw new Error(`No Snowball stemmer for ${language}`);
  if (!dMain) buildTables();
  return {
    stem(word: string): string {
      s = word;
      run();
      return s;
    },
  };
}
