import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "#shared/rules/engine.ts";
import { type WordMatch, wordKeys } from "#shared/rules/text.ts";
import { classify, input, oneRule, ruleSet, text } from "./rules-helpers.ts";

/**
 * The engine's shortcuts against the plain definitions they replace: wildcards looked up by a
 * token's prefixes and suffixes instead of tried one by one, a longer phrase tried once per start,
 * and the two-part token cache.
 */

/** The definition of a phrase word matching a (normalised) token, tried pair by pair. */
function matchesByDefinition(match: WordMatch, word: string, token: string): boolean {
  const atomKeys = wordKeys(word);
  const tokenKeys = wordKeys(token);
  const atom = atomKeys[0] ?? "";
  const surface = tokenKeys[0] ?? "";
  switch (match) {
    case "exact":
      return tokenKeys.some((k) => atomKeys.includes(k));
    case "startsWith":
      return surface.startsWith(atom);
    case "contains":
      return surface.includes(atom);
    case "endsWith":
      // "*kurser" matches "sikkerhedskurserne" by stem: a stem of 4+ letters after a compound of 4+
      return (
        surface.endsWith(atom) ||
        tokenKeys.some((tk) =>
          atomKeys.some((ak) => ak.length >= 4 && tk.length - ak.length >= 4 && tk.endsWith(ak)),
        )
      );
  }
}

const PATTERN: Record<WordMatch, (w: string) => string> = {
  exact: (w) => w,
  startsWith: (w) => `${w}*`,
  endsWith: (w) => `*${w}`,
  contains: (w) => `*${w}*`,
};

// Words from a few syllables and Danish endings, so that prefixes, suffixes and stems often meet.
const syllable = fc.constantFrom(
  "kur",
  "sus",
  "ser",
  "ene",
  "sik",
  "ker",
  "hed",
  "ansæt",
  "te",
  "lære",
  "ling",
  "ø",
  "å",
);
const ending = fc.constantFrom("", "", "er", "erne", "en", "s", "ing");
const word = fc
  .tuple(fc.array(syllable, { minLength: 1, maxLength: 4 }), ending)
  .map(([parts, end]) => parts.join("") + end);
// A token is mostly made from a phrase word, often as a compound: a front of 3 or 4 letters is just
// too short or long enough for a stem match ("*kurser" and "datakurserne", not "bilkurserne").
const tokenSpec = fc.tuple(
  fc.nat(),
  fc.constantFrom("", "", "bil", "data", "kran", "sikkerheds"),
  ending,
  fc.option(word, { freq: 4 }),
);
const phrase = fc.tuple(fc.constantFrom<WordMatch>("exact", "startsWith", "endsWith", "contains"), word);

describe("word matching", () => {
  it("finds exactly the phrase words that match a token by definition", () => {
    fc.assert(
      fc.property(
        fc.array(phrase, { minLength: 1, maxLength: 25 }),
        fc.array(tokenSpec, { minLength: 1, maxLength: 8 }),
        (phrases, specs) => {
          const rules = phrases.map(([match, w], i) => ({
            id: `p${i}`,
            need: "growth" as const,
            weight: 1,
            when: text(PATTERN[match](w)),
          }));
          const compiled = compile(ruleSet(rules), 1);
          const tokens = specs.map(
            ([i, front, end, other]) => front + (other ?? phrases[i % phrases.length]?.[1]) + end,
          );
          for (const token of tokens) {
            const fired = classify(compiled, input(token)).firedRules.map((r) => r.ruleId);
            const expected = phrases
              .map(([match, w], i) => (matchesByDefinition(match, w, token) ? `p${i}` : null))
              .filter((id) => id !== null);
            expect(fired).toEqual(expected);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("longer phrases", () => {
  const phrases = text("alpha beta gamma", "alpha gamma", "beta delta");
  const details = (description: string) =>
    classify(compile(oneRule(phrases), 1), input(description)).firedRules.flatMap((r) =>
      r.matched.map((m) => m.detail),
    );

  it("are tried once per start, where the second word first follows", () => {
    expect(details("alpha beta beta gamma")).toEqual([`'alpha beta gamma' ← "alpha beta gamma"`]);
    // tried (and failed) at the first "beta"; not tried again at the second, which gamma would follow
    expect(details("alpha beta beta delta gamma")).toEqual([`'beta delta' ← "beta delta"`]);
    expect(details("alpha alpha beta gamma")).toEqual([
      `'alpha beta gamma' ← "alpha beta gamma"`,
      `'alpha gamma' ← "alpha gamma"`,
    ]);
  });
});

describe("token cache", () => {
  const compiled = compile(
    ruleSet([
      { id: "g", need: "growth", weight: 2, when: text("eksport*", "*marked") },
      { id: "r", need: "recruitment", weight: 2, when: text("mangler folk", "ansætte") },
    ]),
    1,
  );
  const requests = ["vi vil eksportere til nye markeder", "vi mangler ikke folk", "ansættelse af en smed"];

  it("gives the same results before and after it fills with one-off and repeated words", () => {
    const before = requests.map((r) => classify(compiled, input(r)));
    // One-off words overflow the part for words seen once; words seen twice move to the other part.
    for (let i = 0; i < 12_000; i += 100) {
      const words = Array.from({ length: 100 }, (_, k) => `ord${(i + k).toString(36)}`).join(" ");
      classify(compiled, input(`${words} eksport`));
      if (i % 2000 === 0) classify(compiled, input(words));
    }
    expect(requests.map((r) => classify(compiled, input(r)))).toEqual(before);
  });
});

describe("the analysed request", () => {
  it("is made from the input's values at the time: an input object changed since is analysed anew", () => {
    const compiled = compile(oneRule(text("kokke")), 1);
    const request = input("Vi søger to kokke.");
    const first = compiled.analyse(request);
    expect(compiled.classify(first).needs).toEqual(["recruitment"]);
    request.description = "Vi vil gerne vokse i udlandet.";
    expect(classify(compiled, request).needs).toEqual([]);
    expect(compiled.classify(first).needs).toEqual(["recruitment"]);
    request.description = "Vi søger to kokke.";
    expect(classify(compiled, request).needs).toEqual(["recruitment"]);
  });
});
