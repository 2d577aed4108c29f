import { Layout } from "#functions/http/commons/layout.tsx";
import type { Page as CommonPage } from "#functions/http/commons/page-state.ts";
import { needLabel, statusLabel } from "#functions/http/i18n/case-terms.ts";
import type { InboxMessages } from "#functions/http/i18n/inbox-messages.ts";
import { formatDateTime } from "#functions/http/i18n/lang.ts";
import { NewReplyBadge } from "#functions/http/inbox/conversation.tsx";
import type { InboxItem } from "#shared/cases/casework.ts";
import { CASE_STATUSES } from "#shared/cases/model.ts";
import { NEEDS, type Need } from "#shared/needs.ts";
import type { Principal } from "#shared/principal.ts";
import type { Consortium } from "#shared/reference/consortia.ts";

type Page = CommonPage<InboxMessages>;

export const needsText = (m: InboxMessages, needs: readonly Need[]) =>
  needs.length ? needs.map((n) => needLabel(m, n)).join(", ") : "–";

export function InboxPage(
  p: Page & {
    user: Principal;
    page: {
      consortiumId: string;
      /** Absent for a search. */
      counts?: Partial<Record<string, number>>;
      items: InboxItem[];
      nextCursor: string | null;
    };
    query: Record<string, string>;
    consortia: readonly Consortium[];
  },
) {
  const { m, page, query } = p;
  const counts = page.counts ?? {};
  const total = Object.values(counts).reduce((a = 0, b = 0) => a + b, 0) ?? 0;
  const link = (extra: Record<string, string | undefined>) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...query, cursor: undefined, ...extra })) if (v) params.set(k, v);
    const s = params.toString();
    return s ? `/inbox?${s}` : "/inbox";
  };
  const inboxName =
    page.consortiumId === "manual"
      ? m.manualInbox
      : (p.consortia.find((c) => c.id === page.consortiumId)?.name ?? page.consortiumId);
  return (
    <Layout lang={p.lang} m={m} title={`${m.inboxTitle}: ${inboxName}`} path={p.path} user={p.user} wide>
      <h1>
        {m.inboxTitle}: {inboxName}
      </h1>
      <nav aria-label={m.status}>
        <ul class="counts">
          <li>
            <a href={link({ status: undefined })} aria-current={query.status ? undefined : "page"}>
              {m.statusAll} ({total})
            </a>
          </li>
          {CASE_STATUSES.filter((s) => counts[s]).map((s) => (
            <li>
              <a href={link({ status: s })} aria-current={query.status === s ? "page" : undefined}>
                {statusLabel(m, s)} ({counts[s]})
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <form method="get" action="/inbox" class="filters">
        {p.user.role === "admin" && (
          <div class="field">
            <label for="f-inbox">{m.consortium}</label>
            <select id="f-inbox" name="consortiumId">
              {p.consortia.map((c) => (
                <option value={c.id} selected={c.id === page.consortiumId}>
                  {c.name}
                </option>
              ))}
              <option value="manual" selected={page.consortiumId === "manual"}>
                {m.manualInbox}
              </option>
            </select>
          </div>
        )}
        <div class="field">
          <label for="f-status">{m.status}</label>
          <select id="f-status" name="status">
            <option value="">{m.allStatuses}</option>
            {CASE_STATUSES.map((s) => (
              <option value={s} selected={query.status === s}>
                {statusLabel(m, s)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-need">{m.needs}</label>
          <select id="f-need" name="need">
            <option value="">{m.allNeeds}</option>
            {NEEDS.map((n) => (
              <option value={n} selected={query.need === n}>
                {needLabel(m, n)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="secondary">
          {m.filter}
        </button>
      </form>
      {page.items.length === 0 ? (
        <p>{m.noCases}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="hp">{m.inboxTitle}</caption>
            <thead>
              <tr>
                <th scope="col">{m.reference}</th>
                <th scope="col">{m.company}</th>
                <th scope="col">{m.needs}</th>
                <th scope="col">{m.status}</th>
                <th scope="col">{m.received}</th>
                <th scope="col">{m.assignee}</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((i) => (
                <tr>
                  <td>
                    <a href={`/inbox/cases/${i.id}`} class="nowrap">
                      {i.reference}
                    </a>{" "}
                    <NewReplyBadge lang={p.lang} newReply={i.newReply} />
                  </td>
                  <td>
                    {i.companyName}
                    <br />
                    <small>CVR {i.cvr}</small>
                  </td>
                  <td>{needsText(m, i.needs)}</td>
                  <td>
                    <span class={`badge status-${i.status}`}>{statusLabel(m, i.status)}</span>
                  </td>
                  <td>{formatDateTime(i.receivedAt, p.lang)}</td>
                  <td>{i.assignee?.name ?? m.nobody}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page.nextCursor && (
        <p>
          <a
            href={`${link({})}${link({}).includes("?") ? "&" : "?"}cursor=${encodeURIComponent(page.nextCursor)}`}
          >
            {m.nextPage} →
          </a>
        </p>
      )}
    </Layout>
  );
}
