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
import { type Classification, classifyWith, compileRule, compileTieBreak } from "./engine/scoring.ts";
import { RuleTriggers } from "./engine/triggers.ts";
import type { RoutingOverride, RuleSet } from "./ruleset-schema.ts";

export type { AnalysedRequest, ClassificationInput } from "./engine/analysis.ts";
export type { MatchEvidence } from "./engine/conditions.ts";
export type { Classification, FiredRule, TieBreak } from "./engine/scoring.ts";

export interface OverrideMatch {
  override: RoutingOverride;
  matched: MatchEvidence[];
}

export interface CompiledRuleSet {
  readonly version: number;
  readonly ruleSet: RuleSet;
  /** The request analysed for this rule set, once, for `classify` and `matchOverride`. */
  analyse(input: ClassificationInput): AnalysedRequest;
  classify(request: AnalysedRequest): Classification;
  /** The first routing override whose condition holds for the request, or null. */
  matchOverride(request: AnalysedRequest): OverrideMatch | null;
}

export function compile(ruleSet: RuleSet, version: number): CompiledRuleSet {
  const { negation } = ruleSet.language;
  const lexicon = new Lexicon(negation.cues, negation.neutralisers, negation.joiners ?? []);
  const rules = ruleSet.rules.map((r) => compileRule(r, lexicon));
  const overrides = ruleSet.routing.overrides.map((o) => ({
    override: o,
    when: compileCondition(o.when, lexicon),
  }));
  const tieBreak = compileTieBreak(ruleSet, lexicon);
  const triggers = new RuleTriggers(
    rules.map((r) => r.when),
    lexicon.groupCount,
  );

  /** A fresh context for one call: no scratch state passes from one call to the next. */
  const contextOf = (request: AnalysedRequest): EvalContext => {
    // Phrase-group ids are per lexicon: another rule set's analysis would silently match the wrong phrases.
    if (request.lexicon !== lexicon) throw new Error("the request was analysed by another compiled rule set");
    return { request, negated: [], clause: undefined, firstAt: Infinity };
  };

  return {
    version,
    ruleSet,
    analyse: (input) => analyseRequest(input, lexicon, negation.window),
    classify: (request) => classifyWith(ruleSet, version, rules, triggers, tieBreak, contextOf(request)),
    matchOverride: (request) => {
      const ctx = contextOf(request);
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
