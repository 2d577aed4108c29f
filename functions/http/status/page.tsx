import { Layout } from "#functions/http/commons/layout.tsx";
import { eventLabel, needLabel, statusLabel } from "#functions/http/i18n/case-terms.ts";
import { formatDateTime, type Lang } from "#functions/http/i18n/lang.ts";
import type { PublicMessages } from "#functions/http/i18n/public-messages.ts";
import type { PublicCaseView } from "#shared/cases/model.ts";

/** The company's view of its case: where it is, with whom, and what has happened. */
export function StatusPage(p: {
  lang: Lang;
  m: PublicMessages;
  path: string;
  view: PublicCaseView;
  teamName: string | null;
  statusUrl: string;
  /** The status token, carried by the reply form (a hidden field: the page's own link holds it too). */
  token: string;
  justSubmitted: boolean;
  messageSent?: boolean;
  messageError?: string;
  accessibilityUrl?: string | undefined;
}) {
  const { m, view } = p;
  return (
    <Layout
      lang={p.lang}
      m={m}
      title={`${m.statusTitle} ${view.reference}`}
      path={p.path}
      accessibilityUrl={p.accessibilityUrl}
    >
      {p.justSubmitted && (
        <section class="confirmation" aria-labelledby="thanks">
          <h1 id="thanks">{m.thanksTitle}</h1>
          <p>
            {m.yourReference}: <strong class="reference">{view.reference}</strong>
          </p>
          <p>{m.thanksNext}</p>
          <p>
            {m.statusLink}: <a href={p.statusUrl}>{p.statusUrl}</a>
          </p>
        </section>
      )}
      {p.justSubmitted ? (
        <h2>
          {m.statusTitle} <span class="nowrap">{view.reference}</span>
        </h2>
      ) : (
        <h1>
          {m.statusTitle} <span class="nowrap">{view.reference}</span>
        </h1>
      )}
      <dl class="facts">
        <dt>{m.status}</dt>
        <dd>
          <span class={`badge status-${view.status}`}>{statusLabel(m, view.status)}</span>
        </dd>
        <dt>{m.needs}</dt>
        <dd>{view.needs.length === 0 ? m.noNeedsYet : view.needs.map((n) => needLabel(m, n)).join(", ")}</dd>
        {p.teamName && (
          <>
            <dt>{m.team}</dt>
            <dd>{p.teamName}</dd>
          </>
        )}
        <dt>{m.received}</dt>
        <dd>{formatDateTime(view.receivedAt, p.lang)}</dd>
      </dl>
      {view.status === "closed" && view.outcome && (
        <section aria-labelledby="outcome">
          <h2 id="outcome">{m.outcomeIntro}</h2>
          <p>{m.outcomeTexts[view.outcome]}</p>
        </section>
      )}
      <Conversation {...p} />
      <h2>{m.history}</h2>
      <ol class="timeline">
        {view.timeline.map((e) => (
          <li>
            <time datetime={e.at}>{formatDateTime(e.at, p.lang)}</time> {eventLabel(m, e.event)}
          </li>
        ))}
      </ol>
    </Layout>
  );
}

/** The messages between the company and the team, and the form to write (not on a closed case). */
function Conversation(p: Parameters<typeof StatusPage>[0]) {
  const { m, view } = p;
  const messages = view.timeline.filter((e) => e.message !== undefined);
  return (
    <section id="messages" aria-labelledby="messages-title">
      <h2 id="messages-title">{m.conversation}</h2>
      {p.messageSent && (
        <p class="confirmation" role="status">
          {m.messageSent}
        </p>
      )}
      {messages.length === 0 ? (
        <p>{m.noMessages}</p>
      ) : (
        <ol class="messages">
          {messages.map((e) => (
            <li class={e.event === "message_from_company" ? "from-company" : "from-team"}>
              <p>
                <strong>{e.event === "message_from_company" ? m.fromCompany : m.fromTeam}</strong>,{" "}
                <time datetime={e.at}>{formatDateTime(e.at, p.lang)}</time>
              </p>
              <p class="message-text">{e.message}</p>
            </li>
          ))}
        </ol>
      )}
      {view.status === "closed" ? (
        <p>{m.closedNoMessages}</p>
      ) : (
        <form method="post" action={`/status/${view.reference}/messages?lang=${p.lang}`}>
          <input type="hidden" name="token" value={p.token} />
          <label for="message-text">{m.writeMessage}</label>
          <p id="message-help" class="help">
            {m.writeHelp}
          </p>
          {p.messageError && (
            <p id="message-error" class="error" role="alert">
              {p.messageError}
            </p>
          )}
          <textarea
            id="message-text"
            name="text"
            rows={5}
            maxlength={3000}
            required
            aria-describedby={p.messageError ? "message-help message-error" : "message-help"}
            {...(p.messageError ? { "aria-invalid": "true" } : {})}
          />
          <button type="submit">{m.sendMessage}</button>
        </form>
      )}
    </section>
  );
}
