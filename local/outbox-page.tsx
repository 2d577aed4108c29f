import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Hono } from "hono";
import { Layout } from "#functions/http/commons/layout.tsx";
import { SECURE_HEADERS } from "#functions/http/commons/security-headers.ts";
import { commonMessages } from "#functions/http/i18n/common-messages.ts";
import { chooseLang, formatDateTime, type Lang } from "#functions/http/i18n/lang.ts";
import { sendSmtp } from "./smtp-client.ts";

/**
 * `/dev/outbox`, only on the local stack (`npm start`): the e-mails the service sent (the files of
 * `<data dir>/outbox/`), each shown as its recipient reads it, links and all, and — for an e-mail
 * with a reply address — a form that answers it through the local SMTP receiver, as the company's
 * mail program would.
 */
interface OutboxFile {
  id: string;
  to: string;
  replyTo?: string;
  subject: string;
  text: string;
  at: string;
}

const WORDS = {
  da: {
    title: "Lokal udbakke",
    intro: "E-mails som tjenesten har sendt (kun på den lokale stak; på AWS sendes de med SES).",
    none: "Ingen e-mails endnu.",
    to: "Til",
    replyTo: "Svar til",
    subject: "Emne",
    sent: "Sendt",
    back: "Tilbage til udbakken",
    reply: "Svar på e-mailen",
    replyHelp: "Sendes med SMTP til svaradressen, som virksomhedens mailprogram ville gøre.",
    send: "Send svar",
    replied: (code: string) => `Svaret er sendt (SMTP ${code}).`,
    refused: (code: string) => `Svaret blev afvist (SMTP ${code}).`,
  },
  en: {
    title: "Local outbox",
    intro: "E-mails the service has sent (only on the local stack; on AWS they go through SES).",
    none: "No e-mails yet.",
    to: "To",
    replyTo: "Reply to",
    subject: "Subject",
    sent: "Sent",
    back: "Back to the outbox",
    reply: "Reply to the e-mail",
    replyHelp: "Sent by SMTP to the reply address, as the company's mail program would.",
    send: "Send reply",
    replied: (code: string) => `The reply was sent (SMTP ${code}).`,
    refused: (code: string) => `The reply was refused (SMTP ${code}).`,
  },
};

const ID = /^[\w-]{1,100}$/;

function readOutbox(dir: string): OutboxFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => ({
      ...(JSON.parse(readFileSync(join(dir, f), "utf8")) as Omit<OutboxFile, "id">),
      id: f.slice(0, -5),
    }))
    .sort((a, b) => (a.at < b.at ? 1 : -1));
}

/** The text of an e-mail with its links clickable: everything else is text (escaped by JSX). */
function Linked(p: { text: string }) {
  const parts = p.text.split(/(https?:\/\/[^\s<>"]+)/g);
  return (
    <pre class="mail-text">{parts.map((part, i) => (i % 2 === 1 ? <a href={part}>{part}</a> : part))}</pre>
  );
}

export function outboxPage(options: { dir: string; smtpPort: () => number }) {
  const app = new Hono();
  app.use(SECURE_HEADERS);
  const frame = (lang: Lang, path: string, title: string, body: unknown) => (
    <Layout lang={lang} m={commonMessages(lang)} title={title} path={path}>
      {body as never}
    </Layout>
  );

  app.get("/dev/outbox", (c) => {
    const lang = chooseLang(c);
    const w = WORDS[lang];
    const mails = readOutbox(options.dir);
    return c.html(
      frame(
        lang,
        c.req.path,
        w.title,
        <>
          <h1>{w.title}</h1>
          <p>{w.intro}</p>
          {mails.length === 0 ? (
            <p>{w.none}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{w.sent}</th>
                  <th scope="col">{w.to}</th>
                  <th scope="col">{w.subject}</th>
                </tr>
              </thead>
              <tbody>
                {mails.map((m) => (
                  <tr>
                    <td>{formatDateTime(m.at, lang)}</td>
                    <td>{m.to}</td>
                    <td>
                      <a href={`/dev/outbox/${m.id}?lang=${lang}`}>{m.subject}</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>,
      ),
    );
  });

  app.get("/dev/outbox/:id", (c) => {
    const lang = chooseLang(c);
    const w = WORDS[lang];
    const id = c.req.param("id");
    const mail = ID.test(id) ? readOutbox(options.dir).find((m) => m.id === id) : undefined;
    if (!mail) return c.notFound();
    const code = c.req.query("smtp") ?? "";
    return c.html(
      frame(
        lang,
        `${c.req.path}?lang=${lang}`,
        mail.subject,
        <>
          <p>
            <a href={`/dev/outbox?lang=${lang}`}>{w.back}</a>
          </p>
          {/^\d{3}$/.test(code) && (
            <p class={code.startsWith("2") ? "confirmation" : "notice"} role="status">
              {code.startsWith("2") ? w.replied(code) : w.refused(code)}
            </p>
          )}
          <h1>{mail.subject}</h1>
          <dl class="facts">
            <dt>{w.to}</dt>
            <dd>{mail.to}</dd>
            {mail.replyTo && (
              <>
                <dt>{w.replyTo}</dt>
                <dd>{mail.replyTo}</dd>
              </>
            )}
            <dt>{w.sent}</dt>
            <dd>{formatDateTime(mail.at, lang)}</dd>
          </dl>
          <Linked text={mail.text} />
          {mail.replyTo && (
            <form method="post" action={`/dev/outbox/${mail.id}/reply?lang=${lang}`}>
              <label for="reply-text">{w.reply}</label>
              <p id="reply-help" class="help">
                {w.replyHelp}
              </p>
              <textarea id="reply-text" name="text" rows={5} required aria-describedby="reply-help" />
              <button type="submit">{w.send}</button>
            </form>
          )}
        </>,
      ),
    );
  });

  app.post("/dev/outbox/:id/reply", async (c) => {
    const lang = chooseLang(c);
    const id = c.req.param("id");
    const mail = ID.test(id) ? readOutbox(options.dir).find((m) => m.id === id) : undefined;
    if (!mail?.replyTo) return c.notFound();
    const form = await c.req.parseBody();
    const text = typeof form.text === "string" ? form.text : "";
    // As a mail program answers: the new text, then the original quoted.
    const quoted = mail.text
      .split("\n")
      .map((l) => `> ${l}`)
      .join("\n");
    const raw = [
      `From: <${mail.to}>`,
      `To: <${mail.replyTo}>`,
      `Subject: Re: ${mail.subject.replace(/[\r\n]/g, " ")}`,
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=utf-8",
      "Content-Transfer-Encoding: 8bit",
      "",
      text,
      "",
      `${formatDateTime(mail.at, lang)}, Indgang:`,
      quoted,
    ].join("\r\n");
    const r = await sendSmtp(options.smtpPort(), { from: mail.to, to: [mail.replyTo] }, raw);
    return c.redirect(`/dev/outbox/${mail.id}?lang=${lang}&smtp=${r.code}`, 303);
  });
  return app;
}
