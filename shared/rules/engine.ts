/**
 * The rules engine. `compile` turns a rule-set document into a classifier once per version: every
 * phrase word becomes an atom of the lexicon (engine/lexicon.ts), and conditions become a tree of
 * nodes (engine/conditions.ts). A request is analysed once (engine/analysis.ts): tokenise, look each
 * token up (cached), find the phrases in the token stream. Classifying it is then evaluating the
 * conditions of the rules whose phrases (or need hints) it has (engine/triggers.ts) and summing their
 * weights (engine/scoring.ts); matching a routing override reads the same analysis.
 */

import { type AnalysedRequest, analyseRequest, type ClassificationInput } from "./engine/analysis.ts";
import {
  compileCondition,
  type EvalContext,
  evaluate,
  type MatchEvidence,
  test,
} from "./engine/conditions.ts";
import { Lexicon } from "./engine/lexicon.ts";
import { type Classification, classifyWith, compileRule } from "./engine/scoring.ts";
import { RuleTriggers } from "./engine/triggers.ts";
import type { RoutingOverride, RuleSet } from "./ruleset-schema.ts";

export type { AnalysedRequest, ClassificationInput } from "./engine/analysis.ts";
export type { MatchEvidence } from "./engine/conditions.ts";
export type { Classification, FiredRule } from "./engine/scoring.ts";

export interface OverrideMatch {
  override: RoutingOverride;
  matched: MatchEvidence[];
}

export interface CompiledRuleSet {
  readonly version: number;
  readonly ruleSet: RuleSet;
  classify(input: ClassificationInput): Classification;
  /** The first routing override whose condition holds for the input, or null. */
  matchOverride(input: ClassificationInput): OverrideMatch | null;
}

export function compile(ruleSet: RuleSet, version: number): CompiledRuleSet {
  const { negation } = ruleSet.language;
  const lexicon = new Lexicon(negation.cues, negation.neutralisers);
  const rules = ruleSet.rules.map((r) => compileRule(r, lexicon));
  const overrides = ruleSet.routing.overrides.map((o) => ({
    override: o,
    when: compileCondition(o.when, lexicon),
  }));
  const triggers = new RuleTriggers(
    rules.map((r) => r.when),
    lexicon.groupCount,
  );

  // decideRoute usually follows classify on the same input: remember its analysis (one slot),
  // keyed by the object and the values it had then, so an input changed in between is analysed anew.
  let last: { input: ClassificationInput; request: AnalysedRequest } | undefined;
  const contextFor = (input: ClassificationInput): EvalContext => {
    if (last?.input !== input || !sameInput(last.request.input, input))
      last = { input, request: analyseRequest(input, lexicon, negation.window) };
    return { request: last.request, negated: [], clause: undefined };
  };

  return {
    version,
    ruleSet,
    classify: (input) => classifyWith(ruleSet, version, rules, triggers, contextFor(input)),
    matchOverride: (input) => {
      const ctx = contextFor(input);
      for (const { override, when } of overrides) {
        ctx.negated = [];
        if (!test(when, ctx)) continue;
        const matched = evaluate(when, ctx);
        if (matched !== null) return { override, matched };
      }
      return null;
    },
  };
}

function sameInput(a: Readonly<ClassificationInput>, b: ClassificationInput): boolean {
  return (
    a.description === b.description &&
    a.needHints.length === b.needHints.length &&
    a.needHints.every((need, i) => need === b.needHints[i]) &&
    a.employees === b.employees &&
    a.industry === b.industry &&
    a.municipalityCode === b.municipalityCode
  );
}
