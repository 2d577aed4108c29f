import type { CaseStatus, Outcome, TimelineEvent } from "#shared/cases/model.ts";
import type { Need, System } from "#shared/needs.ts";
import type { TieBreak } from "#shared/rules/engine.ts";
import type { RouteBasis } from "#shared/rules/routing.ts";
import { fill, type Lang } from "./lang.ts";

/** The route bases the service explains in words (an administrator's override speaks for itself). */
type RouteReasonKind = Exclude<RouteBasis["kind"], "override">;

/**
 * The words for a case that more than one surface shows (the company's status page, the inbox, the
 * admin pages): its fields, statuses, needs, events, outcomes, systems, and why it went where it went.
 */
const da = {
  status: "Status",
  needs: "Behov",
  received: "Modtaget",
  history: "Forløb",
  municipality: "Kommune",
  employees: "Antal ansatte",
  industry: "Branche",
  langDa: "Dansk",
  langEn: "Engelsk",
  consortium: "Konsortium",
  manualInbox: "Manuel visitering",
  caseTitle: "Sag",
  actions: "Handlinger",
  priorityRule: "prioritet",
  outcome: "Resultat",
  statusNames: {
    received: "Modtaget",
    routed: "Sendt til team",
    manual_triage: "Vurderes manuelt",
    delivered: "Hos teamet",
    claimed: "En konsulent har taget sagen",
    in_progress: "I gang",
    closed: "Afsluttet",
  } satisfies Record<CaseStatus, string>,
  needNames: {
    growth: "Vækst",
    recruitment: "Rekruttering",
    upskilling: "Opkvalificering",
  } satisfies Record<Need, string>,
  eventNames: {
    received: "Henvendelsen er modtaget",
    routed: "Henvendelsen er sendt til teamet",
    manual_triage: "Henvendelsen vurderes af en medarbejder",
    delivered: "Teamet har modtaget sagen",
    claimed: "En konsulent har taget sagen",
    assigned: "Sagen er givet til en konsulent",
    note: "Notat",
    in_progress: "Arbejdet er i gang",
    transferred: "Sagen er flyttet til et andet team",
    closed: "Sagen er afsluttet",
    reopened: "Sagen er genåbnet",
    message_to_company: "Besked til virksomheden",
    message_from_company: "Svar fra virksomheden",
  } satisfies Record<TimelineEvent, string>,
  outcomeNames: {
    recruited: "Rekrutteret",
    upskilling_started: "Opkvalificering startet",
    growth_programme: "Vækstforløb",
    referred: "Henvist",
    no_action: "Ingen handling",
  } satisfies Record<Outcome, string>,
  systemNames: {
    jobCentre: "Jobcenter",
    veuCentre: "VEU-center",
    businessHub: "Erhvervshus",
  } satisfies Record<System, string>,
  routeReasons: {
    municipality: "Kommunen {municipality} hører til {consortium}",
    noNeed: "Intet behov nåede regelsættets tærskel: en medarbejder skal læse henvendelsen",
    needUnclear:
      "Behov uafklaret: kommunen {municipality} hører til {consortium}, hvis konsulenter læser henvendelsen",
    unknownMunicipality: "Kommunen {municipality} hører ikke til noget konsortium",
    unknownConsortium: "Undtagelsen {override} peger på konsortiet {consortium}, som ikke findes",
    campaign: "Kampagnen “{name}”: håndteres af {team}",
  } satisfies Record<RouteReasonKind, string>,
  /** The mark of a case whose request reached no need (shown in the inbox). */
  needUnclear: "Behov uafklaret",
  /** How the primary need was chosen when needs shared the top score (`Classification.tieBreak`). */
  tieBreaks: {
    priority: "Primært behov: det, henvendelsen selv fremhæver (fx “først og fremmest”, “det haster ikke”)",
    raw: "Primært behov: det stærkest udtrykte af {needs}",
    first: "Primært behov: det, henvendelsen nævner først af {needs}",
    equal: "Intet primært behov: henvendelsen siger, at {needs} vejer lige tungt",
    unresolved: "Intet primært behov: intet skilte {needs} ad",
  } satisfies Record<TieBreak["by"], string>,
};

export type CaseTerms = typeof da;

const en: CaseTerms = {
  status: "Status",
  needs: "Needs",
  received: "Received",
  history: "History",
  municipality: "Municipality",
  employees: "Number of employees",
  industry: "Industry",
  langDa: "Danish",
  langEn: "English",
  consortium: "Consortium",
  manualInbox: "Manual triage",
  caseTitle: "Case",
  actions: "Actions",
  priorityRule: "priority",
  outcome: "Outcome",
  statusNames: {
    received: "Received",
    routed: "Sent to team",
    manual_triage: "Being assessed by hand",
    delivered: "With the team",
    claimed: "A consultant has taken the case",
    in_progress: "In progress",
    closed: "Closed",
  },
  needNames: {
    growth: "Growth",
    recruitment: "Recruitment",
    upskilling: "Upskilling",
  },
  eventNames: {
    received: "Request received",
    routed: "Request sent to the team",
    manual_triage: "Request is being assessed by a person",
    delivered: "The team has received the case",
    claimed: "A consultant has taken the case",
    assigned: "The case was given to a consultant",
    note: "Note",
    in_progress: "Work is in progress",
    transferred: "The case was moved to another team",
    closed: "The case is closed",
    reopened: "The case was reopened",
    message_to_company: "Message to the company",
    message_from_company: "Reply from the company",
  },
  outcomeNames: {
    recruited: "Recruited",
    upskilling_started: "Upskilling started",
    growth_programme: "Growth programme",
    referred: "Referred",
    no_action: "No action",
  },
  systemNames: {
    jobCentre: "Job centre",
    veuCentre: "VEU centre",
    businessHub: "Business hub",
  },
  routeReasons: {
    municipality: "The municipality {municipality} belongs to {consortium}",
    noNeed: "No need reached the threshold of the rule set: a person must read the request",
    needUnclear:
      "Need unclear: the municipality {municipality} belongs to {consortium}, whose consultants read the request",
    unknownMunicipality: "The municipality {municipality} belongs to no consortium",
    unknownConsortium: "Override {override} names the consortium {consortium}, which does not exist",
    campaign: "Campaign “{name}”: handled by {team}",
  },
  needUnclear: "Need unclear",
  tieBreaks: {
    priority: "Primary need: the one the request itself puts first (e.g. “first and foremost”, “not urgent”)",
    raw: "Primary need: the most strongly expressed of {needs}",
    first: "Primary need: the one of {needs} the request states first",
    equal: "No primary need: the request says {needs} weigh the same",
    unresolved: "No primary need: nothing told {needs} apart",
  },
};

const TERMS: Record<Lang, CaseTerms> = { da, en };

export function caseTerms(lang: Lang): CaseTerms {
  return TERMS[lang];
}

/** A name from `names`; a value stored by another version of the service shows as its key. */
const named = <K extends string>(names: Record<K, string>, prefix: string, key: K): string =>
  names[key] ?? `${prefix}${key}`;

export const statusLabel = (m: CaseTerms, s: CaseStatus) => named(m.statusNames, "status_", s);
export const needLabel = (m: CaseTerms, n: Need) => named(m.needNames, "need_short_", n);
export const eventLabel = (m: CaseTerms, e: TimelineEvent) => named(m.eventNames, "event_", e);
export const outcomeLabel = (m: CaseTerms, o: Outcome) => named(m.outcomeNames, "outcome_", o);
export const systemLabel = (m: CaseTerms, s: System) => named(m.systemNames, "system_", s);

/** The names a page can look up; without one, the code or id is shown. */
export interface RouteNames {
  municipality?: (code: string) => string | undefined;
  consortium?: (id: string) => string | undefined;
}

/**
 * Why a case went where it went, in the reader's language, from the route's basis. An
 * administrator's override is shown as the administrator wrote it; a decision stored before routes
 * had a basis shows its (English) reason.
 */
export function routeReasonText(
  m: CaseTerms,
  route: { reason: string; basis?: RouteBasis | undefined },
  names: RouteNames = {},
): string {
  const municipality = (code: string) => {
    const name = names.municipality?.(code);
    return name ? `${name} (${code})` : code;
  };
  const consortium = (id: string) => names.consortium?.(id) ?? id;
  const b = route.basis;
  switch (b?.kind) {
    case undefined:
    case "override":
      return route.reason;
    case "municipality":
      return fill(m.routeReasons.municipality, {
        municipality: municipality(b.municipalityCode),
        consortium: consortium(b.consortiumId),
      });
    case "noNeed":
      return m.routeReasons.noNeed;
    case "needUnclear":
      return fill(m.routeReasons.needUnclear, {
        municipality: municipality(b.municipalityCode),
        consortium: consortium(b.consortiumId),
      });
    case "unknownMunicipality":
      return fill(m.routeReasons.unknownMunicipality, { municipality: municipality(b.municipalityCode) });
    case "unknownConsortium":
      return fill(m.routeReasons.unknownConsortium, {
        override: b.overrideId,
        consortium: consortium(b.consortiumId),
      });
    case "campaign":
      return fill(m.routeReasons.campaign, { name: b.name, team: b.team });
  }
}

/** How the primary need was chosen among needs that shared the top score, in the reader's language. */
export function tieBreakText(m: CaseTerms, tieBreak: TieBreak): string {
  const needs = tieBreak.between.map((n) => needLabel(m, n)).join(", ");
  return fill(m.tieBreaks[tieBreak.by] ?? tieBreak.by, { needs });
}
