/**
 * Conditions compiled to a tree of nodes of one shape (`Compiled`), and their evaluation on an
 * analysed request: `evaluate` gives the evidence of a condition that holds, `test` only whether it
 * holds. Text conditions read the request's phrase occurrences; field conditions are small closures.
 */

import type { Need } from "#shared/needs.ts";
import type { Condition } from "#shared/rules/ruleset-schema.ts";
import {
  type AnalysedRequest,
  analyse,
  explainedHits,
  NO_HITS,
  type Occurrence,
  phraseHits,
} from "./analysis.ts";
import type { Lexicon } from "./lexicon.ts";

/** One piece of evidence: what matched and on what. */
export interface MatchEvidence {
  kind: "text" | "field" | "needHint";
  /** e.g. `'ansætte' ← "ansættelse"` or `employees >= 50 ← 120`. */
  detail: string;
}

/** What conditions are evaluated on: an analysed request, and the scratch state of one call. */
export interface EvalContext {
  readonly request: AnalysedRequest;
  /** Scratch list of matches ignored because negated; the caller attributes them to its rule. */
  negated: { phrase: string; cue: string }[];
  /** Set while a `sameClause` condition tries one clause: text conditions look only at it (-1: none). */
  clause: number | undefined;
  /**
   * Scratch: the smallest word position of the text evidence found since the caller last reset it
   * (to Infinity), for the tie-break "the need the request opens with".
   */
  firstAt: number;
}

/** Evidence when the condition holds (a new array: the caller may keep or extend it), null when it does not. */
type Evaluator = (ctx: EvalContext) => MatchEvidence[] | null;

/**
 * A compiled condition, evaluated by `evaluate` and `test` below. All kinds share this one shape (see
 * `node`), so that the evaluator reads its fields from objects of one shape, and calls itself rather
 * than a different closure for each condition (closures measured some 7% slower in all).
 */
export interface Compiled {
  kind: Condition["type"] | "sameClause";
  /** all, any, sameClause: the conditions; not: the one negated. */
  children: readonly Compiled[];
  /** sameClause: the conditions without a `not` (see `firstClause`). */
  positive: readonly Compiled[];
  /** text: the phrase group, and whether a negation cue before a match cancels it. */
  group: number;
  negatable: boolean;
  /** needHint: the need, and the evidence when ticked. */
  need: Need | undefined;
  detail: string;
  /** field: its evaluator (field conditions are few and cheap: a closure each). */
  field: Evaluator | undefined;
  /**
   * What a request must have for the condition to hold, and without which it fails before it looks
   * at anything else (so without reporting negated matches); undefined when there is no such thing.
   * A quick filter: most rules have nothing to look at in a request.
   */
  triggers: Triggers | undefined;
}

/** One of these phrase groups in the text, or one of these need hints ticked. */
export interface Triggers {
  groups: readonly number[];
  needHints: readonly Need[];
}

/** A node: every kind made by this one object literal, so that all have the same shape. */
function node(
  kind: Compiled["kind"],
  triggers: Triggers | undefined,
  fields: Partial<Omit<Compiled, "kind" | "triggers">>,
): Compiled {
  return {
    kind,
    children: fields.children ?? [],
    positive: fields.positive ?? [],
    group: fields.group ?? -1,
    negatable: fields.negatable ?? false,
    need: fields.need,
    detail: fields.detail ?? "",
    field: fields.field,
    triggers,
  };
}

export function compileCondition(condition: Condition, lexicon: Lexicon): Compiled {
  switch (condition.type) {
    case "text": {
      const group = lexicon.group(condition.anyOf);
      return node(
        "text",
        { groups: [group], needHints: [] },
        { group, negatable: condition.negatable ?? true },
      );
    }
    case "field":
      return node("field", undefined, { field: fieldEvaluator(condition, lexicon) });
    case "needHint": {
      const need = condition.need;
      return node(
        "needHint",
        { groups: [], needHints: [need] },
        { need, detail: `needHint '${need}' ticked` },
      );
    }
    case "all": {
      const children = condition.of.map((c) => compileCondition(c, lexicon));
      if (!condition.sameClause) return node("all", children[0]?.triggers, { children }); // the first is looked at first
      const positive = children.filter((_, i) => isMonotone(condition.of[i] as Condition));
      return node("sameClause", positive[0]?.triggers, { children, positive });
    }
    case "any": {
      const children = condition.of.map((c) => compileCondition(c, lexicon));
      const triggers = children.every((c) => c.triggers !== undefined)
        ? {
            groups: [...new Set(children.flatMap((c) => c.triggers?.groups ?? []))],
            needHints: [...new Set(children.flatMap((c) => c.triggers?.needHints ?? []))],
          }
        : undefined;
      return node("any", triggers, { children });
    }
    case "not":
      return node("not", undefined, { children: [compileCondition(condition.condition, lexicon)] });
  }
}

/**
 * The evidence of a condition that holds, null when it does not. `test` tells the same without
 * building evidence (most conditions do not hold, and most of those that do are guards inside `not`).
 * Both report the same negated matches in `ctx.negated`, and none within a clause (ctx.clause set).
 */
export function evaluate(c: Compiled, ctx: EvalContext): MatchEvidence[] | null {
  switch (c.kind) {
    case "text":
      return evaluateText(c, ctx);
    case "field":
      return (c.field as Evaluator)(ctx);
    case "needHint":
      return ctx.request.input.needHints.includes(c.need as Need)
        ? [{ kind: "needHint", detail: c.detail }]
        : null;
    case "all":
      return evaluateAll(c.children, ctx);
    case "sameClause": {
      // Nested in another sameClause condition, it is already within one clause.
      if (ctx.clause !== undefined) return evaluateAll(c.children, ctx);
      const clause = firstClause(c, ctx);
      if (clause === undefined) return null;
      try {
        ctx.clause = clause;
        return evaluateAll(c.children, ctx);
      } finally {
        ctx.clause = undefined;
      }
    }
    case "any": {
      // Every branch, without short-circuit: the explanation lists all that matched.
      let evidence: MatchEvidence[] | null = null;
      for (const child of c.children) {
        const e = evaluate(child, ctx);
        if (e === null) continue;
        // a new array (see Evaluator): the first is extended in place
        if (evidence === null) evidence = e;
        else for (const x of e) evidence.push(x);
      }
      return evidence;
    }
    case "not":
      return test(c.children[0] as Compiled, ctx) ? null : [];
  }
}

export function test(c: Compiled, ctx: EvalContext): boolean {
  switch (c.kind) {
    case "text":
      return testText(c, ctx);
    case "field":
      return (c.field as Evaluator)(ctx) !== null;
    case "needHint":
      return ctx.request.input.needHints.includes(c.need as Need);
    case "all":
      return testAll(c.children, ctx);
    case "sameClause":
      return ctx.clause !== undefined ? testAll(c.children, ctx) : firstClause(c, ctx) !== undefined;
    case "any": {
      let holds = false;
      for (const child of c.children) if (test(child, ctx)) holds = true; // reports all negated matches
      return holds;
    }
    case "not":
      return !test(c.children[0] as Compiled, ctx);
  }
}

function evaluateAll(conditions: readonly Compiled[], ctx: EvalContext): MatchEvidence[] | null {
  let evidence: MatchEvidence[] | null = null;
  for (const condition of conditions) {
    const e = evaluate(condition, ctx);
    if (e === null) return null;
    // a new array (see Evaluator): the first is extended in place
    if (evidence === null) evidence = e;
    else for (const x of e) evidence.push(x);
  }
  return evidence ?? [];
}

function testAll(conditions: readonly Compiled[], ctx: EvalContext): boolean {
  for (const condition of conditions) if (!test(condition, ctx)) return false;
  return true;
}

/**
 * `all` with `sameClause`: the conditions must hold together in one clause of the description
 * ("mangler" and "tømrere" in one sentence, not anywhere in the request). The first clause where they
 * do, or undefined; leaves ctx.clause unset. The positive conditions (without a `not`, which can only
 * hold in a clause if they hold in the whole text) are a quick test first; then each clause with a
 * phrase in it is tried, and one clause with none (all such are alike), with `test` (it builds no
 * evidence). Within a clause no condition reports negated matches: the whole-text test has.
 */
function firstClause(c: Compiled, ctx: EvalContext): number | undefined {
  if (!testAll(c.positive, ctx)) return undefined;
  const { clausesWithHits, hasEmptyClause } = ctx.request.text;
  try {
    for (const clause of clausesWithHits) {
      ctx.clause = clause;
      if (testAll(c.children, ctx)) return clause;
    }
    ctx.clause = -1;
    return hasEmptyClause && testAll(c.children, ctx) ? -1 : undefined;
  } finally {
    ctx.clause = undefined;
  }
}

function evaluateText({ group, negatable }: Compiled, ctx: EvalContext): MatchEvidence[] | null {
  const occurrences = ctx.request.text.byGroup[group];
  if (occurrences === undefined) return null;
  if (ctx.clause !== undefined) return inClause(occurrences, ctx, negatable);
  let evidence: MatchEvidence[] | null = null;
  for (const o of explainedHits(occurrences)) {
    if (o.cue !== null && negatable) ctx.negated.push({ phrase: o.phrase.text, cue: o.cue });
    else {
      const e: MatchEvidence = { kind: "text", detail: textDetail(o) };
      if (o.at < ctx.firstAt) ctx.firstAt = o.at;
      if (evidence === null) evidence = [e];
      else evidence.push(e);
    }
  }
  return evidence;
}

function testText({ group, negatable }: Compiled, ctx: EvalContext): boolean {
  const occurrences = ctx.request.text.byGroup[group];
  if (occurrences === undefined) return false;
  if (!negatable) return ctx.clause === undefined || inSomeClause(occurrences, ctx.clause);
  if (ctx.clause !== undefined) {
    for (const { cue, clause } of occurrences) if (clause === ctx.clause && cue === null) return true;
    return false;
  }
  let negated = false;
  for (const o of occurrences) if (o.cue !== null) negated = true;
  if (!negated) return true;
  let holds = false;
  for (const { phrase, cue } of explainedHits(occurrences)) {
    // as in evaluateText, which reports the same negated matches
    if (cue === null) holds = true;
    else ctx.negated.push({ phrase: phrase.text, cue });
  }
  return holds;
}

/** Whether an occurrence is in the clause (a loop, not `some` with a closure: this is called often). */
function inSomeClause(occurrences: readonly Occurrence[], clause: number): boolean {
  for (const o of occurrences) if (o.clause === clause) return true;
  return false;
}

/**
 * The evidence of a text match: `'phrase' ← "words"`, made once per occurrence. The start is made once
 * per phrase (it holds the arrow, a non-Latin-1 character, which makes building the string slower).
 */
function textDetail(occurrence: Occurrence): string {
  occurrence.detail ??= `${occurrence.phrase.detailStart}${occurrence.words}"`;
  return occurrence.detail;
}

function hasDetail(evidence: readonly MatchEvidence[], detail: string): boolean {
  for (const e of evidence) if (e.detail === detail) return true;
  return false;
}

/** A text condition within one clause: its un-negated occurrences there (negated ones are reported globally). */
function inClause(
  occurrences: readonly Occurrence[] | undefined,
  ctx: EvalContext,
  negatable: boolean,
): MatchEvidence[] | null {
  if (occurrences === undefined) return null;
  const clause = ctx.clause;
  let evidence: MatchEvidence[] | null = null;
  for (const o of occurrences) {
    if (o.clause !== clause || (o.cue !== null && negatable)) continue;
    if (o.at < ctx.firstAt) ctx.firstAt = o.at;
    const detail = textDetail(o);
    if (evidence === null) evidence = [{ kind: "text", detail }];
    else if (!hasDetail(evidence, detail)) evidence.push({ kind: "text", detail });
  }
  return evidence;
}

type FieldCondition = Extract<Condition, { type: "field" }>;

function fieldEvaluator(condition: FieldCondition, lexicon: Lexicon): Evaluator {
  switch (condition.op) {
    case "in": {
      const codes = new Set(condition.value);
      const label = `municipalityCode in [${condition.value.join(", ")}]`;
      return ({ request: { input } }) =>
        codes.has(input.municipalityCode)
          ? [{ kind: "field", detail: `${label} ← ${input.municipalityCode}` }]
          : null;
    }
    case "containsAny": {
      const group = lexicon.group(condition.value);
      return (ctx) => {
        const { request } = ctx;
        request.industry ??= request.input.industry ? analyse(request.input.industry, lexicon, 0) : NO_HITS;
        const occurrences = request.industry.byGroup[group];
        if (occurrences === undefined) return null;
        return phraseHits(occurrences).map((h) => ({
          kind: "field",
          detail: `industry '${h.phrase.text}' ← "${h.words}"`,
        }));
      };
    }
    default:
      return employeesEvaluator(condition);
  }
}

function employeesEvaluator(condition: Extract<FieldCondition, { field: "employees" }>): Evaluator {
  const [test, label] = employeesTest(condition);
  return ({ request: { input } }) =>
    input.employees !== undefined && test(input.employees)
      ? [{ kind: "field", detail: `${label} ← ${input.employees}` }]
      : null;
}

function employeesTest(
  condition: Extract<FieldCondition, { field: "employees" }>,
): [(n: number) => boolean, string] {
  if (condition.op === "between") {
    const [min, max] = condition.value;
    return [(n) => n >= min && n <= max, `employees between ${min} and ${max}`];
  }
  const value = condition.value;
  if (condition.op === "gte") return [(n) => n >= value, `employees >= ${value}`];
  if (condition.op === "lte") return [(n) => n <= value, `employees <= ${value}`];
  return [(n) => n === value, `employees = ${value}`];
}

/** Whether a condition has no `not` in it: then it holds in a clause only if it holds in the text. */
function isMonotone(condition: Condition): boolean {
  if (condition.type === "not") return false;
  if (condition.type === "all" || condition.type === "any") return condition.of.every(isMonotone);
  return true;
}
