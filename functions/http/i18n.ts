import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";

export const LANGS = ["da", "en"] as const;
export type Lang = (typeof LANGS)[number];

/**
 * The user's language: `?lang=` (then remembered in a cookie), the cookie, Accept-Language, Danish.
 */
export function chooseLang(c: Context): Lang {
  const asked = c.req.query("lang");
  if (asked === "da" || asked === "en") {
    setCookie(c, "lang", asked, { path: "/", sameSite: "Lax", maxAge: 365 * 24 * 3600, httpOnly: true });
    return asked;
  }
  const remembered = getCookie(c, "lang");
  if (remembered === "da" || remembered === "en") return remembered;
  const accept = c.req.header("accept-language") ?? "";
  for (const part of accept.split(",")) {
    const tag = part.trim().slice(0, 2).toLowerCase();
    if (tag === "da") return "da";
    if (tag === "en") return "en";
  }
  return "da";
}

export function formatDateTime(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === "da" ? "da-DK" : "en-GB", {
    dateStyle: "long",
    timeStyle: "short",
    timeZone: "Europe/Copenhagen",
  }).format(new Date(iso));
}

const da = {
  siteName: "Indgang",
  tagline: "Én indgang til offentlig hjælp for virksomheder",
  skip: "Gå til indhold",
  otherLang: "English",
  otherLangCode: "en",
  formTitle: "Fortæl os, hvad din virksomhed har brug for",
  formIntro:
    "Uanset om I mangler medarbejdere, vil opkvalificere jeres ansatte eller vil udvikle forretningen, sender vi jeres henvendelse til det rette team i jeres område: jobcenter, VEU-center og erhvervshus i samarbejde. I får et referencenummer med det samme.",
  required: "skal udfyldes",
  optional: "valgfrit",
  sectionCompany: "Virksomheden",
  sectionContact: "Kontaktperson",
  sectionRequest: "Jeres behov",
  cvr: "CVR-nummer",
  cvrHelp: "8 cifre. Du finder det på virk.dk eller på jeres fakturaer.",
  companyName: "Virksomhedens navn",
  municipality: "Kommune",
  municipalityHelp: "Den kommune, hvor virksomheden (eller den afdeling, det handler om) ligger.",
  chooseMunicipality: "Vælg kommune",
  employees: "Antal ansatte",
  industry: "Branche",
  industryHelp: "F.eks. byggeri, restauration, IT.",
  contactName: "Navn",
  email: "E-mail",
  phone: "Telefon",
  language: "Vi skriver til jer på",
  langDa: "Dansk",
  langEn: "Engelsk",
  description: "Hvad har I brug for hjælp til?",
  descriptionHelp:
    "Skriv med jeres egne ord, gerne konkret: hvilke medarbejdere I mangler, hvad jeres ansatte skal lære, eller hvad I vil udvikle. 10 til 5000 tegn.",
  needHints: "Hvis I allerede ved det: hvad handler det om?",
  need_recruitment: "Rekruttering – at finde og ansætte medarbejdere",
  need_upskilling: "Opkvalificering – kurser og efteruddannelse",
  need_growth: "Vækst – udvikling, eksport, finansiering",
  timeframe: "Hvornår har I brug for hjælpen?",
  timeframe_none: "Ved ikke",
  timeframe_now: "Nu",
  timeframe_within_3_months: "Inden for 3 måneder",
  timeframe_within_12_months: "Inden for et år",
  timeframe_later: "Senere",
  consent:
    "Jeg giver samtykke til, at oplysningerne bruges til at behandle henvendelsen og deles med jobcenter, VEU-center og erhvervshus i vores område.",
  honeypot: "Lad dette felt være tomt",
  submit: "Send henvendelse",
  errorSummary: "Der er noget, der skal rettes",
  errorGeneric: "Tjek feltet",
  err_cvr: "Skriv et gyldigt CVR-nummer på 8 cifre",
  err_companyName: "Skriv virksomhedens navn",
  err_municipality: "Vælg den kommune, virksomheden ligger i",
  err_employees: "Skriv antal ansatte som et helt tal",
  err_contactName: "Skriv navnet på en kontaktperson",
  err_email: "Skriv en gyldig e-mailadresse, f.eks. navn@firma.dk",
  err_phone: "Skriv et telefonnummer med cifre",
  err_description: "Beskriv jeres behov med 10 til 5000 tegn",
  err_consent: "Vi skal have jeres samtykke for at kunne hjælpe",
  thanksTitle: "Tak – vi har modtaget jeres henvendelse",
  yourReference: "Jeres referencenummer",
  thanksNext:
    "Henvendelsen sendes nu til det rette team i jeres område. En konsulent kontakter jer. Gem linket nedenfor for at følge sagen.",
  statusLink: "Følg jeres sag",
  statusTitle: "Status for sag",
  status: "Status",
  needs: "Behov",
  team: "Team",
  received: "Modtaget",
  history: "Forløb",
  noNeedsYet: "Vurderes",
  status_received: "Modtaget",
  status_routed: "Sendt til team",
  status_manual_triage: "Vurderes manuelt",
  status_delivered: "Hos teamet",
  status_claimed: "En konsulent har taget sagen",
  status_in_progress: "I gang",
  status_closed: "Afsluttet",
  event_received: "Henvendelsen er modtaget",
  event_routed: "Henvendelsen er sendt til teamet",
  event_manual_triage: "Henvendelsen vurderes af en medarbejder",
  event_delivered: "Teamet har modtaget sagen",
  event_claimed: "En konsulent har taget sagen",
  event_in_progress: "Arbejdet er i gang",
  event_transferred: "Sagen er flyttet til et andet team",
  event_closed: "Sagen er afsluttet",
  need_short_recruitment: "Rekruttering",
  need_short_upskilling: "Opkvalificering",
  need_short_growth: "Vækst",
  notFoundTitle: "Siden findes ikke",
  notFoundText: "Tjek linket, eller start forfra.",
  backToForm: "Til formularen",
  apiDocs: "API-dokumentation",
  privacy: "Vi gemmer kun oplysningerne, så længe sagen kræver det.",
};

export type Messages = { [K in keyof typeof da]: string };

const en: Messages = {
  siteName: "Indgang",
  tagline: "One front door to public help for businesses",
  skip: "Skip to content",
  otherLang: "Dansk",
  otherLangCode: "da",
  formTitle: "Tell us what your company needs",
  formIntro:
    "Whether you need staff, want to upskill your employees or grow the business, we send your request to the right team in your area: job centre, adult-education centre and business hub working together. You get a reference number at once.",
  required: "required",
  optional: "optional",
  sectionCompany: "The company",
  sectionContact: "Contact person",
  sectionRequest: "What you need",
  cvr: "CVR number",
  cvrHelp: "8 digits. You find it on virk.dk or on your invoices.",
  companyName: "Company name",
  municipality: "Municipality",
  municipalityHelp: "Where the company (or the site this is about) is located.",
  chooseMunicipality: "Choose a municipality",
  employees: "Number of employees",
  industry: "Industry",
  industryHelp: "For example construction, restaurants, IT.",
  contactName: "Name",
  email: "Email",
  phone: "Phone",
  language: "We write to you in",
  langDa: "Danish",
  langEn: "English",
  description: "What do you need help with?",
  descriptionHelp:
    "In your own words, as concretely as you can: which staff you are missing, what your employees need to learn, or what you want to develop. 10 to 5000 characters.",
  needHints: "If you already know: what is it about?",
  need_recruitment: "Recruitment – finding and hiring staff",
  need_upskilling: "Upskilling – courses and further training",
  need_growth: "Growth – development, export, funding",
  timeframe: "When do you need the help?",
  timeframe_none: "Don't know",
  timeframe_now: "Now",
  timeframe_within_3_months: "Within 3 months",
  timeframe_within_12_months: "Within a year",
  timeframe_later: "Later",
  consent:
    "I consent to the information being used to handle the request and shared with the job centre, adult-education centre and business hub in our area.",
  honeypot: "Leave this field empty",
  submit: "Send request",
  errorSummary: "There is a problem",
  errorGeneric: "Check this field",
  err_cvr: "Enter a valid 8-digit CVR number",
  err_companyName: "Enter the company's name",
  err_municipality: "Choose the municipality the company is in",
  err_employees: "Enter the number of employees as a whole number",
  err_contactName: "Enter the name of a contact person",
  err_email: "Enter a valid email address, like name@company.dk",
  err_phone: "Enter a phone number with digits",
  err_description: "Describe your needs in 10 to 5000 characters",
  err_consent: "We need your consent to be able to help",
  thanksTitle: "Thank you – we have received your request",
  yourReference: "Your reference number",
  thanksNext:
    "Your request is now sent to the right team in your area. A consultant will contact you. Keep the link below to follow your case.",
  statusLink: "Follow your case",
  statusTitle: "Status of case",
  status: "Status",
  needs: "Needs",
  team: "Team",
  received: "Received",
  history: "History",
  noNeedsYet: "Being assessed",
  status_received: "Received",
  status_routed: "Sent to team",
  status_manual_triage: "Being assessed by hand",
  status_delivered: "With the team",
  status_claimed: "A consultant has taken the case",
  status_in_progress: "In progress",
  status_closed: "Closed",
  event_received: "Request received",
  event_routed: "Request sent to the team",
  event_manual_triage: "Request is being assessed by a person",
  event_delivered: "The team has received the case",
  event_claimed: "A consultant has taken the case",
  event_in_progress: "Work is in progress",
  event_transferred: "The case was moved to another team",
  event_closed: "The case is closed",
  need_short_recruitment: "Recruitment",
  need_short_upskilling: "Upskilling",
  need_short_growth: "Growth",
  notFoundTitle: "Page not found",
  notFoundText: "Check the link, or start again.",
  backToForm: "Back to the form",
  apiDocs: "API documentation",
  privacy: "We keep the information only as long as the case needs it.",
};

const MESSAGES: Record<Lang, Messages> = { da, en };

export function messages(lang: Lang): Messages {
  return MESSAGES[lang];
}

/** A message looked up by a computed key (status, event, need), falling back to the key itself. */
export function label(m: Messages, key: string): string {
  return (m as Record<string, string>)[key] ?? key;
}
