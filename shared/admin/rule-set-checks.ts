import type { FieldProblem } from "#shared/errors.ts";
import { validationFailed } from "#shared/errors.ts";
import { NEEDS, type Need } from "#shared/needs.ts";
import type { ConsortiumDirectory } from "#shared/reference/consortium-directory.ts";
import { MUNICIPALITY_CODES } from "#shared/reference/municipalities.ts";
import { type Classification, compile } from "#shared/rules/engine.ts";
import { decideRoute } from "#shared/rules/routing.ts";
import { type Condition, type RuleSet, RuleSetSchema } from "#shared/rules/ruleset-schema.ts";
import { parseBody } from "#shared/validation.ts";

/**
 * Checking a rule set before it is saved or published: the schema, then static checks that catch
 * real mistakes (duplicate ids, rules that can never match, areas without a route).
 */

const MAX_RULE_SET_BYTES = 300 * 1024;

/** Problems a valid-looking rule set still has; each with the path of the part at fault. */
export function staticProblems(doc: RuleSet, dir: ConsortiumDirectory): FieldProblem[] {
  const problems: FieldProblem[] = [];
  // Ids across lists: explanations and audits name rules, couplings and overrides by id alone.
  const owner = new Map<string, string>();
  const lists = [
    ["rules", doc.rules],
    ["couplings", doc.couplings],
    ["routing.overrides", doc.routing.overrides],
  ] as const;
  for (const [name, list] of lists)
    list.forEach((item, i) => {
      const first = owner.get(item.id);
      if (first && !first.startsWith(`${name}.`))
        problems.push({ path: `${name}.${i}.id`, message: `duplicate id "${item.id}" (also ${first})` });
      if (!first) owner.set(item.id, `${name}.${i}`);
    });

  doc.rules.forEach((r, i) => {
    if (r.weight === 0)
      problems.push({ path: `rules.${i}.weight`, message: "a weight of 0 never changes a score" });
    for (const p of never(r.when, `rules.${i}.when`))
      problems.push({ path: p.path, message: `rule "${r.id}" can never match: ${p.message}` });
    if (r.fallback && r.priority)
      problems.push({
        path: `rules.${i}.fallback`,
        message: "a rule is a fallback or a priority rule, not both",
      });
    if (r.fallback && r.weight < 0)
      problems.push({
        path: `rules.${i}.weight`,
        message: "a fallback rule only adds to a need: its weight must be positive",
      });
  });
  const equalWhen = doc.scoring.tieBreak?.equalWhen;
  if (equalWhen)
    for (const p of never(equalWhen, "scoring.tieBreak.equalWhen"))
      problems.push({ path: p.path, message: `the tie-break's equalWhen can never match: ${p.message}` });
  const order = doc.scoring.tieBreak?.order ?? [];
  if (new Set(order).size < order.length)
    problems.push({ path: "scoring.tieBreak.order", message: "names a criterion twice" });
  doc.routing.overrides.forEach((o, i) => {
    for (const p of never(o.when, `routing.overrides.${i}.when`))
      problems.push({ path: p.path, message: `override "${o.id}" can never match: ${p.message}` });
    if ("consortiumId" in o.to && !dir.byId.has(o.to.consortiumId))
      problems.push({
        path: `routing.overrides.${i}.to.consortiumId`,
        message: `no consortium "${o.to.consortiumId}"`,
      });
  });
  doc.couplings.forEach((c, i) => {
    if (c.ifNeed === c.addFollowUp)
      problems.push({ path: `couplings.${i}.addFollowUp`, message: "couples a need to itself" });
  });
  for (const need of NEEDS)
    if (!doc.rules.some((r) => r.need === need && r.weight > 0 && !r.priority))
      problems.push({ path: "rules", message: `no rule can give the need "${need}" a positive score` });

  // Every area × need must reach an inbox: simulate the route for each municipality and need.
  const compiled = compile(doc, 0);
  const unrouted = new Map<string, Set<Need>>();
  for (const code of MUNICIPALITY_CODES)
    for (const need of NEEDS) {
      const request = compiled.analyse({ description: "", needHints: [], municipalityCode: code });
      const route = decideRoute(compiled, request, classificationOf(need), dir.municipalities);
      if (route.consortiumId === null && route.overrideId === undefined) {
        const area = dir.municipalities.get(code) ?? `municipality ${code}`;
        unrouted.set(area, (unrouted.get(area) ?? new Set()).add(need));
      }
    }
  for (const [area, needs] of unrouted)
    problems.push({
      path: "routing",
      message: `${area} × ${[...needs].join(", ")} has no route: it would go to manual triage`,
    });
  return problems;
}

function classificationOf(need: Need): Classification {
  const zero = { raw: 0, score: 0 };
  return {
    ruleSetVersion: 0,
    needs: [need],
    primaryNeed: need,
    scores: { growth: zero, recruitment: zero, upskilling: zero, [need]: { raw: 3, score: 3 } },
    firedRules: [],
    negated: [],
    followUps: [],
  };
}

/** Why a condition can never hold (empty when it can, as far as static analysis tells). */
function never(c: Condition, path: string): FieldProblem[] {
  switch (c.type) {
    case "text":
    case "needHint":
      return [];
    case "field": {
      if (c.field === "municipalityCode") {
        const known = new Set<string>(MUNICIPALITY_CODES);
        const unknown = c.value.filter((v) => !known.has(v));
        if (unknown.length === c.value.length)
          return [{ path: `${path}.value`, message: `no such municipality: ${unknown.join(", ")}` }];
        return [];
      }
      if (c.field === "industry") return [];
      const [lo, hi] = employeeRange(c);
      return lo > hi ? [{ path: `${path}.value`, message: "no number of employees satisfies it" }] : [];
    }
    case "all": {
      const inner = c.of.flatMap((x, i) => never(x, `${path}.of.${i}`));
      if (inner.length) return inner;
      let lo = 0;
      let hi = Number.POSITIVE_INFINITY;
      for (const x of c.of)
        if (x.type === "field" && x.field === "employees") {
          const [a, b] = employeeRange(x);
          lo = Math.max(lo, a);
          hi = Math.min(hi, b);
        }
      return lo > hi ? [{ path: `${path}.of`, message: "its employee ranges do not overlap" }] : [];
    }
    case "any": {
      const each = c.of.map((x, i) => never(x, `${path}.of.${i}`));
      return each.every((p) => p.length > 0) ? each.flat() : [];
    }
    case "not":
      return [];
  }
}

function employeeRange(c: Extract<Condition, { field: "employees" }>): [number, number] {
  const max = 1_000_000; // the intake's own limit
  switch (c.op) {
    case "gte":
      return [Math.max(0, Math.ceil(c.value)), max];
    case "lte":
      return [0, Math.min(max, Math.floor(c.value))];
    case "eq":
      return Number.isInteger(c.value) && c.value >= 0 ? [c.value, c.value] : [1, 0];
    case "between":
      return [Math.max(0, Math.ceil(c.value[0])), Math.min(max, Math.floor(c.value[1]))];
  }
}

/** Schema, then static checks: the rule set, or a 400 naming every problem by path. */
export async function validateRuleSet(
  deps: { consortia: () => Promise<ConsortiumDirectory> },
  input: unknown,
): Promise<RuleSet> {
  const ruleSet = parseBody(RuleSetSchema, input, "The rule set is not valid");
  // A published version is one DynamoDB item (at most 400 KB with its metadata).
  const size = Buffer.byteLength(JSON.stringify(ruleSet));
  if (size > MAX_RULE_SET_BYTES)
    throw validationFailed([
      { path: "", message: `is ${Math.round(size / 1024)} KB; at most ${MAX_RULE_SET_BYTES / 1024} KB` },
    ]);
  const problems = staticProblems(ruleSet, await deps.consortia());
  if (problems.length) throw validationFailed(problems, "The rule set has mistakes");
  return ruleSet;
}
