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
});
