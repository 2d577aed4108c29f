import { formatDateTime, type Lang, label, type Messages } from "#functions/http/i18n.ts";
import type { PublicCaseView } from "#shared/cases/model.ts";
import { Layout } from "./layout.tsx";

/** The company's view of its case: where it is, with whom, and what has happened. */
export function StatusPage(p: {
  lang: Lang;
  m: Messages;
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
          <span class={`badge status-${view.status}`}>{label(m, `status_${view.status}`)}</span>
        </dd>
        <dt>{m.needs}</dt>
        <dd>
          {view.needs.length === 0
            ? m.noNeedsYet
            : view.needs.map((n) => label(m, `need_short_${n}`)).join(", ")}
        </dd>
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
            <time datetime={e.at}>{formatDateTime(e.at, p.lang)}</time> {label(m, `event_${e.event}`)}
          </li>
        ))}
      </ol>
    </Layout>
  );
}

/** The way back from a problem page: the request form unless told otherwise (staff: the inbox). */
type Back = { href: string; text: string };

export function NotFoundPage(p: { lang: Lang; m: Messages; path: string; back?: Back }) {
  return <ProblemPage {...p} title={p.m.notFoundTitle} text={p.m.notFoundText} />;
}

/** A page for a browser whose request could not be served: what happened, and the way back. */
export function ProblemPage(p: {
  lang: Lang;
  m: Messages;
  path: string;
  title: string;
  text: string;
  back?: Back;
}) {
  const back = p.back ?? { href: "/", text: p.m.backToForm };
  return (
    <Layout lang={p.lang} m={p.m} title={p.title} path={p.path}>
      <h1>{p.title}</h1>
      <p>{p.text}</p>
      <p>
        <a href={back.href}>{back.text}</a>
      </p>
    </Layout>
  );
}
