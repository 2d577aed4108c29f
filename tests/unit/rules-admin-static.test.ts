/** Static checks of a rule set before publishing: the ones that concern priority rules. */
import { describe, expect, it } from "vitest";
import { staticProblems } from "#shared/admin/rule-set-checks.ts";
import { DEFAULT_CONSORTIA } from "#shared/reference/consortia.ts";
import { directory } from "#shared/reference/consortium-directory.ts";
import { defaultRuleSet } from "#shared/rules/default.ts";
import { ruleSet, text } from "./rules-helpers.ts";

const dir = directory(DEFAULT_CONSORTIA);

describe("staticProblems", () => {
  it("finds nothing wrong with the default rule set", () => {
    expect(staticProblems(defaultRuleSet(), dir)).toEqual([]);
  });

  it("does not count a priority rule as a way to give a need a score", () => {
    const doc = ruleSet([
      { id: "r", need: "recruitment", weight: 2, when: text("ansætte") },
      { id: "u", need: "upskilling", weight: 2, when: text("kursus") },
      { id: "g-first", need: "growth", weight: 1, priority: true, when: text("eksport") },
    ]);
    expect(staticProblems(doc, dir).map((p) => p.message)).toContain(
      'no rule can give the need "growth" a positive score',
    );
  });

  it("checks fallback rules and the tie-break", () => {
    const base = ruleSet([
      { id: "r", need: "recruitment", weight: 2, when: text("ansætte") },
      { id: "u", need: "upskilling", weight: 2, when: text("kursus") },
      { id: "g", need: "growth", weight: 2, when: text("eksport") },
      {
        id: "g-alone",
        need: "growth",
        weight: -1,
        fallback: true,
        when: { type: "needHint", need: "growth" },
      },
      { id: "r-both", need: "recruitment", weight: 1, fallback: true, priority: true, when: text("snart") },
    ]);
    // An equalWhen no request can meet: 10 or more employees and at most 5.
    const never = {
      type: "all" as const,
      of: [
        { type: "field" as const, field: "employees" as const, op: "gte" as const, value: 10 },
        { type: "field" as const, field: "employees" as const, op: "lte" as const, value: 5 },
      ],
    };
    const doc = {
      ...base,
      scoring: {
        ...base.scoring,
        tieBreak: { order: ["first" as const, "first" as const], equalWhen: never },
      },
    };
    const problems = staticProblems(doc, dir).map((p) => `${p.path}: ${p.message}`);
    expect(problems).toContain(
      "rules.3.weight: a fallback rule only adds to a need: its weight must be positive",
    );
    expect(problems).toContain("rules.4.fallback: a rule is a fallback or a priority rule, not both");
    expect(problems).toContain("scoring.tieBreak.order: names a criterion twice");
    expect(
      problems.some((p) =>
        p.startsWith("scoring.tieBreak.equalWhen.of: the tie-break's equalWhen can never match"),
      ),
    ).toBe(true);
  });
});
