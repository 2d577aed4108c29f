import type { Decision } from "./cases/model.ts";
import type { IntakePayload } from "./intake/request-schema.ts";
import type { ClassificationInput, CompiledRuleSet } from "./rules/engine.ts";
import { decideRoute } from "./rules/routing.ts";

/** The fields of a request that rules may look at. Contact details never reach the rules. */
export function classificationInput(p: IntakePayload): ClassificationInput {
  return {
    description: p.request.description,
    needHints: p.request.needHints,
    municipalityCode: p.company.municipalityCode,
    ...(p.company.employees === undefined ? {} : { employees: p.company.employees }),
    ...(p.company.industry === undefined ? {} : { industry: p.company.industry }),
  };
}

/**
 * Classify a request by need and choose where it goes: the whole decision, with its explanation.
 * Pure: the triage worker, the CLI and the admin dry-run all call this. The request is analysed once,
 * for both the classification and the route.
 */
export function decide(
  payload: IntakePayload,
  rules: CompiledRuleSet,
  municipalities: ReadonlyMap<string, string>,
  now: string,
): Decision {
  const request = rules.analyse(classificationInput(payload));
  const classification = rules.classify(request);
  const route = decideRoute(rules, request, classification, municipalities);
  return { ...classification, route, decidedAt: now };
}
