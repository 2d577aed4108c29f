/**
 * Where a classified request goes. Routing by municipality is reference data (the consortium map),
 * not a rule per municipality; the rule set only adds overrides for the exceptions.
 */
import type { Classification, ClassificationInput, CompiledRuleSet } from "./engine.ts";

export interface Route {
  /** The consortium whose inbox gets the case; null for manual triage. */
  consortiumId: string | null;
  queue: "consortium" | "manual";
  reason: string;
  /** The routing override that decided, when one did. */
  overrideId?: string;
}

/**
 * First matching override wins; else a request with no applied need goes to manual triage; else
 * the company's municipality decides through the consortium map; an unknown municipality goes to
 * manual triage.
 */
export function decideRoute(
  compiled: CompiledRuleSet,
  input: ClassificationInput,
  classification: Classification,
  municipalityToConsortium: ReadonlyMap<string, string>,
): Route {
  const hit = compiled.matchOverride(input);
  if (hit) {
    const { id, to, reason } = hit.override;
    if ("manualTriage" in to) return manual(reason, id);
    // An override may outlive the consortium it names (areas are merged): never route into nothing.
    const known = new Set(municipalityToConsortium.values()).has(to.consortiumId);
    if (!known) return manual(`override ${id} names unknown consortium ${to.consortiumId}`, id);
    return { consortiumId: to.consortiumId, queue: "consortium", reason, overrideId: id };
  }
  if (classification.needs.length === 0)
    return manual("no need reached the threshold of the rule set: a person must read the request");
  const code = input.municipalityCode;
  const consortiumId = municipalityToConsortium.get(code);
  if (consortiumId === undefined) return manual(`municipality ${code} belongs to no consortium`);
  return { consortiumId, queue: "consortium", reason: `municipality ${code} belongs to ${consortiumId}` };
}

function manual(reason: string, overrideId?: string): Route {
  const route: Route = { consortiumId: null, queue: "manual", reason };
  if (overrideId !== undefined) route.overrideId = overrideId;
  return route;
}
