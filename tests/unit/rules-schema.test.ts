import { describe, expect, it } from "vitest";
import { DEFAULT_RULE_SET_VERSION, defaultRuleSet } from "#shared/rules/default.ts";
import document from "#shared/rules/default-ruleset.json" with { type: "json" };
import { RuleSetSchema } from "#shared/rules/ruleset-schema.ts";
import { NEGATION } from "./rules-helpers.ts";

const valid = {
  name: "test",
  scoring: { applyAt: 2, saturateAt: 3 },
  language: { negation: NEGATION },
  rules: [
    {
      id: "r1",
      need: "recruitment",
      weight: 2,
      when: {
        type: "all",
        of: [
          { type: "text", anyOf: ["ansætte", "*kursus", "eksport*"], negatable: false },
          { type: "not", condition: { type: "needHint", need: "growth" } },
          { type: "any", of: [{ type: "field", field: "employees", op: "between", value: [1, 9] }] },
          { type: "field", field: "municipalityCode", op: "in", value: ["101"] },
          { type: "field", field: "industry", op: "containsAny", value: ["bygge*"] },
        ],
      },
    },
  ],
  couplings: [{ id: "c1", ifNeed: "growth", addFollowUp: "upskilling", reason: "policy" }],
  routing: {
    overrides: [{ id: "o1", when: { type: "text", anyOf: ["x"] }, to: { manualTriage: true }, reason: "r" }],
  },
};

/** The issue paths of parsing `valid` changed by `mutate`. */
function issuePaths(mutate: (doc: typeof valid) => unknown): string[] {
  const doc = structuredClone(valid);
  const result = RuleSetSchema.safeParse(mutate(doc) ?? doc);
  expect(result.success).toBe(false);
  return result.success ? [] : result.error.issues.map((i) => i.path.join("."));
}

function setAt(doc: unknown, path: (string | number)[], value: unknown): void {
  let node = doc as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1] ?? ""] = value;
}

describe("RuleSetSchema", () => {
  it("accepts every condition type, nested", () => {
    expect(RuleSetSchema.parse(valid)).toEqual(valid);
  });

  it("accepts an all condition within one clause and a priority rule", () => {
    const doc = {
      ...valid,
      rules: [
        ...valid.rules,
        {
          id: "p1",
          need: "upskilling",
          weight: 1,
          priority: true,
          when: { type: "all", sameClause: true, of: [{ type: "text", anyOf: ["først og fremmest"] }] },
        },
      ],
    };
    expect(RuleSetSchema.parse(doc)).toEqual(doc);
  });

  it.each([
    ["a need that does not exist", ["rules", 0, "need"], "sales", "rules.0.need"],
    ["a weight that is not a number", ["rules", 0, "weight"], "2", "rules.0.weight"],
    ["a bad rule id", ["rules", 0, "id"], "Has Spaces", "rules.0.id"],
    ["a priority that is not a boolean", ["rules", 0, "priority"], "yes", "rules.0.priority"],
    ["a sameClause that is not a boolean", ["rules", 0, "when", "sameClause"], 1, "rules.0.when"],
    ["applyAt of zero", ["scoring", "applyAt"], 0, "scoring.applyAt"],
    ["saturateAt below applyAt", ["scoring", "saturateAt"], 1, "scoring.saturateAt"],
    ["a fractional negation window", ["language", "negation", "window"], 2.5, "language.negation.window"],
    ["a cue of two words", ["language", "negation", "cues"], ["not at all"], "language.negation.cues.0"],
    ["an empty rule list", ["rules"], [], "rules"],
    ["a coupling to an unknown need", ["couplings", 0, "addFollowUp"], "x", "couplings.0.addFollowUp"],
    ["an override to nowhere", ["routing", "overrides", 0, "to"], { queue: "x" }, "routing.overrides.0.to"],
    ["an override to a bad consortium id", ["routing", "overrides", 0, "to"], { consortiumId: "A" }, ""],
  ])("rejects %s, naming its path", (_, path, value, expected) => {
    const paths = issuePaths((doc) => setAt(doc, path, value));
    expect(paths.some((p) => p.startsWith(expected))).toBe(true);
  });

  it("rejects unknown keys (versions are assigned on publish, not written in the document)", () => {
    const top = RuleSetSchema.safeParse({ ...valid, version: 3 });
    expect(top.error?.issues).toEqual([
      expect.objectContaining({ code: "unrecognized_keys", keys: ["version"], path: [] }),
    ]);
    const rule = RuleSetSchema.safeParse({ ...valid, rules: [{ ...valid.rules[0], order: 1 }] });
    expect(rule.error?.issues).toEqual([
      expect.objectContaining({ code: "unrecognized_keys", keys: ["order"], path: ["rules", 0] }),
    ]);
  });

  it("rejects bad conditions deep inside combinators with their path", () => {
    const when = "rules.0.when.of";
    expect(issuePaths((d) => setAt(d, ["rules", 0, "when", "of", 0, "anyOf"], []))).toContain(
      `${when}.0.anyOf`,
    );
    expect(issuePaths((d) => setAt(d, ["rules", 0, "when", "of", 0, "anyOf", 0], "kur*sus"))).toContain(
      `${when}.0.anyOf.0`,
    );
    expect(issuePaths((d) => setAt(d, ["rules", 0, "when", "of", 1, "condition", "need"], "x"))).toContain(
      `${when}.1.condition.need`,
    );
    expect(issuePaths((d) => setAt(d, ["rules", 0, "when", "of", 2, "of", 0, "value"], [9, 1])).length).toBe(
      1,
    );
    expect(issuePaths((d) => setAt(d, ["rules", 0, "when", "of", 3, "value"], ["1010"]))).toContain(
      `${when}.3.value.0`,
    );
    expect(issuePaths((d) => setAt(d, ["rules", 0, "when", "of", 4, "op"], "in")).length).toBeGreaterThan(0);
    expect(
      issuePaths((d) => setAt(d, ["rules", 0, "when", "of", 0, "type"], "regex")).length,
    ).toBeGreaterThan(0);
  });

  it("rejects a field operator on the wrong field", () => {
    const wrong = { type: "field", field: "employees", op: "in", value: ["101"] };
    expect(issuePaths((d) => setAt(d, ["rules", 0, "when"], wrong)).length).toBeGreaterThan(0);
  });

  it("rejects duplicate ids with the path of the second", () => {
    const paths = issuePaths((d) => {
      d.rules.push({ ...(d.rules[0] as (typeof d.rules)[number]) });
    });
    expect(paths).toContain("rules.1.id");
  });
});

describe("the default rule set", () => {
  it("is valid and is version 1", () => {
    expect(RuleSetSchema.safeParse(document).success).toBe(true);
    expect(defaultRuleSet().rules.length).toBeGreaterThan(10);
    expect(DEFAULT_RULE_SET_VERSION).toBe(1);
  });

  it("couples growth to an upskilling follow-up, as the policy requires", () => {
    expect(defaultRuleSet().couplings).toContainEqual(
      expect.objectContaining({ ifNeed: "growth", addFollowUp: "upskilling" }),
    );
  });

  it("has a need-hint rule for every need, and a fallback one for a text that states no need", () => {
    const rules = defaultRuleSet().rules;
    const hinted = (fallback: boolean) =>
      rules.flatMap((r) =>
        r.when.type === "needHint" && (r.fallback ?? false) === fallback ? [r.when.need] : [],
      );
    expect(hinted(false).sort()).toEqual(["growth", "recruitment", "upskilling"]);
    expect(hinted(true).sort()).toEqual(["growth", "recruitment", "upskilling"]);
  });
});
