/**
 * Where a classified request goes. Routing by municipality is reference data (the consortium map),
 * not a rule per municipality; the rule set only adds overrides for the exceptions.
 */
import type { AnalysedRequest, Classification, CompiledRuleSet } from "./engine.ts";
import type { RoutingOverride } from "./ruleset-schema.ts";

/**
 * Why a request went where it went, as data: pages say it in the reader's language (with the
 * municipality's and consortium's names), while `Route.reason` keeps the English sentence for API
 * clients and audit logs.
 */
export type RouteBasis =
  /** The company's municipality belongs to this consortium. */
  | { kind: "municipality"; municipalityCode: string; consortiumId: string }
  /**
   * No need reached the rule set's threshold: the municipality's consortium (consultants of all three
   * systems) reads the request, marked "need unclear".
   */
  | { kind: "needUnclear"; municipalityCode: string; consortiumId: string }
  /** Decisions stored before session 7: no need, so manual triage. No longer made. */
  | { kind: "noNeed" }
  /** The company's municipality is in no consortium of the map. */
  | { kind: "unknownMunicipality"; municipalityCode: string }
  /** An administrator's routing override decided; its reason is the administrator's own text. */
  | { kind: "override"; overrideId: string }
  /** An override names a consortium that is not in the map, so the request went to manual triage. */
  | { kind: "unknownConsortium"; overrideId: string; consortiumId: string }
  /** A running campaign caught the request for its team. */
  | { kind: "campaign"; campaignId: string; name: string; team: string };

export interface Route {
  /** The consortium whose inbox gets the case; null for manual triage. */
  consortiumId: string | null;
  queue: "consortium" | "manual";
  /** Why, in English (or, for an administrator's override, as the administrator wrote it). */
  reason: string;
  /** Why, as data. */
  basis: RouteBasis;
  /** The routing override that decided, when one did. */
  overrideId?: string;
  /** Set when no need reached the threshold: the consortium must find out what the company needs. */
  needUnclear?: true;
  /** The tag of the override that decided (e.g. "layoff"): stored on the case as a campaign's is. */
  tag?: string;
}

/**
 * An override the system makes rather than an administrator (a campaign): it states its own basis,
 * which the route carries instead of `{ kind: "override" }`.
 */
export type GeneratedOverride = RoutingOverride & { basis: RouteBasis };

/**
 * First matching override wins; else the company's municipality decides through the consortium map,
 * also for a request with no applied need (marked `needUnclear`: the local consortium holds
 * consultants of all three systems); an unknown municipality goes to manual triage. The request is
 * analysed by `compiled` (the analysis its classification was made from).
 */
export function decideRoute(
  compiled: CompiledRuleSet,
  request: AnalysedRequest,
  classification: Classification,
  municipalityToConsortium: ReadonlyMap<string, string>,
): Route {
  const needUnclear = classification.needs.length === 0;
  const hit = compiled.matchOverride(request);
  if (hit) {
    const override: RoutingOverride & Partial<Pick<GeneratedOverride, "basis">> = hit.override;
    const { id, to, reason, tag } = override;
    const basis: RouteBasis = override.basis ?? { kind: "override", overrideId: id };
    const marks = { ...(needUnclear ? { needUnclear: true as const } : {}), ...(tag ? { tag } : {}) };
    if ("manualTriage" in to) return { ...manual(reason, basis, id), ...marks };
    if ("localConsortium" in to) {
      const local = byMunicipality(request, municipalityToConsortium, classification);
      if (local.queue === "manual") return { ...local, overrideId: id, ...marks };
      return { ...local, reason, basis, overrideId: id, ...marks };
    }
    // An override may outlive the consortium it names (areas are merged): never route into nothing.
    const known = new Set(municipalityToConsortium.values()).has(to.consortiumId);
    if (!known)
      return manual(
        `override ${id} names unknown consortium ${to.consortiumId}`,
        { kind: "unknownConsortium", overrideId: id, consortiumId: to.consortiumId },
        id,
      );
    return { consortiumId: to.consortiumId, queue: "consortium", reason, basis, overrideId: id, ...marks };
  }
  return byMunicipality(request, municipalityToConsortium, classification);
}

/** The consortium of the company's municipality (manual triage when it has none). */
function byMunicipality(
  request: AnalysedRequest,
  municipalityToConsortium: ReadonlyMap<string, string>,
  classification: Classification,
): Route {
  const code = request.input.municipalityCode;
  const consortiumId = municipalityToConsortium.get(code);
  const needUnclear = classification.needs.length === 0;
  if (consortiumId === undefined)
    return {
      ...manual(`municipality ${code} belongs to no consortium`, {
        kind: "unknownMunicipality",
        municipalityCode: code,
      }),
      ...(needUnclear ? { needUnclear: true as const } : {}),
    };
  if (needUnclear)
    return {
      consortiumId,
      queue: "consortium",
      reason: `no need reached the threshold of the rule set: municipality ${code} belongs to ${consortiumId}, whose consultants read the request (need unclear)`,
      basis: { kind: "needUnclear", municipalityCode: code, consortiumId },
      needUnclear: true,
    };
  return {
    consortiumId,
    queue: "consortium",
    reason: `municipality ${code} belongs to ${consortiumId}`,
    basis: { kind: "municipality", municipalityCode: code, consortiumId },
  };
}

function manual(reason: string, basis: RouteBasis, overrideId?: string): Route {
  const route: Route = { consortiumId: null, queue: "manual", reason, basis };
  if (overrideId !== undefined) route.overrideId = overrideId;
  return route;
}
