import type { Lang } from "./lang.ts";

/** What every page of both apps shows: the header, the footer, and the problem pages. */
const da = {
  siteName: "Indgang",
  tagline: "Én indgang til offentlig hjælp for virksomheder",
  skip: "Gå til indhold",
  otherLang: "English",
  otherLangCode: "en",
  staffTitle: "Indgang for konsulenter",
  inboxTitle: "Indbakke",
  adminLink: "Administration",
  signOut: "Log ud",
  privacy: "Vi gemmer kun oplysningerne, så længe sagen kræver det.",
  apiDocs: "API-dokumentation",
  accessibility: "Tilgængelighedserklæring",
  notFoundTitle: "Siden findes ikke",
  notFoundText: "Tjek linket, eller start forfra.",
  backToForm: "Til formularen",
  backToInbox: "Til indbakken",
  problemTitle: "Det gik ikke",
  problem: "Det gik ikke",
  errorSummary: "Der er noget, der skal rettes",
};

export type CommonMessages = typeof da;

const en: CommonMessages = {
  siteName: "Indgang",
  tagline: "One front door to public help for businesses",
  skip: "Skip to content",
  otherLang: "Dansk",
  otherLangCode: "da",
  staffTitle: "Indgang for consultants",
  inboxTitle: "Inbox",
  adminLink: "Administration",
  signOut: "Sign out",
  privacy: "We keep the information only as long as the case needs it.",
  apiDocs: "API documentation",
  accessibility: "Accessibility statement",
  notFoundTitle: "Page not found",
  notFoundText: "Check the link, or start again.",
  backToForm: "Back to the form",
  backToInbox: "Back to the inbox",
  problemTitle: "That did not work",
  problem: "That did not work",
  errorSummary: "There is a problem",
};

const COMMON: Record<Lang, CommonMessages> = { da, en };

export function commonMessages(lang: Lang): CommonMessages {
  return COMMON[lang];
}
