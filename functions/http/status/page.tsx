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
  justSubmitted: boolean;
}) {
  const { m, view } = p;
  return (
    <Layout lang={p.lang} m={m} title={`${m.statusTitle} ${view.reference}`} path={p.path}>
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
