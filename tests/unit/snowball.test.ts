/**
 * shared/rules/snowball.ts is a compact rewrite of the Danish and English stemmers of the npm
 * package snowball-stemmers 0.6.0 (a devDependency, for this test only): it must give exactly the
 * package's stems. Compared on every word of the repo's text data, on hand-picked tricky words, and
 * on random strings (fast-check).
 */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { newStemmer } from "#shared/rules/snowball.ts";

interface PackageStemmer {
  stem(word: string): string;
}
/** The original package: CommonJS (UMD), without types. */
const original = createRequire(import.meta.url)("snowball-stemmers") as {
  newStemmer(language: string): PackageStemmer;
};

const LANGUAGES = ["danish", "english"] as const;

/** The words whose stems differ between the package and the rewrite, as "word: package ≠ ours". */
function differences(language: (typeof LANGUAGES)[number], words: Iterable<string>): string[] {
  const theirs = original.newStemmer(language);
  const ours = newStemmer(language);
  const out: string[] = [];
  for (const word of words) {
    const expected = theirs.stem(word);
    const actual = ours.stem(word);
    if (actual !== expected) out.push(`${JSON.stringify(word)}: ${expected} ≠ ${actual}`);
  }
  return out;
}

/** Every distinct word (lowercased, split on non-letters) in the repo's text data. */
function corpus(): Set<string> {
  const root = new URL("../../", import.meta.url);
  const dirFiles = (dir: string, ext: RegExp) =>
    readdirSync(new URL(dir, root))
      .filter((name) => ext.test(name))
      .map((name) => `${dir}${name}`);
  const files = [
    ...dirFiles("tests/fixtures/", /\.(jsonl|json|md)$/), // the sample and hold-out requests
    ...dirFiles("shared/rules/", /\.json$/), // the default rule set
    ...dirFiles("shared/reference/", /\.ts$/), // consortia, municipalities
  ];
  const words = new Set<string>();
  for (const file of files) {
    for (const word of readFileSync(new URL(file, root), "utf8")
      .toLowerCase()
      .split(/\P{L}+/u)) {
      words.add(word);
    }
  }
  return words;
}

const TRICKY = [
  "",
  "a",
  "i",
  "å",
  "ø",
  "æ",
  "y",
  "ys",
  "yy",
  "at",
  "is",
  "us",
  "ss",
  "'",
  "'s",
  "'s'",
  "it's",
  "dogs'",
  "boss's'",
  "jamess'",
  "news",
  "skies",
  "skis",
  "sky",
  "dying",
  "lying",
  "tying",
  "idly",
  "gently",
  "ugly",
  "early",
  "only",
  "singly",
  "andes",
  "atlas",
  "bias",
  "cosmos",
  "howe",
  "succeed",
  "proceed",
  "exceed",
  "canning",
  "inning",
  "earring",
  "herring",
  "outing",
  "generously",
  "generous",
  "general",
  "communication",
  "community",
  "arsenal",
  "arsenic",
  "relational",
  "conditional",
  "rational",
  "national",
  "sensational",
  "operational",
  "hopping",
  "hoping",
  "filing",
  "filling",
  "hopeful",
  "happily",
  "quickly",
  "lovely",
  "cries",
  "ties",
  "flies",
  "caresses",
  "ponies",
  "cats",
  "gas",
  "this",
  "kiwis",
  "agreed",
  "feed",
  "bled",
  "sing",
  "luxuriating",
  "hopefulness",
  "goodness",
  "formality",
  "sensibility",
  "electrical",
  "adjustment",
  "adoption",
  "controll",
  "roll",
  "rate",
  "cease",
  "yes",
  "say",
  "boy",
  "toy",
  "cry",
  "by",
  "sayings",
  "ayyy",
  "yyy",
  "youth",
  "beyond",
  "résumé",
  "café",
  "naïve",
  "über",
  "hed",
  "heds",
  "hedens",
  "frihed",
  "friheden",
  "frihedens",
  "medarbejder",
  "medarbejdere",
  "medarbejderne",
  "medarbejdernes",
  "erende",
  "erendes",
  "ende",
  "endes",
  "kommende",
  "forstås",
  "opnås",
  "ansættelse",
  "ansætte",
  "ansættelser",
  "ansættelserne",
  "løst",
  "løsning",
  "løsningerne",
  "kærlighed",
  "kærligheden",
  "lykkeligst",
  "venligst",
  "hurtigst",
  "billigst",
  "elskelig",
  "elskeligt",
  "kvindelig",
  "rådgivning",
  "rådgivningen",
  "søgte",
  "søgt",
  "byggeri",
  "kokke",
  "tømrer",
  "tømrere",
  "tømrerne",
  "ægteskab",
  "øvelse",
  "åbne",
  "åbningstider",
  "aabne",
  "bedst",
  "vejledt",
  "sagde",
  "mand",
  "mænd",
  "oppe",
  "alle",
  "ellers",
  "hjemmeside",
  "virksomhedernes",
  "virksomhed",
  "virksomheder",
  "kompetenceudvikling",
  "uddannelse",
  "uddannelserne",
];

/** The suffixes and exceptional words of both stemmers, and some prefixes and endings they test. */
const SUFFIXES = (
  "hed ethed ered e erede ende erende ene erne ere en heden eren er heder erer s heds es endes erendes " +
  "enes ernes eres ens hedens erens ers ets erets et eret gd dt gt kt ig lig elig els løst igst st " +
  "skis skies dying lying tying idly gently ugly early only singly sky news howe atlas cosmos bias andes " +
  "succeed proceed exceed canning inning earring herring outing sses ied ies ss us ' 's 's' eed eedly " +
  "ed ing edly ingly bb dd ff gg mm nn pp rr tt at bl iz y yy anci enci ogi logi li bli abli alli fulli " +
  "lessli ousli entli aliti biliti iviti tional ational alism ation ization izer ator iveness fulness " +
  "ousness icate ative alize iciti ical ful ness ic ance ence able ible ate ive ize iti al ism ion sion " +
  "tion er ous ant ent ment ement l ll gener commun arsen ås ys ks ts ws"
).split(" ");

describe("the compact Snowball stemmers give exactly the package's stems", () => {
  const words = corpus();

  it("reads the repo's text data", () => {
    expect(words.size).toBeGreaterThan(2000);
  });

  for (const language of LANGUAGES) {
    it(`${language}: every word of the repo's text data`, () => {
      expect(differences(language, words)).toEqual([]);
    });

    it(`${language}: tricky words`, () => {
      expect(differences(language, TRICKY)).toEqual([]);
    });

    it(`${language}: random strings`, () => {
      const letter = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzæøåéüäö'-Y1 ");
      const theirs = original.newStemmer(language);
      const ours = newStemmer(language);
      fc.assert(
        fc.property(
          fc.string({ unit: letter, maxLength: 20 }),
          (word) => ours.stem(word) === theirs.stem(word),
        ),
        { numRuns: 5000 },
      );
    });

    it(`${language}: random stems with real suffixes`, () => {
      const letter = fc.constantFrom(..."abcdefgiklmnoprstuvyæøå'Y");
      const suffix = fc.constantFrom(...SUFFIXES);
      const word = fc
        .tuple(fc.string({ unit: letter, maxLength: 6 }), fc.array(suffix, { minLength: 1, maxLength: 3 }))
        .map(([stem, suffixes]) => stem + suffixes.join(""));
      const theirs = original.newStemmer(language);
      const ours = newStemmer(language);
      fc.assert(
        fc.property(word, (w) => ours.stem(w) === theirs.stem(w)),
        { numRuns: 5000 },
      );
    });
  }
});
