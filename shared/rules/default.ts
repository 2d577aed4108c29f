/**
 * The shipped default rule set: active (as version 1) until an administrator publishes another.
 * A data file beside the code (the functions that need it ship it next to their bundle, see
 * infra/stack.ts), read and validated on first use, not at load: its ~6,500 phrases would cost
 * every triage and staff cold start ~70 ms and its bundle ~104 KB, and once a rule set is published
 * it is never read. Its unit test parses it, so a broken default still fails the build.
 */
import { readFileSync } from "node:fs";
import { type RuleSet, RuleSetSchema } from "./ruleset-schema.ts";

export const DEFAULT_RULE_SET_VERSION = 1;

/** Beside this module in the repository, beside index.mjs in a Lambda bundle. */
const FILE = new URL("./default-ruleset.json", import.meta.url);

let parsed: RuleSet | undefined;

export function defaultRuleSet(): RuleSet {
  parsed ??= RuleSetSchema.parse(JSON.parse(readFileSync(FILE, "utf8")));
  return parsed;
}
