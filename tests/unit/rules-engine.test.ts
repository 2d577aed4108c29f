import { describe, expect, it } from "vitest";
import { type Classification, compile } from "#shared/rules/engine.ts";
import type { Condition } from "#shared/rules/ruleset-schema.ts";
import { classify, input, matchOverride, NEGATION, oneRule, ruleSet, text } from "./rules-helpers.ts";

/** Whether a one-rule set's condition holds for the input. */
function holds(when: Condition, description: string, extra: Parameters<typeof input>[1] = {}): boolean {
  return classify(compile(oneRule(when), 1), input(description, extra)).needs.includes("recruitment");
}

function details(c: Classification): string[] {
  return c.firedRules.flatMap((r) => r.matched.map((m) => m.detail));
}

describe("field conditions", () => {
  const employees = (op: "gte" | "lte" | "eq", value: number): Condition => ({
    type: "field",
    field: "employees",
    op,
    value,
  });

  it("compares employees with gte, lte, eq and between", () => {
    expect(holds(employees("gte", 50), "", { employees: 50 })).toBe(true);
    expect(holds(employees("gte", 50), "", { employees: 49 })).toBe(false);
    expect(holds(employees("lte", 10), "", { employees: 10 })).toBe(true);
    expect(holds(employees("lte", 10), "", { employees: 11 })).toBe(false);
    expect(holds(employees("eq", 7), "", { employees: 7 })).toBe(true);
    expect(holds(employees("eq", 7), "", { employees: 8 })).toBe(false);
    const between: Condition = { type: "field", field: "employees", op: "between", value: [10, 49] };
    expect(holds(between, "", { employees: 10 })).toBe(true);
    expect(holds(between, "", { employees: 49 })).toBe(true);
    expect(holds(between, "", { employees: 50 })).toBe(false);
  });

  it("never holds for employees when the number is not given", () => {
    expect(holds(employees("lte", 1000), "")).toBe(false);
  });

  it("tests the municipality code with in", () => {
    const fyn: Condition = { type: "field", field: "municipalityCode", op: "in", value: ["461", "479"] };
    expect(holds(fyn, "", { municipalityCode: "461" })).toBe(true);
    expect(holds(fyn, "", { municipalityCode: "101" })).toBe(false);
  });

  it("matches industry words like text, wildcards and inflections included", () => {
    const building: Condition = {
      type: "field",
      field: "industry",
      op: "containsAny",
      value: ["bygge*", "tømrer"],
    };
    expect(holds(building, "", { industry: "Byggeri og anlæg" })).toBe(true);
    expect(holds(building, "", { industry: "Tømrere" })).toBe(true);
    expect(holds(building, "", { industry: "Restauration" })).toBe(false);
    expect(holds(building, "")).toBe(false);
  });

  it("explains field matches with the tested value", () => {
    const c = classify(compile(oneRule(employees("gte", 50)), 1), input("", { employees: 120 }));
    expect(details(c)).toEqual(["employees >= 50 ← 120"]);
  });
});

describe("need hints", () => {
  it("holds when the company ticked the need", () => {
    const hint: Condition = { type: "needHint", need: "growth" };
    expect(holds(hint, "", { needHints: ["growth"] })).toBe(true);
    expect(holds(hint, "", { needHints: ["upskilling"] })).toBe(false);
  });
});

describe("combinators", () => {
  const a = text("alpha");
  const b = text("beta");

  it("all needs every condition", () => {
    expect(holds({ type: "all", of: [a, b] }, "alpha beta")).toBe(true);
    expect(holds({ type: "all", of: [a, b] }, "alpha")).toBe(false);
  });

  it("any needs one condition and explains every branch that matched", () => {
    expect(holds({ type: "any", of: [a, b] }, "beta")).toBe(true);
    expect(holds({ type: "any", of: [a, b] }, "gamma")).toBe(false);
    const c = classify(compile(oneRule({ type: "any", of: [a, b] }), 1), input("alpha and beta"));
    expect(details(c)).toEqual([`'alpha' ← "alpha"`, `'beta' ← "beta"`]);
  });

  it("not inverts, and nests", () => {
    expect(holds({ type: "not", condition: a }, "beta")).toBe(true);
    expect(holds({ type: "not", condition: a }, "alpha")).toBe(false);
    const nested: Condition = { type: "all", of: [a, { type: "not", condition: { type: "any", of: [b] } }] };
    expect(holds(nested, "alpha")).toBe(true);
    expect(holds(nested, "alpha beta")).toBe(false);
  });
});

describe("text matching", () => {
  it("matches *word as a compound's end and word* as a prefix", () => {
    expect(holds(text("*kursus"), "Vi ønsker et svejsekursus")).toBe(true);
    expect(holds(text("*kursus"), "Et kursus")).toBe(true);
    expect(holds(text("eksport*"), "nye eksportmarkeder")).toBe(true);
    expect(holds(text("eksport*"), "reeksport")).toBe(false);
    expect(holds(text("*tek*"), "bioteknologi")).toBe(true);
  });

  it("matches an inflected compound end by stem, but not a short look-alike", () => {
    expect(holds(text("*kurser"), "sikkerhedskurserne")).toBe(true);
    expect(holds(text("*kurser"), "konkurs")).toBe(false);
  });

  it("folds æ ø å so 'aa' spelling and missing Danish letters still match", () => {
    expect(holds(text("rådgivning"), "Vi vil gerne have raadgivning")).toBe(true);
    expect(holds(text("aarhus"), "i Århus")).toBe(true);
    expect(holds(text("ansætte"), "vi skal ansaette to")).toBe(true);
    expect(holds(text("*lærling"), "en murerlaerling")).toBe(true);
  });

  it("matches inflections through the Danish stem", () => {
    for (const form of ["medarbejder", "medarbejdere", "medarbejderne", "medarbejdernes"])
      expect(holds(text("medarbejdere"), `vi har ${form}`), form).toBe(true);
    for (const form of ["kursus", "kurser", "kurserne", "kurset"])
      expect(holds(text("kursus", "kurser"), `et ${form}`), form).toBe(true);
  });

  it("matches inflections through the English stem", () => {
    for (const form of ["hire", "hiring", "hired", "hires"])
      expect(holds(text("hire"), `we are ${form}`), form).toBe(true);
    expect(holds(text("hire"), "we are hiking")).toBe(false);
  });

  it("is case-insensitive and matches across NFKC forms", () => {
    expect(holds(text("AMU"), "et amu-kursus")).toBe(true);
    expect(holds(text("finansiering"), "ﬁnansiering")).toBe(true);
  });

  it("matches hyphenated words by parts and joined", () => {
    expect(holds(text("tigsvejsning"), "kursus i TIG-svejsning")).toBe(true);
    expect(holds(text("TIG-svejsning"), "kursus i TIG-svejsning")).toBe(true);
    expect(holds(text("svejsning"), "kursus i TIG-svejsning")).toBe(true);
  });

  it("matches phrase words in order, with at most one word between, in one clause", () => {
    const phrase = text("mangler medarbejdere");
    expect(holds(phrase, "vi mangler medarbejdere")).toBe(true);
    expect(holds(phrase, "vi mangler flere medarbejdere")).toBe(true);
    expect(holds(phrase, "vi mangler 6 nye medarbejdere")).toBe(false);
    expect(holds(phrase, "medarbejdere mangler")).toBe(false);
    expect(holds(phrase, "vi mangler. Medarbejdere er glade")).toBe(false);
  });

  it("does not match a compound end by a short stem", () => {
    // "*maler" stems to "mal", which "normale" ends with; "*købere" to "køb", as in "materialekøb"
    expect(holds(text("*maler"), "helt normale forhold")).toBe(false);
    expect(holds(text("*maler"), "vi søger en bygningsmaler")).toBe(true);
    expect(holds(text("*murere"), "en brandmur")).toBe(false);
  });

  it("finds a longer phrase where its second word first follows, also among many phrases", () => {
    const phrases = text("mangler kompetencer", "mangler viden", "mangler folk", "mangler nye folk");
    expect(holds(phrases, "vi mangler gode folk")).toBe(true);
    expect(holds(phrases, "vi mangler nye folk nu")).toBe(true);
    expect(holds(text("mangler nye folk"), "vi mangler nye og unge folk")).toBe(false);
    expect(holds(phrases, "vi mangler ikke noget, folk har viden")).toBe(false);
    const c = classify(compile(oneRule(phrases), 1), input("mangler nye folk"));
    // the words that matched, not those skipped between them
    expect(details(c).sort()).toEqual([
      `'mangler folk' ← "mangler folk"`,
      `'mangler nye folk' ← "mangler nye folk"`,
    ]);
  });

  it("does not match inside other words", () => {
    expect(holds(text("elev"), "relevant")).toBe(false);
    expect(holds(text("kursus"), "kursussted")).toBe(false);
    expect(holds(text("no"), "nordic")).toBe(false);
  });
});

describe("negation", () => {
  it("ignores a match with a cue before it within the window, and reports it", () => {
    const c = classify(compile(oneRule(text("kurser")), 1), input("Vi har ikke brug for kurser"));
    expect(c.needs).toEqual([]);
    expect(c.negated).toEqual([{ ruleId: "r", phrase: "kurser", cue: "ikke" }]);
  });

  it("only looks window words back", () => {
    // window 4 in the test rule set: "ikke" is 5 words before "kurser"
    expect(holds(text("kurser"), "vi har ikke lige nu brug for kurser")).toBe(true);
    expect(holds(text("kurser"), "vi har ikke brug for kurser")).toBe(false);
  });

  it("stops at the end of a clause, including men/but", () => {
    expect(holds(text("folk"), "vi har ikke brug for kurser, men mangler folk")).toBe(true);
    expect(holds(text("staff"), "We don't need courses. We need staff")).toBe(true);
    expect(holds(text("staff"), "no training but more staff")).toBe(true);
  });

  it("is undone by a neutraliser directly after the cue", () => {
    expect(holds(text("medarbejdere"), "vi kan ikke finde medarbejdere")).toBe(true);
    expect(holds(text("medarbejdere"), "vi har ikke nok medarbejdere")).toBe(true);
    expect(holds(text("staff"), "we can't find staff")).toBe(true);
    expect(holds(text("staff"), "we have not enough staff")).toBe(true);
    expect(holds(text("staff"), "we have no staff problems")).toBe(false);
  });

  it("counts an un-negated occurrence even after a negated one", () => {
    const c = classify(
      compile(oneRule(text("hænder")), 1),
      input("ikke flere hænder i dag, vi mangler hænder"),
    );
    expect(c.needs).toEqual(["recruitment"]);
    expect(c.negated).toEqual([]);
  });

  it("can be switched off per condition with negatable: false", () => {
    const when: Condition = { type: "text", anyOf: ["ansøgere"], negatable: false };
    expect(holds(when, "der kommer ingen ansøgere")).toBe(true);
  });

  it("recognises typographic apostrophes in cues", () => {
    expect(holds(text("hire"), "we don’t hire")).toBe(false);
  });
});

describe("negation over a list", () => {
  const set = (joiners?: string[]) =>
    compile(
      ruleSet([{ id: "g", need: "growth", weight: 2, when: text("funding") }], {
        language: { negation: { ...NEGATION, ...(joiners ? { joiners } : {}) } },
      }),
      1,
    );
  const text6 = "We are not looking for advice or funding";

  it("carries a negation over a list word to the next item", () => {
    expect(classify(set(), input(text6)).needs).toEqual(["growth"]); // 5 words on: past the window of 4
    const c = classify(set(["or", "eller"]), input(text6));
    expect(c.needs).toEqual([]);
    expect(c.negated).toEqual([{ ruleId: "g", phrase: "funding", cue: "not" }]);
    // Only within the cue's clause, and only from a list word within its reach.
    expect(classify(set(["or"]), input("We are not looking for advice. Or funding")).needs).toEqual([
      "growth",
    ]);
    expect(
      classify(set(["or"]), input("not a b c d e f or funding")).needs,
      "the list word is past the window",
    ).toEqual(["growth"]);
  });
});

describe("fallback rules", () => {
  const set = ruleSet([
    { id: "r", need: "recruitment", weight: 2, when: text("ansætte") },
    { id: "g-hint", need: "growth", weight: 1, when: { type: "needHint", need: "growth" } },
    { id: "g-alone", need: "growth", weight: 1, fallback: true, when: { type: "needHint", need: "growth" } },
  ]);
  const compiled = compile(set, 1);

  it("count only when no need applies without them", () => {
    const alone = classify(compiled, input("Se de afkrydsede felter.", { needHints: ["growth"] }));
    expect(alone.needs).toEqual(["growth"]);
    expect(alone.firedRules.map((r) => r.ruleId)).toEqual(["g-hint", "g-alone"]);
    const against = classify(compiled, input("Vi skal ansætte.", { needHints: ["growth"] }));
    expect(against.needs).toEqual(["recruitment"]);
    expect(against.scores.growth).toEqual({ raw: 1, score: 1 });
    expect(against.firedRules.map((r) => r.ruleId)).toEqual(["r", "g-hint"]);
  });
});

describe("sameClause", () => {
  const lack = text("mangler", "søger");
  const trade = text("tømrere", "smede");
  const sameClause = (...of: Condition[]): Condition => ({ type: "all", sameClause: true, of });

  it("needs the conditions in one clause, where plain all takes them anywhere", () => {
    expect(holds(sameClause(lack, trade), "Vi mangler to tømrere.")).toBe(true);
    expect(holds(sameClause(lack, trade), "Vi søger sparring. Tømrere har vi nok af.")).toBe(false);
    expect(holds({ type: "all", of: [lack, trade] }, "Vi søger sparring. Tømrere har vi nok af.")).toBe(true);
    expect(holds(sameClause(lack, trade), "Vi mangler, som sagt, tømrere")).toBe(true);
    expect(holds(sameClause(lack, trade), "Vi mangler smede, og vores tømrere er travle")).toBe(true);
    expect(holds(sameClause(lack, trade), "Vi mangler kunder, og vores tømrere er travle")).toBe(false);
  });

  it("applies a not to the same clause only", () => {
    const guarded = sameClause(lack, trade, { type: "not", condition: text("kursus") });
    expect(holds(guarded, "Vi søger et kursus til vores tømrere.")).toBe(false);
    expect(holds(guarded, "Vi søger tømrere. Senere et kursus.")).toBe(true);
    expect(holds(sameClause({ type: "not", condition: text("kursus") }), "kursus. andet")).toBe(true);
    expect(holds(sameClause({ type: "not", condition: text("kursus") }), "kursus")).toBe(false);
  });

  it("ignores negated matches within the clause, and reports them once", () => {
    const c = classify(
      compile(oneRule(sameClause(lack, trade)), 1),
      input("Vi mangler ikke tømrere. Smede har vi."),
    );
    expect(c.needs).toEqual([]);
    expect(holds(sameClause(lack, trade), "Vi mangler ikke tømrere. Vi har smede.")).toBe(false);
    expect(holds(sameClause(lack, trade), "Vi mangler ikke tømrere, men vi søger smede")).toBe(true);
    expect(holds(sameClause(lack, trade), "Ingen tømrere. Vi mangler smede.")).toBe(true);
    expect(c.negated).toEqual([{ ruleId: "r", phrase: "tømrere", cue: "ikke" }]);
    const first = classify(compile(oneRule(sameClause(trade, lack)), 1), input("ikke tømrere"));
    expect(first.negated).toEqual([{ ruleId: "r", phrase: "tømrere", cue: "ikke" }]);
  });

  it("explains the match with the words of the clause that holds", () => {
    const c = classify(
      compile(oneRule(sameClause(lack, trade)), 1),
      input("Vi søger rådgivning. Smede har vi. Vi mangler tømrere."),
    );
    expect(details(c)).toEqual([`'mangler' ← "mangler"`, `'tømrere' ← "tømrere"`]);
  });

  it("combines with any, nested all and fields inside the clause", () => {
    const nested = sameClause(
      { type: "any", of: [lack, text("brug for")] },
      { type: "all", of: [trade, { type: "field", field: "employees", op: "gte", value: 5 }] },
    );
    expect(holds(nested, "Vi har brug for smede", { employees: 10 })).toBe(true);
    expect(holds(nested, "Vi har brug for smede", { employees: 2 })).toBe(false);
    expect(holds(nested, "Vi har brug for hjælp. Smede", { employees: 10 })).toBe(false);
    expect(holds(sameClause(nested), "Vi har brug for smede", { employees: 10 })).toBe(true);
  });
});

describe("priority rules", () => {
  const set = ruleSet([
    { id: "r", need: "recruitment", weight: 2, when: text("ansætte") },
    { id: "u", need: "upskilling", weight: 2, when: text("kursus") },
    {
      id: "u-first",
      need: "upskilling",
      weight: 1,
      priority: true,
      when: { type: "all", sameClause: true, of: [text("først og fremmest"), text("kursus")] },
    },
    { id: "r-later", need: "recruitment", weight: -1, priority: true, when: text("senere") },
    { id: "g-first", need: "growth", weight: 5, priority: true, when: text("eksport") },
  ]);
  const compiled = compile(set, 1);

  it("picks the primary need among tied needs, and says so", () => {
    // Without a marker the tie falls to the default order: raw sums (equal here), then the need stated first.
    const plain = classify(compiled, input("Vi skal ansætte, og vi vil have et kursus."));
    expect(plain.primaryNeed).toBe("recruitment");
    expect(plain.tieBreak).toEqual({ by: "first", between: ["recruitment", "upskilling"] });
    const first = classify(compiled, input("Vi skal ansætte. Først og fremmest et kursus."));
    expect(first.needs).toEqual(["recruitment", "upskilling"]);
    expect(first.primaryNeed).toBe("upskilling");
    expect(first.tieBreak).toEqual({ by: "priority", between: ["recruitment", "upskilling"] });
    const later = classify(compiled, input("Senere ansætte, og et kursus"));
    expect(later.primaryNeed).toBe("upskilling");
    expect(later.tieBreak?.by).toBe("priority");
  });

  it("explains no tie-break when one need leads on its own", () => {
    expect(classify(compiled, input("Vi skal ansætte.")).tieBreak).toBeUndefined();
  });

  it("never makes a need apply or stop applying, and leaves its score alone", () => {
    const c = classify(compiled, input("eksport; ansætte senere"));
    expect(c.needs).toEqual(["recruitment"]);
    expect(c.primaryNeed).toBe("recruitment");
    expect(c.scores.growth).toEqual({ raw: 0, score: 0 });
    expect(c.scores.recruitment).toEqual({ raw: 2, score: 2 });
  });

  it("is marked as priority in the explanation", () => {
    const c = classify(compiled, input("ansætte senere"));
    expect(c.firedRules.map((r) => [r.ruleId, r.weight, r.priority])).toEqual([
      ["r", 2, undefined],
      ["r-later", -1, true],
    ]);
  });
});

describe("shared word lists", () => {
  it("lets several rules use the same phrases", () => {
    const list = ["eksport", "*eksport", "eksport*"];
    const set = ruleSet([
      { id: "a", need: "growth", weight: 1, when: text(...list) },
      { id: "b", need: "growth", weight: 1, when: text(...[...list].reverse()) },
      { id: "c", need: "growth", weight: 1, when: { type: "not", condition: text(...list) } },
    ]);
    const c = classify(compile(set, 1), input("eksportstrategi"));
    expect(c.firedRules.map((r) => r.ruleId)).toEqual(["a", "b"]);
    expect(c.scores.growth.raw).toBe(2);
  });
});

describe("scoring", () => {
  const set = ruleSet(
    [
      { id: "g1", need: "growth", weight: 2, when: text("eksport") },
      { id: "g2", need: "growth", weight: 2, when: text("investor") },
      { id: "r1", need: "recruitment", weight: 2, when: text("ansætte") },
      { id: "r2", need: "recruitment", weight: 1, when: text("folk") },
      { id: "u1", need: "upskilling", weight: 1, when: text("lære") },
      { id: "u-neg", need: "upskilling", weight: -2, when: text("ikke relevant") },
    ],
    {
      couplings: [{ id: "c1", ifNeed: "growth", addFollowUp: "upskilling", reason: "policy" }],
    },
  );
  const compiled = compile(set, 7);

  it("applies a need at applyAt and saturates its score", () => {
    const c = classify(compiled, input("eksport og investor"));
    expect(c.scores.growth).toEqual({ raw: 4, score: 3 });
    expect(c.needs).toEqual(["growth"]);
    expect(c.primaryNeed).toBe("growth");
    expect(c.ruleSetVersion).toBe(7);
  });

  it("does not apply a need below applyAt", () => {
    const c = classify(compiled, input("lære"));
    expect(c.scores.upskilling).toEqual({ raw: 1, score: 1 });
    expect(c.needs).toEqual([]);
    expect(c.primaryNeed).toBeNull();
  });

  it("breaks a tie that saturation creates by the raw sums, then by the need stated first", () => {
    const c = classify(compiled, input("vi skal ansætte folk; eksport og investor"));
    expect(c.needs).toEqual(["growth", "recruitment"]);
    expect(c.scores.growth).toEqual({ raw: 4, score: 3 });
    expect(c.scores.recruitment).toEqual({ raw: 3, score: 3 });
    expect(c.primaryNeed).toBe("growth");
    expect(c.tieBreak).toEqual({ by: "raw", between: ["growth", "recruitment"] });
    const even = classify(compiled, input("vi skal ansætte folk; eksport og lære"));
    expect(even.scores.recruitment.raw).toBe(3);
    expect(even.scores.upskilling.raw).toBe(1);
    expect(classify(compiled, input("eksport, og vi skal ansætte")).tieBreak).toEqual({
      by: "first",
      between: ["growth", "recruitment"],
    });
    expect(classify(compiled, input("vi skal ansætte, og eksport")).primaryNeed).toBe("recruitment");
  });

  it("follows the rule set's tie-break order, and has no primary need when the text says they weigh the same", () => {
    const ordered = compile(
      {
        ...set,
        scoring: { ...set.scoring, tieBreak: { order: ["first"], equalWhen: text("lige vigtige") } },
      },
      8,
    );
    const c = classify(ordered, input("vi skal ansætte folk; eksport og investor"));
    expect(c.primaryNeed).toBe("recruitment");
    expect(c.tieBreak).toEqual({ by: "first", between: ["growth", "recruitment"] });
    const equal = classify(ordered, input("vi skal ansætte; eksport. Begge er lige vigtige."));
    expect(equal.needs).toEqual(["growth", "recruitment"]);
    expect(equal.primaryNeed).toBeNull();
    expect(equal.tieBreak).toEqual({ by: "equal", between: ["growth", "recruitment"] });
    // The marker only matters on a tie.
    expect(classify(ordered, input("vi skal ansætte folk; eksport. Lige vigtige.")).primaryNeed).toBe(
      "recruitment",
    );
  });

  it("falls back to the order of the ticked hints, and to none when nothing tells the needs apart", () => {
    const hints = compile(
      ruleSet([
        { id: "gh", need: "growth", weight: 2, when: { type: "needHint", need: "growth" } },
        { id: "rh", need: "recruitment", weight: 2, when: { type: "needHint", need: "recruitment" } },
      ]),
      1,
    );
    const ticked = classify(hints, input("", { needHints: ["recruitment", "growth"] }));
    expect(ticked.primaryNeed).toBe("recruitment");
    expect(ticked.tieBreak).toEqual({ by: "first", between: ["growth", "recruitment"] });
    const none = compile(
      { ...hints.ruleSet, scoring: { ...hints.ruleSet.scoring, tieBreak: { order: [] } } },
      2,
    );
    const unresolved = classify(none, input("", { needHints: ["recruitment", "growth"] }));
    expect(unresolved.primaryNeed).toBeNull();
    expect(unresolved.tieBreak).toEqual({ by: "unresolved", between: ["growth", "recruitment"] });
  });

  it("picks the unique highest applied need", () => {
    const c = classify(compiled, input("eksport; vi skal ansætte folk"));
    expect(c.scores.growth.score).toBe(2);
    expect(c.scores.recruitment.score).toBe(3);
    expect(c.primaryNeed).toBe("recruitment");
  });

  it("counts negative weights against a need", () => {
    const c = classify(compiled, input("ikke relevant"));
    expect(c.scores.upskilling).toEqual({ raw: -2, score: -2 });
  });

  it("lists follow-ups from couplings without adding them to needs", () => {
    const c = classify(compiled, input("eksport"));
    expect(c.needs).toEqual(["growth"]);
    expect(c.followUps).toEqual([{ couplingId: "c1", need: "upskilling", reason: "policy" }]);
    expect(classify(compiled, input("ansætte")).followUps).toEqual([]);
  });

  it("explains each fired rule with the phrase and the words that matched", () => {
    const c = classify(compiled, input("Vi ansætter folkene og satser på eksporten"));
    expect(c.firedRules).toEqual([
      {
        ruleId: "g1",
        need: "growth",
        weight: 2,
        matched: [{ kind: "text", detail: `'eksport' ← "eksporten"` }],
      },
      {
        ruleId: "r1",
        need: "recruitment",
        weight: 2,
        matched: [{ kind: "text", detail: `'ansætte' ← "ansætter"` }],
      },
      {
        ruleId: "r2",
        need: "recruitment",
        weight: 1,
        matched: [{ kind: "text", detail: `'folk' ← "folkene"` }],
      },
    ]);
  });

  it("gives the same answer on repeated and interleaved calls (token cache)", () => {
    const first = classify(compiled, input("eksport og investor"));
    classify(compiled, input("ansætte folk"));
    expect(classify(compiled, input("eksport og investor"))).toEqual(first);
  });

  it("keeps working when the token cache fills up and is cleared", () => {
    const words = Array.from({ length: 50_100 }, (_, i) => `w${i.toString(36)}`).join(" ");
    expect(classify(compiled, input(`${words} eksport investor`)).needs).toEqual(["growth"]);
    expect(classify(compiled, input("ansætte folk")).needs).toEqual(["recruitment"]);
  });
});

describe("routing overrides", () => {
  it("reports the first override whose condition holds, with evidence", () => {
    const set = ruleSet([{ id: "r", need: "growth", weight: 2, when: text("eksport") }], {
      routing: {
        overrides: [
          { id: "o1", when: text("varsling"), to: { manualTriage: true }, reason: "one" },
          {
            id: "o2",
            when: text("varsling", "bornholm"),
            to: { consortiumId: "rar-bornholm" },
            reason: "two",
          },
        ],
      },
    });
    const compiled = compile(set, 1);
    expect(matchOverride(compiled, input("varsling"))?.override.id).toBe("o1");
    expect(matchOverride(compiled, input("på Bornholm"))?.matched).toEqual([
      { kind: "text", detail: `'bornholm' ← "bornholm"` },
    ]);
    expect(matchOverride(compiled, input("eksport"))).toBeNull();
  });
});

describe("the analysed request, shared by classify and matchOverride", () => {
  const industry = (...value: string[]): Condition => ({
    type: "field",
    field: "industry",
    op: "containsAny",
    value,
  });
  const set = ruleSet(
    [
      { id: "g", need: "growth", weight: 2, when: text("eksport") },
      {
        id: "r",
        need: "recruitment",
        weight: 2,
        when: { type: "all", of: [text("ansætte"), industry("fisk*")] },
      },
    ],
    {
      routing: {
        overrides: [
          {
            id: "o1",
            when: { type: "all", of: [text("bornholm"), industry("fisk*")] },
            to: { consortiumId: "rar-bornholm" },
            reason: "one",
          },
          // last: what it reports as negated is the last scratch state a matchOverride call leaves
          { id: "o2", when: text("varsling"), to: { manualTriage: true }, reason: "two" },
        ],
      },
    },
  );
  // a: an override's phrase negated (scratch that matchOverride reports), a need; b: an industry in both.
  const a = input("Ingen varsling, men eksport");
  const b = input("Vi skal ansætte folk på Bornholm", { industry: "Fiskeri" });
  const alone = (i: typeof a) => ({
    classification: classify(compile(set, 1), i),
    override: matchOverride(compile(set, 1), i),
  });

  it("gives the same answers interleaved on two requests as on each alone", () => {
    const expected = { a: alone(a), b: alone(b) };
    expect(expected.a.override).toBeNull();
    expect(expected.a.classification.needs).toEqual(["growth"]);
    expect(expected.b.override?.override.id).toBe("o1");
    expect(expected.b.classification.needs).toEqual(["recruitment"]);

    const compiled = compile(set, 1);
    const ra = compiled.analyse(a);
    const rb = compiled.analyse(b);
    const interleaved = {
      aOverride: compiled.matchOverride(ra),
      bClassification: compiled.classify(rb),
      aClassification: compiled.classify(ra),
      bOverride: compiled.matchOverride(rb),
    };
    expect(interleaved).toEqual({
      aOverride: expected.a.override,
      bClassification: expected.b.classification,
      aClassification: expected.a.classification,
      bOverride: expected.b.override,
    });
    expect(interleaved.aClassification.negated).toEqual([]); // not the override's "ingen varsling"
    // and again, in the other order, on the same analyses
    expect(compiled.classify(rb)).toEqual(expected.b.classification);
    expect(compiled.matchOverride(ra)).toEqual(expected.a.override);
    expect(compiled.classify(ra)).toEqual(expected.a.classification);
  });

  it("is analysed by the rule set that uses it", () => {
    const other = compile(set, 1);
    expect(() => other.classify(compile(set, 1).analyse(a))).toThrow(/another compiled rule set/);
  });
});
