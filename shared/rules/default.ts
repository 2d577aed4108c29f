/**
 * The shipped default rule set: active (as version 1) until an administrator publishes another.
 * Validated at module load, so a broken default fails the build's tests and every cold start loudly.
 */
import document from "./default-ruleset.json" with { type: "json" };
import { type RuleSet, RuleSetSchema } from "./schema.ts";

export const DEFAULT_RULE_SET: RuleSet = RuleSetSchema.parse(document);
export const DEFAULT_RULE_SET_VERSION = 1;
