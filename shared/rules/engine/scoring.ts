/**
 * Scoring: the rules a request triggers are evaluated, the weights of those that hold are summed per
 * need, and the totals decide the applied needs, the primary need and the follow-ups.
 */

import { NEEDS, type Need } from "#shared/needs.ts";
import type { Rule, RuleSet, TieBreakCriterion } from "#shared/rules/ruleset-schema.ts";
import {
  type Compiled,
  compileCondition,
  type EvalContext,
  evaluate,
  type MatchEvidence,
  test,
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

/**
 * How the primary need was chosen among applied needs that shared the top score: `priority`, a
 * priority rule ("først og fremmest", "men det haster ikke") ranked them; `raw`, the larger
 * unsaturated sum; `first`, the need the request states first; `equal`, the text says they weigh the
 * same (no primary need); `unresolved`, nothing told them apart (no primary need).
 */
export interface TieBreak {
  by: "priority" | TieBreakCriterion | "equal" | "unresolved";
  /** The needs that shared the top score (or rank), in the order of NEEDS. */
  between: Need[];
}

export interface Classification {
  ruleSetVersion: number;
  /** The needs that apply (score >= applyAt), sorted alphabetically. */
  needs: Need[];
  /**
   * The applied need with the highest score plus priority (the weights of the priority rules that
   * fired for it), a tie broken as `tieBreak` says; null when none applies, when the text says the
   * needs weigh the same, or when nothing breaks the tie.
   */
  primaryNeed: Need | null;
  /** Set when applied needs shared the top score: how the primary need was chosen among them. */
  tieBreak?: TieBreak;
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
  fallback: boolean;
  when: Compiled;
}

export function compileRule(rule: Rule, lexicon: Lexicon): CompiledRule {
  return {
    id: rule.id,
    need: rule.need,
    needIndex: NEED_INDEX[rule.need],
    weight: rule.weight,
    priority: rule.priority ?? false,
    fallback: rule.fallback ?? false,
    when: compileCondition(rule.when, lexicon),
  };
}

/** The rule set's tie-break, compiled (see `ScoringSchema.tieBreak`). */
export interface CompiledTieBreak {
  order: readonly TieBreakCriterion[];
  equalWhen: Compiled | undefined;
}

export const DEFAULT_TIE_BREAK_ORDER: readonly TieBreakCriterion[] = ["raw", "first"];

export function compileTieBreak(ruleSet: RuleSet, lexicon: Lexicon): CompiledTieBreak {
  const t = ruleSet.scoring.tieBreak;
  return {
    order: t?.order ?? DEFAULT_TIE_BREAK_ORDER,
    equalWhen: t?.equalWhen === undefined ? undefined : compileCondition(t.equalWhen, lexicon),
  };
}

export function classifyWith(
  ruleSet: RuleSet,
  version: number,
  rules: readonly CompiledRule[],
  triggers: RuleTriggers,
  tieBreak: CompiledTieBreak,
  ctx: EvalContext,
): Classification {
  const raw: PerNeed = [0, 0, 0];
  const priority: PerNeed = [0, 0, 0];
  const first: PerNeed = [Infinity, Infinity, Infinity]; // the word position of each need's first evidence
  let fallback: PerNeed | undefined; // made when a fallback rule holds (rare)
  let fallbackRules: FiredRule[] | undefined;
  const firedRules: FiredRule[] = [];
  const negated: Classification["negated"] = [];
  for (const i of triggers.of(ctx.request.text, ctx.request.input.needHints)) {
    const rule = rules[i];
    if (rule === undefined) continue;
    // No `test` first: a condition's evaluate gives evidence exactly when its test holds, and both
    // report the same negated matches (a rule that is looked at usually holds).
    ctx.firstAt = Infinity;
    const matched = evaluate(rule.when, ctx);
    if (ctx.negated.length > 0) {
      for (const n of ctx.negated) negated.push({ ruleId: rule.id, phrase: n.phrase, cue: n.cue });
      ctx.negated = [];
    }
    if (matched === null) continue;
    if (rule.fallback) {
      fallback ??= [0, 0, 0];
      fallback[rule.needIndex] += rule.weight;
      fallbackRules ??= [];
      fallbackRules.push({ ruleId: rule.id, need: rule.need, weight: rule.weight, matched });
    } else if (rule.priority) {
      priority[rule.needIndex] += rule.weight;
      firedRules.push({ ruleId: rule.id, need: rule.need, weight: rule.weight, priority: true, matched });
    } else {
      raw[rule.needIndex] += rule.weight;
      if (rule.weight > 0 && ctx.firstAt < first[rule.needIndex]) first[rule.needIndex] = ctx.firstAt;
      firedRules.push({ ruleId: rule.id, need: rule.need, weight: rule.weight, matched });
    }
  }
  const { applyAt, saturateAt } = ruleSet.scoring;
  if (
    fallback !== undefined &&
    fallbackRules !== undefined &&
    raw[0] < applyAt &&
    raw[1] < applyAt &&
    raw[2] < applyAt
  ) {
    // No need applies without them: the fallback rules count.
    for (let i = 0; i < 3; i++) raw[i as NeedIndex] += fallback[i as NeedIndex];
    firedRules.push(...fallbackRules);
  }
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
  const primary = primaryOf(score, priority, raw, first, applyAt, tieBreak, ctx);
  const classification: Classification = {
    ruleSetVersion: version,
    needs,
    primaryNeed: primary.need,
    scores,
    firedRules,
    negated,
    followUps,
  };
  if (primary.tieBreak !== undefined) classification.tieBreak = primary.tieBreak;
  return classification;
}

/**
 * The applied need (score >= applyAt) with the highest rank (score plus priority). When the top
 * score is shared, the explanation says how it was decided: by priority rules, else (the rank still
 * shared) none when the rule set's `equalWhen` holds, else by each criterion of the tie-break order.
 */
function primaryOf(
  score: PerNeed,
  priority: PerNeed,
  raw: PerNeed,
  first: PerNeed,
  applyAt: number,
  tieBreak: CompiledTieBreak,
  ctx: EvalContext,
): { need: Need | null; tieBreak?: TieBreak } {
  let topScore = -Infinity;
  let topRank = -Infinity;
  let atTopScore = 0;
  let atTopRank = 0;
  let leader = -1; // the need with the top rank, when it is the only one
  for (let i = 0; i < ORDER.length; i++) {
    const s = score[i] ?? 0;
    if (s < applyAt) continue;
    if (s > topScore) {
      topScore = s;
      atTopScore = 1;
    } else if (s === topScore) atTopScore++;
    const rank = s + (priority[i] ?? 0);
    if (rank > topRank) {
      topRank = rank;
      atTopRank = 1;
      leader = i;
    } else if (rank === topRank) atTopRank++;
  }
  if (topScore === -Infinity) return NO_PRIMARY;
  // The usual case, without allocating: one need leads on score and on rank.
  if (atTopScore === 1 && atTopRank === 1 && score[leader as NeedIndex] === topScore)
    return { need: ORDER[leader as NeedIndex] };
  const tiedOnScore: number[] = [];
  let ranked: number[] = [];
  for (let i = 0; i < ORDER.length; i++) {
    const s = score[i] ?? 0;
    if (s < applyAt) continue;
    if (s === topScore) tiedOnScore.push(i);
    if (s + (priority[i] ?? 0) === topRank) ranked.push(i);
  }
  const names = (list: readonly number[]): Need[] => list.map((i) => ORDER[i] as Need);
  if (ranked.length === 1) {
    const winner = ranked[0] as number;
    if (tiedOnScore.length === 1 && tiedOnScore[0] === winner) return { need: ORDER[winner] as Need };
    const between = tiedOnScore.includes(winner) ? tiedOnScore : [...tiedOnScore, winner].sort();
    return { need: ORDER[winner] as Need, tieBreak: { by: "priority", between: names(between) } };
  }
  const between = names(ranked);
  if (tieBreak.equalWhen !== undefined) {
    const equal = test(tieBreak.equalWhen, ctx);
    ctx.negated = [];
    if (equal) return { need: null, tieBreak: { by: "equal", between } };
  }
  for (const criterion of tieBreak.order) {
    ranked =
      criterion === "raw" ? best(ranked, (i) => raw[i] ?? 0) : best(ranked, (i) => -firstOf(i, first, ctx));
    if (ranked.length === 1)
      return { need: ORDER[ranked[0] as number] as Need, tieBreak: { by: criterion, between } };
  }
  return { need: null, tieBreak: { by: "unresolved", between } };
}

const NO_PRIMARY: { need: Need | null } = { need: null };

/** The candidates with the largest value. */
function best(candidates: readonly number[], value: (i: number) => number): number[] {
  let top = -Infinity;
  for (const i of candidates) top = Math.max(top, value(i));
  return candidates.filter((i) => value(i) === top);
}

/**
 * Where a need is first stated: its first text evidence, else (after all text) the place of its
 * ticked hint among the hints, else never.
 */
function firstOf(i: number, first: PerNeed, ctx: EvalContext): number {
  const at = first[i as NeedIndex];
  if (at !== Infinity) return at;
  const hint = ctx.request.input.needHints.indexOf(ORDER[i] as Need);
  return hint < 0 ? Infinity : 1e9 + hint;
}
