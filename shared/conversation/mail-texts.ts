import type { Need } from "#shared/needs.ts";
import { escapeHtml } from "#shared/notify.ts";

export type MailLang = "da" | "en";

/**
 * The words of the e-mails a company receives, Danish and English. shared/ does not import the
 * pages' i18n (functions/http/i18n/*), so the few terms they share are repeated here.
 */
export const MAIL_TEXTS = {
  da: {
    needs: { recruitment: "Rekruttering", upskilling: "Opkvalificering", growth: "Vækst" } satisfies Record<
      Need,
      string
    >,
    unclear: "endnu ikke afklaret",
    ackSubject: (reference: string) => `Vi har modtaget jeres henvendelse (${reference})`,
    greeting: (name: string) => `Kære ${name}`,
    ackIntro:
      "Tak for jeres henvendelse til Indgang. Vi har modtaget den, og den er nu hos dem, der skal hjælpe jer.",
    reference: "Jeres sagsnummer",
    company: "Virksomhed",
    needs_: "Det drejer sig om",
    yourWords: "Det skrev I",
    handledBy: "Hvem behandler sagen",
    consortium: (name: string, members: string) => `${name} (${members})`,
    manual:
      "Det regionale sekretariat ser på jeres henvendelse og sender den videre til det rette konsortium.",
    next: "Hvad sker der nu",
    nextText: (days: number) =>
      `En konsulent kontakter jer inden for ${days} arbejdsdage på den e-mail eller det telefonnummer, I har opgivet. Det er gratis.`,
    statusLink: "Følg jeres sag her (linket er personligt — del det kun med kolleger, der må se sagen):",
    noStatusLink: "Brug linket fra kvitteringssiden, da I sendte henvendelsen, for at følge sagen.",
    automatic: "Denne e-mail er sendt automatisk.",
    messageSubject: (reference: string) => `Ny besked om jeres sag ${reference}`,
    messageIntro: (team: string) => `Der er en ny besked til jer fra ${team} om jeres henvendelse:`,
    replyHow: "Svar ved at besvare denne e-mail, eller skriv på sagens side:",
    replyLinkOnly: "Svar på sagens side:",
    closingSubject: (reference: string) => `Jeres sag ${reference} er afsluttet`,
    closingIntro: "Jeres sag er nu afsluttet. Sådan endte den:",
    outcomes: {
      recruited: "I har fået hjælp til at rekruttere.",
      upskilling_started: "Et opkvalificeringsforløb er sat i gang.",
      growth_programme: "I er med i et vækstforløb.",
      referred: "I er henvist til en anden, der bedre kan hjælpe jer.",
      no_action: "Sagen er lukket uden videre handling.",
    },
    rateAsk: "Hvor tilfreds er I med hjælpen? Klik på et tal fra 1 (slet ikke) til 5 (meget):",
    rateOnce: "I kan give én vurdering, og I kan skrive en kommentar, hvis I vil.",
  },
  en: {
    needs: { recruitment: "Recruitment", upskilling: "Upskilling", growth: "Growth" } satisfies Record<
      Need,
      string
    >,
    unclear: "not yet clear",
    ackSubject: (reference: string) => `We have received your request (${reference})`,
    greeting: (name: string) => `Dear ${name}`,
    ackIntro:
      "Thank you for contacting Indgang. We have received your request, and it is now with the people who will help you.",
    reference: "Your reference",
    company: "Company",
    needs_: "What it is about",
    yourWords: "What you wrote",
    handledBy: "Who handles it",
    consortium: (name: string, members: string) => `${name} (${members})`,
    manual: "The regional secretariat reviews your request and passes it on to the right consortium.",
    next: "What happens next",
    nextText: (days: number) =>
      `A consultant will contact you within ${days} working days, by the e-mail address or phone number you gave. It is free of charge.`,
    statusLink:
      "Follow your case here (the link is personal: share it only with colleagues who may see the case):",
    noStatusLink:
      "Use the link from the confirmation page you saw when you sent the request to follow your case.",
    automatic: "This e-mail was sent automatically.",
    messageSubject: (reference: string) => `New message about your case ${reference}`,
    messageIntro: (team: string) => `You have a new message from ${team} about your request:`,
    replyHow: "Answer by replying to this e-mail, or write on your case's page:",
    replyLinkOnly: "Answer on your case's page:",
    closingSubject: (reference: string) => `Your case ${reference} is closed`,
    closingIntro: "Your case is now closed. This is how it ended:",
    outcomes: {
      recruited: "You have had help to recruit.",
      upskilling_started: "An upskilling programme has started.",
      growth_programme: "You are in a growth programme.",
      referred: "You have been referred to someone better placed to help you.",
      no_action: "The case was closed without further action.",
    },
    rateAsk: "How satisfied are you with the help? Click a number from 1 (not at all) to 5 (very):",
    rateOnce: "You can rate once, and add a comment if you like.",
  },
} as const;

/**
 * A company e-mail's HTML: the document, its title, the greeting and the body's paragraphs (each
 * already escaped by the caller), in one plain style every mail client shows.
 */
export function htmlMail(lang: MailLang, subject: string, greeting: string, body: readonly string[]): string {
  return [
    "<!doctype html>",
    `<html lang="${lang}"><head><meta charset="utf-8">`,
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: Arial, Helvetica, sans-serif; line-height: 1.5">',
    `<p>${escapeHtml(greeting)},</p>`,
    ...body,
    "</body></html>",
    "",
  ].join("\n");
}
