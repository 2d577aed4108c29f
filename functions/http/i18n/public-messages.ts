import type { Outcome } from "#shared/cases/model.ts";
import type { AppErrorCode } from "#shared/errors.ts";
import type { TIMEFRAMES } from "#shared/intake/request-schema.ts";
import type { Need } from "#shared/needs.ts";
import { type CaseTerms, caseTerms } from "./case-terms.ts";
import { type CommonMessages, commonMessages } from "./common-messages.ts";
import type { Lang } from "./lang.ts";

type Timeframe = (typeof TIMEFRAMES)[number];
type ProblemCode = Extract<
  AppErrorCode,
  "rate_limited" | "payload_too_large" | "unavailable" | "forbidden" | "validation_failed"
>;

/** The public surface: the request form, the status page, and the pages of what went wrong. */
const da = {
  formTitle: "Fortæl os, hvad din virksomhed har brug for",
  formIntro:
    "Uanset om I mangler medarbejdere, vil opkvalificere jeres ansatte eller vil udvikle forretningen, sender vi jeres henvendelse til det rette team i jeres område: jobcenter, VEU-center og erhvervshus i samarbejde. I får et referencenummer med det samme.",
  optional: "valgfrit",
  sectionCompany: "Virksomheden",
  sectionContact: "Kontaktperson",
  sectionRequest: "Jeres behov",
  cvr: "CVR-nummer",
  cvrHelp: "8 cifre. Du finder det på virk.dk eller på jeres fakturaer.",
  companyName: "Virksomhedens navn",
  municipalityHelp: "Den kommune, hvor virksomheden (eller den afdeling, det handler om) ligger.",
  chooseMunicipality: "Vælg kommune",
  industryHelp: "F.eks. byggeri, restauration, IT.",
  contactName: "Navn",
  email: "E-mail",
  phone: "Telefon",
  language: "Vi skriver til jer på",
  description: "Hvad har I brug for hjælp til?",
  descriptionHelp:
    "Skriv med jeres egne ord, gerne konkret: hvilke medarbejdere I mangler, hvad jeres ansatte skal lære, eller hvad I vil udvikle. 10 til 5000 tegn.",
  needHints: "Hvis I allerede ved det: hvad handler det om?",
  needChoices: {
    growth: "Vækst – udvikling, eksport, finansiering",
    recruitment: "Rekruttering – at finde og ansætte medarbejdere",
    upskilling: "Opkvalificering – kurser og efteruddannelse",
  } satisfies Record<Need, string>,
  timeframe: "Hvornår har I brug for hjælpen?",
  timeframeUnknown: "Ved ikke",
  timeframeNames: {
    now: "Nu",
    within_3_months: "Inden for 3 måneder",
    within_12_months: "Inden for et år",
    later: "Senere",
  } satisfies Record<Timeframe, string>,
  consent:
    "Jeg giver samtykke til, at oplysningerne bruges til at behandle henvendelsen og deles med jobcenter, VEU-center og erhvervshus i vores område.",
  honeypot: "Lad dette felt være tomt",
  submit: "Send henvendelse",
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
  team: "Team",
  noNeedsYet: "Vurderes",
  beforeTitle: "Før I sender",
  beforeFree: "Det er gratis for virksomheden.",
  beforeWho:
    "Henvendelsen går til konsortiet i jeres område: jobcentret, VEU-centret og erhvervshuset arbejder sammen om den. Kan vi ikke se, hvor den hører til, vurderer det regionale sekretariat den først.",
  beforeWhen: "En konsulent kontakter jer inden for {days} arbejdsdage.",
  beforeLanguages: "Vi skriver til jer på dansk eller engelsk, som I vælger nedenfor.",
  beforeMail:
    "I får straks en kvittering på e-mail med et link, hvor I kan følge sagen og skrive til teamet.",
  rateTitle: "Hvor tilfredse er I med hjælpen?",
  rateScore: "Jeres vurdering (1 = slet ikke, 5 = meget)",
  rateComment: "Kommentar",
  rateSend: "Send vurdering",
  rateThanks: "Tak for jeres vurdering.",
  rateAlready: "Sagen har allerede fået en vurdering. Tak.",
  conversation: "Beskeder",
  noMessages: "Ingen beskeder endnu. Skriv her, hvis I vil tilføje noget til jeres henvendelse.",
  fromCompany: "Jer",
  fromTeam: "Teamet",
  writeMessage: "Skriv til teamet",
  writeHelp: "Højst 3000 tegn. Teamet ser beskeden i sagen og svarer jer.",
  sendMessage: "Send besked",
  messageSent: "Tak – jeres besked er sendt til teamet.",
  messageEmpty: "Skriv en besked på 1 til 3000 tegn.",
  closedNoMessages: "Sagen er afsluttet. Send en ny henvendelse, hvis I har brug for mere hjælp.",
  outcomeIntro: "Sådan endte sagen",
  outcomeTexts: {
    recruited: "I har fået hjælp til at rekruttere.",
    upskilling_started: "Et opkvalificeringsforløb er sat i gang.",
    growth_programme: "I er med i et vækstforløb.",
    referred: "I er henvist til en anden, der bedre kan hjælpe jer.",
    no_action: "Sagen er lukket uden videre handling.",
  } satisfies Record<Outcome, string>,
  problemTexts: {
    rate_limited: "Du har sendt mange henvendelser på kort tid. Vent et minut, og prøv igen.",
    payload_too_large: "Henvendelsen er for lang. Gør beskrivelsen kortere, og prøv igen.",
    unavailable: "Vi kunne ikke gemme henvendelsen lige nu. Prøv igen om lidt – intet er sendt.",
    forbidden: "Formularen kunne ikke sendes herfra. Åbn siden igen, og prøv igen.",
    // What reaches this page rather than the form's own field messages: a post the form cannot make (a file).
    validation_failed: "Formularen kan kun modtage tekst, ikke filer. Åbn siden igen, og udfyld felterne.",
  } satisfies Record<ProblemCode, string>,
};

export type PublicMessages = CommonMessages & CaseTerms & typeof da;

const en: typeof da = {
  formTitle: "Tell us what your company needs",
  formIntro:
    "Whether you need staff, want to upskill your employees or grow the business, we send your request to the right team in your area: job centre, adult-education centre and business hub working together. You get a reference number at once.",
  optional: "optional",
  sectionCompany: "The company",
  sectionContact: "Contact person",
  sectionRequest: "What you need",
  cvr: "CVR number",
  cvrHelp: "8 digits. You find it on virk.dk or on your invoices.",
  companyName: "Company name",
  municipalityHelp: "Where the company (or the site this is about) is located.",
  chooseMunicipality: "Choose a municipality",
  industryHelp: "For example construction, restaurants, IT.",
  contactName: "Name",
  email: "Email",
  phone: "Phone",
  language: "We write to you in",
  description: "What do you need help with?",
  descriptionHelp:
    "In your own words, as concretely as you can: which staff you are missing, what your employees need to learn, or what you want to develop. 10 to 5000 characters.",
  needHints: "If you already know: what is it about?",
  needChoices: {
    growth: "Growth – development, export, funding",
    recruitment: "Recruitment – finding and hiring staff",
    upskilling: "Upskilling – courses and further training",
  },
  timeframe: "When do you need the help?",
  timeframeUnknown: "Don't know",
  timeframeNames: {
    now: "Now",
    within_3_months: "Within 3 months",
    within_12_months: "Within a year",
    later: "Later",
  },
  consent:
    "I consent to the information being used to handle the request and shared with the job centre, adult-education centre and business hub in our area.",
  honeypot: "Leave this field empty",
  submit: "Send request",
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
  team: "Team",
  noNeedsYet: "Being assessed",
  beforeTitle: "Before you send",
  beforeFree: "It is free of charge for the company.",
  beforeWho:
    "Your request goes to the consortium of your area: the job centre, the adult-education centre and the business hub work on it together. If we cannot tell where it belongs, the regional secretariat reviews it first.",
  beforeWhen: "A consultant will contact you within {days} working days.",
  beforeLanguages: "We write to you in Danish or English, as you choose below.",
  beforeMail:
    "You get a receipt by e-mail at once, with a link where you can follow the case and write to the team.",
  rateTitle: "How satisfied are you with the help?",
  rateScore: "Your rating (1 = not at all, 5 = very)",
  rateComment: "Comment",
  rateSend: "Send rating",
  rateThanks: "Thank you for your rating.",
  rateAlready: "This case has been rated already. Thank you.",
  conversation: "Messages",
  noMessages: "No messages yet. Write here if you want to add something to your request.",
  fromCompany: "You",
  fromTeam: "The team",
  writeMessage: "Write to the team",
  writeHelp: "At most 3000 characters. The team sees the message on the case and answers you.",
  sendMessage: "Send message",
  messageSent: "Thank you – your message has been sent to the team.",
  messageEmpty: "Write a message of 1 to 3000 characters.",
  closedNoMessages: "The case is closed. Send a new request if you need more help.",
  outcomeIntro: "How the case ended",
  outcomeTexts: {
    recruited: "You have had help to recruit.",
    upskilling_started: "An upskilling programme has started.",
    growth_programme: "You are in a growth programme.",
    referred: "You have been referred to someone better placed to help you.",
    no_action: "The case was closed without further action.",
  },
  problemTexts: {
    rate_limited: "You have sent many requests in a short time. Wait a minute and try again.",
    payload_too_large: "The request is too long. Shorten the description and try again.",
    unavailable: "We could not save the request just now. Try again shortly – nothing was sent.",
    forbidden: "The form could not be sent from here. Open the page again and try again.",
    validation_failed: "The form takes text only, not files. Open the page again and fill in the fields.",
  },
};

const PUBLIC: Record<Lang, PublicMessages> = {
  da: { ...commonMessages("da"), ...caseTerms("da"), ...da },
  en: { ...commonMessages("en"), ...caseTerms("en"), ...en },
};

export function publicMessages(lang: Lang): PublicMessages {
  return PUBLIC[lang];
}

/** A need as the form offers it (longer than its name on the status page). */
export const needChoiceLabel = (m: PublicMessages, n: Need) => m.needChoices[n];
export const timeframeLabel = (m: PublicMessages, t: Timeframe) => m.timeframeNames[t];

/** What a browser is told when its request could not be served; undefined: the error's own message. */
export const problemText = (m: PublicMessages, code: AppErrorCode): string | undefined =>
  (m.problemTexts as Partial<Record<AppErrorCode, string>>)[code];
