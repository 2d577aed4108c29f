/**
 * The shipped default rule set: active (as version 1) until an administrator publishes another.
 * Validated on first use, not at load: parsing its ~6,500 phrases costs a cold start ~70 ms, which a
 * function whose table holds a published rule set should not pay. Its unit test parses it, so a
 * broken default still fails the build.
 */
import document from "./default-ruleset.json" with { type: "json" };
import { type RuleSet, RuleSetSchema } from "./schema.ts";

export const DEFAULT_RULE_SET_VERSION = 1;

let parsed: RuleSet | undefined;

export function defaultRuleSet(): RuleSet {
  parsed ??= RuleSetSchema.parse(document);
  return parsed;
}
