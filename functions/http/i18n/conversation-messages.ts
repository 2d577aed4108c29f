import type { Lang } from "./lang.ts";

/** The conversation with the company on the staff case page (beside the inbox's own messages). */
const da = {
  conversationTitle: "Beskeder med virksomheden",
  conversationNone: "Ingen beskeder endnu.",
  fromCompany: "Virksomheden",
  fromConsultant: "Konsulent",
  writeToCompany: "Skriv til virksomheden",
  writeHelp:
    "Virksomheden får beskeden på e-mail med et link til sagens side og kan svare. Notater ses aldrig af virksomheden. Højst 3000 tegn.",
  send: "Send til virksomheden",
  sent: "Beskeden er sendt til virksomheden.",
  savedNotMailed: "Beskeden er gemt på sagens side, men e-mailen kunne ikke sendes.",
  newReply: "Nyt svar",
  closed: "Sagen er afsluttet; der kan ikke skrives til virksomheden herfra.",
  invalid: "Skriv en besked på 1 til 3000 tegn.",
};

const en: typeof da = {
  conversationTitle: "Messages with the company",
  conversationNone: "No messages yet.",
  fromCompany: "The company",
  fromConsultant: "Consultant",
  writeToCompany: "Write to the company",
  writeHelp:
    "The company gets the message by e-mail with a link to its case page and can answer. Notes are never shown to the company. At most 3000 characters.",
  send: "Send to the company",
  sent: "The message has been sent to the company.",
  savedNotMailed: "The message is on the case page, but the e-mail could not be sent.",
  newReply: "New reply",
  closed: "The case is closed; you cannot write to the company from here.",
  invalid: "Write a message of 1 to 3000 characters.",
};

export type ConversationMessages = typeof da;

export function conversationMessages(lang: Lang): ConversationMessages {
  return lang === "da" ? da : en;
}
