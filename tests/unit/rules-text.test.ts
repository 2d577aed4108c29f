import { describe, expect, it } from "vitest";
import { fold, normalise, parsePhrase, tokenise, wordKeys } from "#shared/rules/text.ts";

describe("normalise and fold", () => {
  it("lowercases, applies NFKC and plain apostrophes", () => {
    expect(normalise("DON’T Ｆｉｎｄ")).toBe("don't find");
    expect(normalise("ﬁnansiering")).toBe("finansiering");
  });

  it("folds æ ø å to ae oe aa and strips other accents", () => {
    expect(fold("æøå")).toBe("aeoeaa");
    expect(fold("århus")).toBe(fold("aarhus"));
    expect(fold("café")).toBe("cafe");
    expect(fold("plain")).toBe("plain");
  });
});

describe("wordKeys", () => {
  it("gives the folded surface form and the Danish and English stems", () => {
    expect(wordKeys("medarbejderne")).toContain("medarbejd");
    expect(wordKeys("hiring")).toContain("hire");
    expect(wordKeys("ansætte")[0]).toBe("ansaette");
  });

  it("has no duplicates", () => {
    const keys = wordKeys("eksport");
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe("tokenise", () => {
  const texts = (s: string) => tokenise(s).map((t) => t.text);

  it("splits words, keeping apostrophes inside words", () => {
    expect(texts("We don't need it, really.")).toEqual(["we", "don't", "need", "it", "really"]);
  });

  it("splits hyphenated words into parts and gives the last part the joined form", () => {
    const tokens = tokenise("kursus i TIG-svejsning");
    expect(tokens.map((t) => t.text)).toEqual(["kursus", "i", "tig", "svejsning"]);
    expect(tokens[3]?.joined).toBe("tigsvejsning");
    expect(tokens[2]?.joined).toBeUndefined();
  });

  it("numbers clauses at . ! ? ; dashes and men/but, which are not tokens", () => {
    const tokens = tokenise("a. b! c? d; e men f but g – h - i\nj");
    expect(tokens.map((t) => t.text)).toEqual(["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]);
    expect(tokens.map((t) => t.clause)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("goes on with the clause after men/but when a pronoun and a verb comment on it", () => {
    const clauses = (text: string) => tokenise(text).map((t) => `${t.text}:${t.clause}`);
    expect(clauses("folk, men det haster ikke")).toEqual(["folk:0", "det:0", "haster:0", "ikke:0"]);
    expect(clauses("helpers, but that is secondary")).toEqual(["helpers:0", "that:0", "is:0", "secondary:0"]);
    expect(clauses("staff but it's not urgent")).toEqual(["staff:0", "it's:0", "not:0", "urgent:0"]);
    // A new statement after men/but still starts a clause, with or without a pronoun.
    expect(clauses("kurser, men det vi mangler")).toEqual(["kurser:0", "det:1", "vi:1", "mangler:1"]);
    expect(clauses("kurser, men mangler folk")).toEqual(["kurser:0", "mangler:1", "folk:1"]);
    expect(clauses("a but that")).toEqual(["a:0", "that:1"]);
    expect(clauses("a men, det er")).toEqual(["a:0", "det:1", "er:1"]);
  });

  it("ends a clause at a comma followed by og/and/så/while, not at a comma alone", () => {
    const clauses = (text: string) => tokenise(text).map((t) => t.clause);
    // "skal bruge 10 mand mere, og de skal have et kursus" is two statements
    expect(clauses("mand mere, og de kursus")).toEqual([0, 0, 1, 1, 1]);
    expect(clauses("a course, and we need")).toEqual([0, 0, 1, 1, 1]);
    expect(clauses("i god tid, så de kan")).toEqual([0, 0, 0, 1, 1, 1]);
    // a relative clause or a list is not a new statement; "og" without a comma neither
    expect(clauses("en tømrer, der kan")).toEqual([0, 0, 0, 0]);
    expect(clauses("smede og svejsere")).toEqual([0, 0, 0]);
    expect(clauses("3,5 og 4")).toEqual([0, 0, 0, 0]);
    // the comma must be directly before the conjunction
    expect(clauses("a, b og c")).toEqual([0, 0, 0, 0]);
  });

  it("does not end a clause at an abbreviation's or a number's inner full stop", () => {
    const tokens = tokenise("f.eks 3.5 kurser");
    expect(new Set(tokens.map((t) => t.clause)).size).toBe(1);
  });

  it("keeps non-Latin letters and digits in words", () => {
    expect(texts("Ελλάδα 2025 łódź")).toEqual(["ελλάδα", "2025", "łódź"]);
  });
});

describe("parsePhrase", () => {
  it("parses words and wildcards", () => {
    expect(parsePhrase("*kursus")).toEqual([{ word: "kursus", match: "endsWith" }]);
    expect(parsePhrase("eksport*")).toEqual([{ word: "eksport", match: "startsWith" }]);
    expect(parsePhrase("*tek*")).toEqual([{ word: "tek", match: "contains" }]);
    expect(parsePhrase("Mangler  medarbejdere")).toEqual([
      { word: "mangler", match: "exact" },
      { word: "medarbejdere", match: "exact" },
    ]);
  });

  it("splits a hyphenated phrase word like the text", () => {
    expect(parsePhrase("TIG-svejsning")).toEqual([
      { word: "tig", match: "exact" },
      { word: "svejsning", match: "exact" },
    ]);
  });

  it("returns a message for what is not a word", () => {
    expect(parsePhrase("")).toBeTypeOf("string");
    expect(parsePhrase("*")).toBeTypeOf("string");
    expect(parsePhrase("kur*sus")).toBeTypeOf("string");
    expect(parsePhrase("hello!")).toBeTypeOf("string");
  });
});
