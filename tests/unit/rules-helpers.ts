/** Builders for small rule sets in the rules-engine tests. */
import type {
  Classification,
  ClassificationInput,
  CompiledRuleSet,
  OverrideMatch,
} from "#shared/rules/engine.ts";
import { type Condition, type RuleSet, RuleSetSchema } from "#shared/rules/ruleset-schema.ts";

type RuleInput = RuleSet["rules"][number];

export const NEGATION: RuleSet["language"]["negation"] = {
  cues: ["ikke", "ingen", "uden", "not", "no", "never", "don't", "can't", "without"],
  window: 4,
  neutralisers: ["nok", "finde", "enough", "find"],
};

/** A valid rule set (parsed by the schema) with the given rules and sensible defaults for the rest. */
export function ruleSet(rules: RuleInput[], extra: Partial<RuleSet> = {}): RuleSet {
  return RuleSetSchema.parse({
    name: "test",
    scoring: { applyAt: 2, saturateAt: 3 },
    language: { negation: NEGATION },
    rules,
    couplings: [],
    routing: { overrides: [] },
    ...extra,
  });
}

/** A one-rule set: the rule (need recruitment, weight 2) applies exactly when `when` holds. */
export function oneRule(when: Condition): RuleSet {
  return ruleSet([{ id: "r", need: "recruitment", weight: 2, when }]);
}

export function text(...anyOf: string[]): Condition {
  return { type: "text", anyOf };
}

export function input(description: string, extra: Partial<ClassificationInput> = {}): ClassificationInput {
  return { description, needHints: [], municipalityCode: "101", ...extra };
}

/** Analyses the input and classifies it, as `decide` does. */
export function classify(compiled: CompiledRuleSet, request: ClassificationInput): Classification {
  return compiled.classify(compiled.analyse(request));
}

/** Analyses the input and matches the routing overrides, as `decide` does. */
export function matchOverride(compiled: CompiledRuleSet, request: ClassificationInput): OverrideMatch | null {
  return compiled.matchOverride(compiled.analyse(request));
}
