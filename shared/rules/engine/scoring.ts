/**
 * Scoring: the rules a request triggers are evaluated, the weights of those that hold are summed per
 * need, and the totals decide the applied needs, the primary need and the follow-ups.
 */

import { NEEDS, type Need } from "#shared/needs.ts";
import type { Rule, RuleSet } from "#shared/rules/ruleset-schema.ts";
import {
  type Compiled,
  compileCondition,
  type EvalContext,
  evaluate,
  type MatchEvidence,
} from "./conditions.ts";
import type { Lexicon } from "./lexicon.ts";
import type { RuleTriggers } from "./triggers.ts";

export interface FiredRule {
  ruleId: string;
  need: Need;
  weight: number;
  /** Set for a priority rule: its weight only ranks the applied needs (see `primaryNeed`). */
  priority?: true;
  matched: MatchEvidence[];
}

export interface Classification {
  ruleSetVersion: number;
  /** The needs that apply (score >= applyAt), sorted alphabetically. */
  needs: Need[];
  /**
   * The applied need with the unique highest score plus priority (the weights of the priority rules
   * that fired for it); null when none applies or on a tie.
   */
  primaryNeed: Need | null;
  scores: Record<Need, { raw: number; score: number }>;
  firedRules: FiredRule[];
  /** Text matches that were ignored because a negation cue stood before them. */
  negated: { ruleId: string; phrase: string; cue: string }[];
  /** Needs added by policy couplings; they are offered, not classified, so they are not in `needs`. */
  followUps: { couplingId: string; need: Need; reason: string }[];
}

/**
 * Per-need totals are kept in arrays, in the order of NEEDS: `raw[rule.need]` on a record (a property
 * name that varies) is a slow lookup in the hot loop. ORDER does not compile if NEEDS changes, and
 * NEED_INDEX maps a need to its position.
 */
type PerNeed = [growth: number, recruitment: number, upskilling: number];
type NeedIndex = 0 | 1 | 2;
const ORDER: readonly ["growth", "recruitment", "upskilling"] = NEEDS;
const NEED_INDEX: Record<Need, NeedIndex> = { [ORDER[0]]: 0, [ORDER[1]]: 1, [ORDER[2]]: 2 };

export interface CompiledRule {
  id: string;
  need: Need;
  needIndex: NeedIndex;
  weight: number;
  priority: boolean;
  when: Compiled;
}

export function compileRule(rule: Rule, lexicon: Lexicon): CompiledRule {
  return {
    id: rule.id,
    need: rule.need,
    needIndex: NEED_INDEX[rule.need],
    weight: rule.weight,
    priority: rule.priority ?? false,
    when: compileCondition(rule.when, lexicon),
  };
}

export function classifyWith(
  ruleSet: RuleSet,
  version: number,
  rules: readonly CompiledRule[],
  triggers: RuleTriggers,
  ctx: EvalContext,
): Classification {
  const raw: PerNeed = [0, 0, 0];
  const priority: PerNeed = [0, 0, 0];
  const firedRules: FiredRule[] = [];
  const negated: Classification["negated"] = [];
  for (const i of triggers.of(ctx.request.text, ctx.request.input.needHints)) {
    const rule = rules[i];
    if (rule === undefined) continue;
    // No `test` first: a condition's evaluate gives evidence exactly when its test holds, and both
    // report the same negated matches (a rule that is looked at usually holds).
    const matched = evaluate(rule.when, ctx);
    if (ctx.negated.length > 0) {
      for (const n of ctx.negated) negated.push({ ruleId: rule.id, phrase: n.phrase, cue: n.cue });
      ctx.negated = [];
    }
    if (matched === null) continue;
    if (rule.priority) {
      priority[rule.needIndex] += rule.weight;
      firedRules.push({ ruleId: rule.id, need: rule.need, weight: rule.weight, priority: true, matched });
    } else {
      raw[rule.needIndex] += rule.weight;
      firedRules.push({ ruleId: rule.id, need: rule.need, weight: rule.weight, matched });
    }
  }
  const { applyAt, saturateAt } = ruleSet.scoring;
  const score: PerNeed = [
    Math.min(raw[0], saturateAt),
    Math.min(raw[1], saturateAt),
    Math.min(raw[2], saturateAt),
  ];
  const scores = {
    growth: { raw: raw[0], score: score[0] },
    recruitment: { raw: raw[1], score: score[1] },
    upskilling: { raw: raw[2], score: score[2] },
  };
  const needs: Need[] = []; // in the order of NEEDS, which is alphabetical
  for (let i = 0; i < ORDER.length; i++) if ((score[i] ?? 0) >= applyAt) needs.push(ORDER[i] as Need);
  const followUps: Classification["followUps"] = [];
  for (const c of ruleSet.couplings)
    if (needs.includes(c.ifNeed)) followUps.push({ couplingId: c.id, need: c.addFollowUp, reason: c.reason });
  return {
    ruleSetVersion: version,
    needs,
    primaryNeed: primaryOf(score, priority, applyAt),
    scores,
    firedRules,
    negated,
    followUps,
  };
}

/**
 * The applied need (score >= applyAt) with the unique highest rank (score plus priority), or null
 * when none applies or the top is shared.
 */
function primaryOf(score: PerNeed, priority: PerNeed, applyAt: number): Need | null {
  let best = -1;
  let bestRank = 0;
  let tie = false;
  for (let i = 0; i < ORDER.length; i++) {
    if ((score[i] ?? 0) < applyAt) continue;
    const rank = (score[i] ?? 0) + (priority[i] ?? 0);
    if (best < 0 || rank > bestRank) {
      best = i;
      bestRank = rank;
      tie = false;
    } else if (rank === bestRank) tie = true;
  }
  return tie ? null : (ORDER[best] ?? null);
}
