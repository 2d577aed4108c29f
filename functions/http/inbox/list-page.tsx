import { Confirmation } from "#functions/http/commons/confirmation.tsx";
import { Layout } from "#functions/http/commons/layout.tsx";
import type { Page as CommonPage } from "#functions/http/commons/page-state.ts";
import { needLabel, statusLabel } from "#functions/http/i18n/case-terms.ts";
import type { InboxMessages, InboxShow } from "#functions/http/i18n/inbox-messages.ts";
import { fill, formatDateTime } from "#functions/http/i18n/lang.ts";
import { NewReplyBadge } from "#functions/http/inbox/conversation.tsx";
import type { InboxItem } from "#shared/cases/casework.ts";
import { CASE_STATUSES } from "#shared/cases/model.ts";
import { MAX_QUERY_LENGTH } from "#shared/cases/search-text.ts";
import { NEEDS, type Need } from "#shared/needs.ts";
import type { Principal } from "#shared/principal.ts";
import type { Consortium } from "#shared/reference/consortia.ts";
import type { Campaign } from "#shared/rules/campaigns.ts";
import { currentTarget, DueBadge, urgency } from "./dues.tsx";
import { doneOf, FieldProblem, type PageProblem } from "./feedback.tsx";

type Page = CommonPage<InboxMessages>;

/** The "show" choices, in the order of their names (every one has a name: the type says so). */
const showChoices = (m: InboxMessages) => Object.keys(m.showNames) as InboxShow[];

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
    /** The inbox's campaigns, to filter by (none: no campaign filter). */
    campaigns: readonly Campaign[];
    problem?: PageProblem | undefined;
  },
) {
  const { m, page, query } = p;
  const searching = Boolean(query.q) && !p.problem;
  // A search lists newest first; the inbox puts what is due first (within the page, newest first).
  const items = searching
    ? page.items
    : page.items
        .map((item, i) => ({ item, i }))
        .sort(
          (a, b) => urgency(a.item.dues, a.item.status) - urgency(b.item.dues, b.item.status) || a.i - b.i,
        )
        .map((x) => x.item);
  const done = doneOf(p.path);
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
      {page.counts && (
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
      )}
      <Confirmation text={done && m.doneNames[done]} />
      {p.problem && p.problem.field !== "q" && (
        <div class="notice" role="alert">
          <strong>{m.problem}:</strong> {p.problem.text}
        </div>
      )}
      <form method="get" action="/inbox" class="filters">
        <div class={`field search${p.problem ? " has-error" : ""}`}>
          <label for="f-q">{m.search}</label>
          <p id="f-q-help" class="help">
            {m.searchHelp}
          </p>
          <FieldProblem problem={p.problem} action="search" field="q" id="f-q-error" />
          <input
            id="f-q"
            name="q"
            type="search"
            value={query.q ?? ""}
            maxlength={MAX_QUERY_LENGTH}
            aria-describedby={p.problem ? "f-q-error f-q-help" : "f-q-help"}
            {...(p.problem ? { "aria-invalid": "true" } : {})}
          />
        </div>
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
          <label for="f-show">{m.show}</label>
          <select id="f-show" name="show">
            <option value="">{m.showAll}</option>
            {showChoices(m).map((s) => (
              <option value={s} selected={query.show === s}>
                {m.showNames[s]}
              </option>
            ))}
          </select>
        </div>
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
        {p.campaigns.length > 0 && (
          <div class="field">
            <label for="f-campaign">{m.campaign}</label>
            <select id="f-campaign" name="campaign">
              <option value="">{m.allCampaigns}</option>
              {p.campaigns.map((c) => (
                <option value={c.id} selected={query.campaign === c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <button type="submit" class="secondary">
          {m.filter}
        </button>
      </form>
      {searching && <h2 id="h-results">{fill(m.searchResults, { q: query.q ?? "" })}</h2>}
      {page.items.length === 0 ? (
        <p>{m.noCases}</p>
      ) : (
        <div class="table-wrap">
          <table class="cases">
            <caption class="hp">
              {searching ? fill(m.searchResults, { q: query.q ?? "" }) : m.inboxTitle}
            </caption>
            <thead>
              <tr>
                <th scope="col">{m.reference}</th>
                <th scope="col">{m.company}</th>
                <th scope="col">{m.needs}</th>
                <th scope="col">{m.status}</th>
                <th scope="col">{m.received}</th>
                <th scope="col">{m.due}</th>
                <th scope="col">{m.assignee}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => {
                const due = currentTarget(i.dues, i.status);
                return (
                  <tr>
                    <td data-label={m.reference}>
                      <a href={`/inbox/cases/${i.id}`} class="nowrap">
                        {i.reference}
                      </a>{" "}
                      <NewReplyBadge lang={p.lang} newReply={i.newReply} />
                      {i.hit && (
                        <p class="hit">
                          {m.hitIn} {m.hitFields[i.hit.field]}:{" "}
                          {i.hit.segments.map((s) => (s.hit ? <mark>{s.text}</mark> : s.text))}
                        </p>
                      )}
                    </td>
                    <td data-label={m.company}>
                      {i.companyName}
                      <br />
                      <small>CVR {i.cvr}</small>
                    </td>
                    <td data-label={m.needs}>{i.needUnclear ? m.needUnclear : needsText(m, i.needs)}</td>
                    <td data-label={m.status}>
                      <span class={`badge status-${i.status}`}>{statusLabel(m, i.status)}</span>
                    </td>
                    <td data-label={m.received}>{formatDateTime(i.receivedAt, p.lang)}</td>
                    <td data-label={m.due}>
                      {due.which === "firstContact" ? m.firstContactDue : m.closeDue}:{" "}
                      <DueBadge m={m} lang={p.lang} target={due.target} />
                    </td>
                    <td data-label={m.assignee}>{i.assignee?.name ?? m.nobody}</td>
                  </tr>
                );
              })}
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
