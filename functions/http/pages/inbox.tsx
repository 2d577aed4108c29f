import { Layout } from "#functions/http/commons/layout.tsx";
import {
  eventLabel,
  needLabel,
  outcomeLabel,
  routeReasonText,
  statusLabel,
  systemLabel,
} from "#functions/http/i18n/case-terms.ts";
import type { InboxMessages } from "#functions/http/i18n/inbox-messages.ts";
import { formatDateTime, type Lang, locale } from "#functions/http/i18n/lang.ts";
import { CaseConversation, NewReplyBadge } from "#functions/http/inbox/conversation.tsx";
import type { CaseDetail, InboxItem } from "#shared/cases/casework.ts";
import { CASE_STATUSES, OUTCOMES } from "#shared/cases/model.ts";
import { NEEDS, type Need, SYSTEMS } from "#shared/needs.ts";
import type { Principal } from "#shared/principal.ts";
import type { Consortium } from "#shared/reference/consortia.ts";
import { municipality } from "#shared/reference/municipalities.ts";

interface Page {
  lang: Lang;
  m: InboxMessages;
  path: string;
}

export function SignInPage(p: Page & { consortia: readonly Consortium[] }) {
  const { m } = p;
  return (
    <Layout lang={p.lang} m={m} title={m.signInTitle} path={p.path}>
      <h1>{m.signInTitle}</h1>
      <p>{m.signInLocal}</p>
      <form method="post" action="/signin">
        <fieldset class="inline">
          <legend>{m.role}</legend>
          <label class="choice">
            <input type="radio" name="role" value="consultant" checked />
            {m.roleNames.consultant}
          </label>
          <label class="choice">
            <input type="radio" name="role" value="admin" />
            {m.roleNames.admin}
          </label>
        </fieldset>
        <div class="field">
          <label for="f-consortium">{m.consortium}</label>
          <select id="f-consortium" name="consortiumId">
            {p.consortia.map((c) => (
              <option value={c.id}>{c.name}</option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-name">{m.yourName}</label>
          <input id="f-name" name="name" type="text" maxlength={100} autocomplete="name" />
        </div>
        <button type="submit">{m.signIn}</button>
      </form>
    </Layout>
  );
}

const needsText = (m: InboxMessages, needs: readonly Need[]) =>
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

export function CasePage(
  p: Page & {
    user: Principal;
    detail: CaseDetail;
    consortia: readonly Consortium[];
    error?: string | undefined;
  },
) {
  const { m, detail: d } = p;
  const r = d.request;
  const base = `/inbox/cases/${d.id}`;
  const mine = d.assignee?.sub === p.user.sub;
  const open = d.status !== "closed";
  const routeNames = {
    municipality: (code: string) => municipality(code)?.name,
    consortium: (id: string) => p.consortia.find((c) => c.id === id)?.name,
  };
  const why = d.decision ? routeReasonText(m, d.decision.route, routeNames) : undefined;
  /** The triage entry says why in the reader's language, from the decision it recorded. */
  const detailOf = (e: CaseDetail["timeline"][number]) =>
    (e.event === "routed" || e.event === "manual_triage") &&
    e.actor === "system" &&
    e.detail === d.decision?.route.reason
      ? why
      : e.detail;
  return (
    <Layout lang={p.lang} m={m} title={`${m.caseTitle} ${d.reference}`} path={p.path} user={p.user} wide>
      <h1>
        {m.caseTitle} {d.reference}: {r.company.name}
      </h1>
      {p.error && (
        <div class="notice" role="alert">
          <strong>{m.problem}:</strong> {p.error}
        </div>
      )}
      <dl class="facts">
        <dt>{m.status}</dt>
        <dd>
          <span class={`badge status-${d.status}`}>{statusLabel(m, d.status)}</span>
          {d.outcome && ` – ${outcomeLabel(m, d.outcome)}`}
        </dd>
        <dt>{m.needs}</dt>
        <dd>
          {needsText(m, d.needs)}
          {d.primaryNeed && ` (${needLabel(m, d.primaryNeed)})`}
        </dd>
        <dt>{m.consortium}</dt>
        <dd>{d.consortium?.name ?? m.manualInbox}</dd>
        <dt>{m.assignee}</dt>
        <dd>{d.assignee?.name ?? m.nobody}</dd>
        <dt>{m.received}</dt>
        <dd>{formatDateTime(d.receivedAt, p.lang)}</dd>
      </dl>

      <div class="grid2">
        <section class="panel" aria-labelledby="h-request">
          <h2 id="h-request">{m.request}</h2>
          <p class="quote">{r.request.description}</p>
          <dl class="facts">
            <dt>CVR</dt>
            <dd>{r.company.cvr}</dd>
            <dt>{m.municipality}</dt>
            <dd>
              {municipality(r.company.municipalityCode)?.name ?? r.company.municipalityCode} (
              {r.company.municipalityCode})
            </dd>
            {r.company.employees !== undefined && (
              <>
                <dt>{m.employees}</dt>
                <dd>{r.company.employees.toLocaleString(locale(p.lang))}</dd>
              </>
            )}
            {r.company.industry && (
              <>
                <dt>{m.industry}</dt>
                <dd>{r.company.industry}</dd>
              </>
            )}
            <dt>{m.contact}</dt>
            <dd>
              {r.contact.name}, <a href={`mailto:${r.contact.email}`}>{r.contact.email}</a>
              {r.contact.phone && `, ${r.contact.phone}`} ({r.contact.language === "en" ? m.langEn : m.langDa}
              )
            </dd>
          </dl>
        </section>

        <section class="panel" aria-labelledby="h-why">
          <h2 id="h-why">{m.whyHere}</h2>
          {d.decision ? (
            <>
              <p>
                {m.routeReason}: {why}
              </p>
              <p>
                {m.ruleSetVersion} {d.decision.ruleSetVersion}. {m.scores}:{" "}
                {NEEDS.map((n) => `${needLabel(m, n)} ${d.decision?.scores[n].score ?? 0}`).join(", ")}
              </p>
              <h3>{m.firedRules}</h3>
              <ul>
                {d.decision.firedRules.map((f) => (
                  <li>
                    <code>{f.ruleId}</code> → {needLabel(m, f.need)} ({f.priority ? `${m.priorityRule} ` : ""}
                    +{f.weight}): {f.matched.map((x) => x.detail).join("; ")}
                  </li>
                ))}
              </ul>
              {d.decision.negated.length > 0 && (
                <>
                  <h3>{m.negatedMatches}</h3>
                  <ul>
                    {d.decision.negated.map((x) => (
                      <li>
                        <code>{x.ruleId}</code>: “{x.phrase}” ({x.cue})
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </>
          ) : (
            <p>–</p>
          )}
        </section>
      </div>

      <div class="grid2">
        <section class="panel" aria-labelledby="h-leads">
          <h2 id="h-leads">{m.leads}</h2>
          <ul>
            {d.leads.map((l) => (
              <li>
                {needLabel(m, l.need)}: {l.organisation} ({systemLabel(m, l.system)})
              </li>
            ))}
          </ul>
          {d.followUps.length > 0 && (
            <>
              <h3>{m.followUps}</h3>
              <ul>
                {d.followUps.map((f) => (
                  <li>
                    {needLabel(m, f.need)}: {f.reason} – {f.done ? m.done : m.open}
                    {!f.done && open && (
                      <form
                        method="post"
                        action={`${base}/follow-ups/${f.couplingId}/done`}
                        class="inline-form"
                      >
                        {" "}
                        <button type="submit" class="secondary">
                          {m.markDone}
                        </button>
                      </form>
                    )}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
        <section class="panel" aria-labelledby="h-history">
          <h2 id="h-history">{m.companyHistory}</h2>
          {d.companyHistory.length === 0 ? (
            <p>{m.noOtherCases}</p>
          ) : (
            <ul>
              {d.companyHistory.map((h) => (
                <li>
                  {h.reference} – {statusLabel(m, h.status)} – {h.consortiumId ?? m.manualInbox} –{" "}
                  {needsText(m, h.needs)} – {formatDateTime(h.receivedAt, p.lang)}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      {d.status === "manual_triage" && !d.consortium && p.user.role === "admin" && (
        <section class="panel" aria-labelledby="h-actions">
          <h2 id="h-actions">{m.actions}</h2>
          <TransferForm m={m} base={base} consortia={p.consortia} />
        </section>
      )}
      {open && d.consortium && (
        <section class="panel" aria-labelledby="h-actions">
          <h2 id="h-actions">{m.actions}</h2>
          {!mine && (
            <form method="post" action={`${base}/claim`}>
              {d.assignee && <input type="hidden" name="reassign" value="true" />}
              <button type="submit">{d.assignee ? m.reassign : m.claim}</button>
            </form>
          )}
          {mine && d.status === "claimed" && (
            <form method="post" action={`${base}/status`}>
              <input type="hidden" name="status" value="in_progress" />
              <button type="submit">{m.startWork}</button>
            </form>
          )}
          <form method="post" action={`${base}/notes`}>
            <div class="field">
              <label for="f-note">{m.noteText}</label>
              <textarea id="f-note" name="text" rows={3} maxlength={5000} required />
            </div>
            <div class="field">
              <label for="f-system">{m.system}</label>
              <select id="f-system" name="system">
                <option value="">–</option>
                {SYSTEMS.map((s) => (
                  <option value={s}>{systemLabel(m, s)}</option>
                ))}
              </select>
            </div>
            <button type="submit" class="secondary">
              {m.addNote}
            </button>
          </form>
          {mine && (
            <form method="post" action={`${base}/status`}>
              <input type="hidden" name="status" value="closed" />
              <div class="field">
                <label for="f-outcome">{m.outcome}</label>
                <select id="f-outcome" name="outcome" required>
                  {OUTCOMES.map((o) => (
                    <option value={o}>{outcomeLabel(m, o)}</option>
                  ))}
                </select>
              </div>
              <button type="submit">{m.close}</button>
            </form>
          )}
          <TransferForm m={m} base={base} consortia={p.consortia} current={d.consortium?.id} />
        </section>
      )}

      <CaseConversation lang={p.lang} detail={d} path={p.path} />
      <h2>{m.history}</h2>
      <ol class="timeline">
        {d.timeline.map((e) => (
          <li>
            <time datetime={e.at}>{formatDateTime(e.at, p.lang)}</time> {eventLabel(m, e.event)}
            {e.actorName && ` – ${e.actorName}`}
            {e.system && ` (${systemLabel(m, e.system)})`}
            {e.consortiumId && e.event !== "note" && ` → ${e.consortiumId}`}
            {e.detail && (
              <>
                : <span class="quote">{detailOf(e)}</span>
              </>
            )}
          </li>
        ))}
      </ol>
    </Layout>
  );
}

/** Move a case to another consortium (or, for manual triage, send it to one). */
function TransferForm(p: {
  m: InboxMessages;
  base: string;
  consortia: readonly Consortium[];
  current?: string | undefined;
}) {
  const { m } = p;
  return (
    <form method="post" action={`${p.base}/transfer`}>
      <div class="field">
        <label for="f-transfer">{m.transfer}</label>
        <select id="f-transfer" name="consortiumId">
          {p.consortia
            .filter((c) => c.id !== p.current)
            .map((c) => (
              <option value={c.id}>{c.name}</option>
            ))}
        </select>
      </div>
      <div class="field">
        <label for="f-reason">{m.transferReason}</label>
        <input id="f-reason" name="reason" type="text" required minlength={3} maxlength={1000} />
      </div>
      <button type="submit" class="secondary">
        {m.transfer}
      </button>
    </form>
  );
}
