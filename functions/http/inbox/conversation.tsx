import { type Context, Hono } from "hono";
import { formBody } from "#functions/http/commons/form-body.ts";
import { jsonBody } from "#functions/http/commons/json-body.ts";
import { conversationMessages } from "#functions/http/i18n/conversation-messages.ts";
import { formatDateTime, type Lang } from "#functions/http/i18n/lang.ts";
import type { Env } from "#functions/http/staff-env.ts";
import type { CaseDetail } from "#shared/cases/casework.ts";
import { type ConversationDeps, MESSAGE_MAX_CHARS, messageCompany } from "#shared/conversation/messages.ts";
import { sendClosingMail } from "#shared/conversation/outcome.ts";
import { AppError } from "#shared/errors.ts";
import { canAccessConsortium } from "#shared/principal.ts";

/**
 * The consultant's side of the conversation with the company: `POST /api/inbox/cases/:id/messages`
 * (JSON, `api`) and `POST /inbox/cases/:id/messages` (the case page's form, 303 back to it with a
 * confirmation, `pages`), mounted by the staff app in its signed-in areas before the inbox's own
 * routes, so that its hooks wrap them: opening a case (page or API) clears its "new reply", and
 * closing it sends the company's closing e-mail.
 */
export function conversationRoutes(deps: ConversationDeps) {
  const api = new Hono<Env>();
  const pages = new Hono<Env>();
  const back = (id: string, outcome: string) =>
    `/inbox/cases/${encodeURIComponent(id)}?message=${outcome}#conversation`;

  api.post("/cases/:id/messages", async (c) => {
    const result = await messageCompany(deps, c.get("principal"), c.req.param("id"), await jsonBody(c));
    return c.json(result, 201);
  });

  pages.post("/cases/:id/messages", async (c) => {
    const id = c.req.param("id");
    const form = await formBody(c);
    try {
      const { mailed } = await messageCompany(deps, c.get("principal"), id, { text: form.text });
      return c.redirect(back(id, mailed ? "sent" : "saved"), 303);
    } catch (err) {
      if (err instanceof AppError && ["validation_failed", "conflict"].includes(err.code))
        return c.redirect(back(id, err.code === "conflict" ? "closed" : "invalid"), 303);
      throw err;
    }
  });

  // After the case is shown (and only when it was: access is the page's own check), its reply is seen.
  const seen = async (c: Context<Env>, next: () => Promise<void>) => {
    await next();
    if (c.res.status !== 200) return;
    const id = c.req.param("id") ?? "";
    const found = await deps.cases.get(id);
    if (found?.newReplyAt && canAccessConsortium(c.get("principal"), found.consortiumId))
      await deps.cases.clearNewReply(id);
  };
  for (const area of [api, pages]) area.get("/cases/:id", seen);

  // After a status change that closed the case: the company's closing e-mail, once per case.
  const closed = async (c: Context<Env>, next: () => Promise<void>) => {
    await next();
    if (c.res.status >= 400) return;
    await sendClosingMail(deps, c.req.param("id") ?? "");
  };
  for (const area of [api, pages]) area.post("/cases/:id/status", closed);
  return { api, pages };
}

/** The thread with the company and the form to write to it, for the staff case page. */
export function CaseConversation(p: { lang: Lang; detail: CaseDetail; path: string }) {
  const m = conversationMessages(p.lang);
  const d = p.detail;
  const messages = d.timeline.filter(
    (e) => e.event === "message_to_company" || e.event === "message_from_company",
  );
  const notice = new URL(p.path, "http://x").searchParams.get("message");
  const noticeText =
    notice === "sent"
      ? m.sent
      : notice === "saved"
        ? m.savedNotMailed
        : notice === "closed"
          ? m.closed
          : null;
  return (
    <section id="conversation" aria-labelledby="conversation-title">
      <h2 id="conversation-title">{m.conversationTitle}</h2>
      {noticeText && (
        <p class={notice === "sent" ? "confirmation" : "notice"} role="status">
          {noticeText}
        </p>
      )}
      {messages.length === 0 ? (
        <p>{m.conversationNone}</p>
      ) : (
        <ol class="messages">
          {messages.map((e) => (
            <li class={e.event === "message_from_company" ? "from-company" : "from-team"}>
              <p>
                <strong>
                  {e.event === "message_from_company" ? m.fromCompany : (e.actorName ?? m.fromConsultant)}
                </strong>
                , <time datetime={e.at}>{formatDateTime(e.at, p.lang)}</time>
              </p>
              <p class="message-text">{e.detail}</p>
            </li>
          ))}
        </ol>
      )}
      {d.status === "closed" ? (
        <p>{m.closed}</p>
      ) : (
        <form method="post" action={`/inbox/cases/${encodeURIComponent(d.id)}/messages`}>
          <label for="company-message">{m.writeToCompany}</label>
          <p id="company-message-help" class="help">
            {m.writeHelp}
          </p>
          {notice === "invalid" && (
            <p class="error" id="company-message-error">
              {m.invalid}
            </p>
          )}
          <textarea
            id="company-message"
            name="text"
            rows={4}
            maxlength={MESSAGE_MAX_CHARS}
            required
            aria-describedby={
              notice === "invalid" ? "company-message-error company-message-help" : "company-message-help"
            }
            {...(notice === "invalid" ? { "aria-invalid": "true" } : {})}
          />
          <button type="submit">{m.send}</button>
        </form>
      )}
    </section>
  );
}

/** The inbox list's mark of a case whose company wrote back. */
export function NewReplyBadge(p: { lang: Lang; newReply: boolean | undefined }) {
  return p.newReply ? <span class="badge new-reply">{conversationMessages(p.lang).newReply}</span> : null;
}
