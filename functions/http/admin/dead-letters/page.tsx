import { AdminLayout } from "#functions/http/admin/layout.tsx";
import type { AdminMessages } from "#functions/http/i18n/admin-messages.ts";
import { statusLabel } from "#functions/http/i18n/case-terms.ts";
import { formatDateTime, type Lang } from "#functions/http/i18n/lang.ts";
import type { DeadLetter, DeadLetterList } from "#shared/admin/dead-letters-admin.ts";
import type { Principal } from "#shared/principal.ts";

/** What the last redrive did, shown once after its redirect (counts from the query string). */
export interface RedriveSummary {
  redriven: number;
  notFound: number;
  failed: number;
}

const BODY_PREVIEW = 300;

/**
 * The dead-letter screen: every message in every DLQ with its case and the worker's last error, a
 * checkbox per message, and two buttons of one plain form (no JavaScript needed).
 */
export function DeadLettersPage(p: {
  lang: Lang;
  m: AdminMessages;
  path: string;
  user: Principal;
  list: DeadLetterList;
  done?: RedriveSummary | undefined;
  error?: string | undefined;
}) {
  const { m, list } = p;
  const problems = list.queues.filter((q) => q.error || q.truncated);
  return (
    <AdminLayout lang={p.lang} m={m} path={p.path} user={p.user} title={m.adminDeadLetters}>
      <p>{m.dlIntro}</p>
      {p.error && (
        <div class="notice" role="alert">
          <strong>{m.problem}:</strong> {p.error}
        </div>
      )}
      {p.done && (
        <div class="confirmation" role="status">
          <p>
            {m.dlRedriven}: {p.done.redriven}
            {p.done.notFound > 0 && `. ${m.dlNotFound}: ${p.done.notFound}`}
            {p.done.failed > 0 && `. ${m.dlFailed}: ${p.done.failed}`}
          </p>
        </div>
      )}
      {problems.length > 0 && (
        <ul>
          {problems.map((q) => (
            <li>
              <code>{q.queue}</code>: {q.error ? m.dlUnreadable : `${m.dlTruncated} (${q.count})`}
            </li>
          ))}
        </ul>
      )}
      {list.items.length === 0 ? (
        <p>{m.dlNone}</p>
      ) : (
        <form method="post" action="/admin/dead-letters/redrive">
          <div class="table-wrap">
            <table>
              <caption>
                {m.adminDeadLetters}: {list.items.length}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{m.dlSelect}</th>
                  <th scope="col">{m.dlQueue}</th>
                  <th scope="col">{m.caseTitle}</th>
                  <th scope="col">{m.dlLastError}</th>
                  <th scope="col">{m.dlReceives}</th>
                  <th scope="col">{m.dlFirstSent}</th>
                  <th scope="col">{m.dlMessage}</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((d, i) => (
                  <Row lang={p.lang} m={m} d={d} i={i} />
                ))}
              </tbody>
            </table>
          </div>
          <p>
            <button type="submit">{m.dlRedriveChosen}</button>{" "}
            <button type="submit" class="secondary" name="all" value="true">
              {m.dlRedriveAll} ({list.items.length})
            </button>
          </p>
        </form>
      )}
    </AdminLayout>
  );
}

function Row(p: { lang: Lang; m: AdminMessages; d: DeadLetter; i: number }) {
  const { m, d } = p;
  const id = `dl-${p.i}`;
  const preview = d.body.length > BODY_PREVIEW ? `${d.body.slice(0, BODY_PREVIEW)}…` : d.body;
  return (
    <tr>
      <td>
        <input type="checkbox" id={id} name="messageId" value={d.messageId} />
        <label for={id} class="hp">
          {m.dlSelect} {d.reference ?? d.messageId}
        </label>
      </td>
      <td>
        <code>{d.queue}</code>
      </td>
      <td>
        {d.reference === null ? (
          m.dlNotCaseMessage
        ) : d.case === null ? (
          <>
            {d.reference}
            <br />
            <small>{m.dlNoSuchCase}</small>
          </>
        ) : (
          <>
            <a href={`/inbox/cases/${encodeURIComponent(d.reference)}`}>{d.reference}</a>
            <br />
            <span class={`badge status-${d.case.status}`}>{statusLabel(m, d.case.status)}</span>
            {d.case.consortiumId && (
              <>
                {" "}
                <small>{d.case.consortiumId}</small>
              </>
            )}
          </>
        )}
      </td>
      <td>
        {d.lastError ? (
          <>
            <code>{d.lastError.message}</code>
            <br />
            <small>
              {formatDateTime(d.lastError.at, p.lang)}, <code>{d.lastError.queue}</code>
            </small>
          </>
        ) : d.reference === null ? (
          m.dlNotCaseMessage
        ) : (
          m.dlNoError
        )}
      </td>
      <td>{d.receiveCount}</td>
      <td>{d.firstSentAt ? formatDateTime(d.firstSentAt, p.lang) : "–"}</td>
      <td>
        <code>{preview}</code>
        <br />
        <small>
          ID <code>{d.messageId}</code>
        </small>
      </td>
    </tr>
  );
}
