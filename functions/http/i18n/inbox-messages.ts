import type { Principal } from "#shared/principal.ts";
import { type CaseTerms, caseTerms } from "./case-terms.ts";
import { type CommonMessages, commonMessages } from "./common-messages.ts";
import type { Lang } from "./lang.ts";

/** The consortium inbox: sign-in, the list of cases, and a case with its actions. */
const da = {
  allStatuses: "Alle statusser",
  allNeeds: "Alle behov",
  filter: "Filtrer",
  reference: "Reference",
  company: "Virksomhed",
  assignee: "Ansvarlig",
  nobody: "Ingen",
  noCases: "Ingen sager her.",
  nextPage: "Næste side",
  statusAll: "Alle",
  request: "Henvendelsen",
  contact: "Kontakt",
  whyHere: "Hvorfor sagen kom hertil",
  ruleSetVersion: "Regelsæt, version",
  firedRules: "Regler der slog til",
  scores: "Point",
  negatedMatches: "Ord der ikke talte (nægtet)",
  routeReason: "Routing",
  leads: "Hvem leder hvilket behov",
  followUps: "Opfølgning (politisk kobling)",
  markDone: "Marker som gjort",
  done: "Gjort",
  open: "Åben",
  companyHistory: "Virksomhedens andre sager",
  noOtherCases: "Ingen andre sager for dette CVR-nummer.",
  claim: "Tag sagen",
  reassign: "Overtag sagen",
  addNote: "Tilføj notat",
  noteText: "Notat (hvad blev gjort, af hvem)",
  system: "System",
  startWork: "Sæt i gang",
  close: "Afslut sagen",
  transfer: "Flyt til andet konsortium",
  transferReason: "Begrundelse",
  signInTitle: "Log ind som medarbejder",
  signInLocal: "Lokal udvikling: vælg, hvem du vil være. (Findes kun, når tjenesten kører lokalt.)",
  role: "Rolle",
  roleNames: {
    consultant: "Konsulent",
    admin: "Administrator",
  } satisfies Record<Principal["role"], string>,
  yourName: "Dit navn",
  signIn: "Log ind",
};

export type InboxMessages = CommonMessages & CaseTerms & typeof da;

const en: typeof da = {
  allStatuses: "All statuses",
  allNeeds: "All needs",
  filter: "Filter",
  reference: "Reference",
  company: "Company",
  assignee: "Assignee",
  nobody: "Nobody",
  noCases: "No cases here.",
  nextPage: "Next page",
  statusAll: "All",
  request: "The request",
  contact: "Contact",
  whyHere: "Why the case came here",
  ruleSetVersion: "Rule set, version",
  firedRules: "Rules that fired",
  scores: "Scores",
  negatedMatches: "Words that did not count (negated)",
  routeReason: "Routing",
  leads: "Who leads which need",
  followUps: "Follow-up (policy coupling)",
  markDone: "Mark as done",
  done: "Done",
  open: "Open",
  companyHistory: "The company's other cases",
  noOtherCases: "No other cases for this CVR number.",
  claim: "Claim the case",
  reassign: "Take over the case",
  addNote: "Add note",
  noteText: "Note (what was done, by whom)",
  system: "System",
  startWork: "Start work",
  close: "Close the case",
  transfer: "Move to another consortium",
  transferReason: "Reason",
  signInTitle: "Sign in as staff",
  signInLocal: "Local development: choose who you want to be. (Only exists when the service runs locally.)",
  role: "Role",
  roleNames: {
    consultant: "Consultant",
    admin: "Administrator",
  },
  yourName: "Your name",
  signIn: "Sign in",
};

const INBOX: Record<Lang, InboxMessages> = {
  da: { ...commonMessages("da"), ...caseTerms("da"), ...da },
  en: { ...commonMessages("en"), ...caseTerms("en"), ...en },
};

export function inboxMessages(lang: Lang): InboxMessages {
  return INBOX[lang];
}
