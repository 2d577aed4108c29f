import { Confirmation } from "#functions/http/commons/confirmation.tsx";
import { Layout } from "#functions/http/commons/layout.tsx";
import type { Page as CommonPage } from "#functions/http/commons/page-state.ts";
import {
  eventLabel,
  needLabel,
  outcomeLabel,
  routeReasonText,
  statusLabel,
  systemLabel,
  tieBreakText,
} from "#functions/http/i18n/case-terms.ts";
import type { InboxMessages, ProblemField } from "#functions/http/i18n/inbox-messages.ts";
import { fill, formatDateTime, locale } from "#functions/http/i18n/lang.ts";
import { CaseConversation } from "#functions/http/inbox/conversation.tsx";
import type { CaseDetail } from "#shared/cases/casework.ts";
import { CONTACT_KINDS, OUTCOMES, type Outcome, type TimelineEvent } from "#shared/cases/model.ts";
import { NEEDS, SYSTEMS } from "#shared/needs.ts";
import { canAccessConsortium, isAssignee, type Principal } from "#shared/principal.ts";
import type { Consortium } from "#shared/reference/consortia.ts";
import { municipality } from "#shared/reference/municipalities.ts";
import { AssignForm } from "./assignment.tsx";
import { DueBadge } from "./dues.tsx";
import { doneOf, FieldProblem, invalidAttrs, type PageProblem } from "./feedback.tsx";
import { needsText } from "./list-page.tsx";

type Page = CommonPage<InboxMessages>;

/** Events whose consortium is where the case went (on the others it is where the work was done). */
const DESTINATION_EVENTS: ReadonlySet<TimelineEvent> = new Set<TimelineEvent>([
  "routed",
  "delivered",
  "transferred",
]);
const FOLLOW_UP_DONE = /^follow-up done: (.+)$/;
const isOutcome = (s: string): s is Outcome => (OUTCOMES as readonly string[]).includes(s);
/** Where a refused post's field is on this page, for the problem's link to it. */
const FIELD_IDS: Partial<Record<PageProblem["action"], Partial<Record<ProblemField, string>>>> = {
  note: { text: "f-note", system: "f-system", contact: "f-contact" },
  status: { outcome: "f-outcome" },
  reopen: { reason: "f-reopen-reason" },
  transfer: { reason: "f-reason", consortiumId: "f-transfer" },
};

export function CasePage(
  p: Page & {
    user: Principal;
    detail: CaseDetail;
    consortia: readonly Consortium[];
    problem?: PageProblem | undefined;
  },
) {
  const { m, detail: d } = p;
  const r = d.request;
  const base = `/inbox/cases/${d.id}`;
  const mine = isAssignee(d.assignee ?? undefined, p.user);
  const open = d.status !== "closed";
  const routeNames = {
    municipality: (code: string) => municipality(code)?.name,
    consortium: (id: string) => p.consortia.find((c) => c.id === id)?.name,
  };
  const why = d.decision ? routeReasonText(m, d.decision.route, routeNames) : undefined;
  const consortiumName = (id: string) => routeNames.consortium(id) ?? id;
  const followUpNeed = (couplingId: string) => d.followUps.find((f) => f.couplingId === couplingId)?.need;
  /** What an entry says, in the reader's language where the service wrote it (people's words as written). */
  const detailOf = (e: CaseDetail["timeline"][number]) => {
    if ((e.event === "routed" || e.event === "manual_triage") && e.actor === "system")
      return e.detail === d.decision?.route.reason ? why : e.detail;
    if (e.event === "closed" && e.detail && isOutcome(e.detail)) return outcomeLabel(m, e.detail);
    // The store writes a done follow-up as a note "follow-up done: <coupling id>".
    const coupling = e.event === "note" ? FOLLOW_UP_DONE.exec(e.detail ?? "")?.[1] : undefined;
    const need = coupling ? followUpNeed(coupling) : undefined;
    if (need) return fill(m.followUpDoneEvent, { need: needLabel(m, need) });
    return e.detail;
  };
  const done = doneOf(p.path);
  const problemField = p.problem?.field ? FIELD_IDS[p.problem.action]?.[p.problem.field] : undefined;
  return (
    <Layout lang={p.lang} m={m} title={`${m.caseTitle} ${d.reference}`} path={p.path} user={p.user} wide>
      <h1>
        {m.caseTitle} {d.reference}: {r.company.name}
      </h1>
      <Confirmation text={done && m.doneNames[done]} />
      {p.problem && (
        <div class="notice" role="alert">
          <strong>{m.problem}:</strong>{" "}
          {problemField ? <a href={`#${problemField}`}>{p.problem.text}</a> : p.problem.text}
        </div>
      )}
      {!open && <p class="notice-info">{m.closedInfo}</p>}
      <dl class="facts">
        <dt>{m.status}</dt>
        <dd>
          <span class={`badge status-${d.status}`}>{statusLabel(m, d.status)}</span>
          {d.outcome && ` – ${outcomeLabel(m, d.outcome)}`}
        </dd>
        <dt>{m.needs}</dt>
        <dd>
          {d.needs.length === 0 && d.decision?.route.needUnclear ? m.needUnclear : needsText(m, d.needs)}
          {d.primaryNeed && d.needs.length > 1 && ` (${needLabel(m, d.primaryNeed)})`}
        </dd>
        <dt>{m.consortium}</dt>
        <dd>{d.consortium?.name ?? m.manualInbox}</dd>
        <dt>{m.assignee}</dt>
        <dd>{d.assignee?.name ?? m.nobody}</dd>
        <dt>{m.received}</dt>
        <dd>{formatDateTime(d.receivedAt, p.lang)}</dd>
        <dt>{m.firstContactDue}</dt>
        <dd>
          <DueBadge m={m} lang={p.lang} target={d.dues.firstContact} />
        </dd>
        <dt>{m.closeDue}</dt>
        <dd>
          <DueBadge m={m} lang={p.lang} target={d.dues.close} />
        </dd>
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
              {d.decision.tieBreak && <p>{tieBreakText(m, d.decision.tieBreak)}</p>}
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
                    {fill(m.followUpLine, { need: needLabel(m, f.need) })} – {f.done ? m.done : m.open}
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
                  {canAccessConsortium(p.user, h.consortiumId ?? undefined) ? (
                    <a href={`/inbox/cases/${encodeURIComponent(h.reference)}`}>{h.reference}</a>
                  ) : (
                    h.reference
                  )}{" "}
                  – {statusLabel(m, h.status)} –{" "}
                  {h.consortiumId ? consortiumName(h.consortiumId) : m.manualInbox} – {needsText(m, h.needs)}{" "}
                  – {formatDateTime(h.receivedAt, p.lang)}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      {d.status === "manual_triage" && !d.consortium && p.user.role === "admin" && (
        <section class="panel" aria-labelledby="h-actions">
          <h2 id="h-actions">{m.actions}</h2>
          <TransferForm m={m} base={base} consortia={p.consortia} problem={p.problem} />
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
              <FieldProblem problem={p.problem} action="note" field="text" id="f-note-error" />
              <textarea
                id="f-note"
                name="text"
                rows={3}
                maxlength={5000}
                required
                {...invalidAttrs(p.problem, "note", "text", "f-note-error")}
              />
            </div>
            <div class="field">
              <label for="f-contact">{m.contactKind}</label>
              <select id="f-contact" name="contact">
                <option value="">{m.contactNone}</option>
                {CONTACT_KINDS.map((k) => (
                  <option value={k}>{m.contactNames[k]}</option>
                ))}
              </select>
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
                <FieldProblem problem={p.problem} action="status" field="outcome" id="f-outcome-error" />
                <select
                  id="f-outcome"
                  name="outcome"
                  required
                  {...invalidAttrs(p.problem, "status", "outcome", "f-outcome-error")}
                >
                  <option value="" selected>
                    {m.chooseOutcome}
                  </option>
                  {OUTCOMES.map((o) => (
                    <option value={o}>{outcomeLabel(m, o)}</option>
                  ))}
                </select>
              </div>
              <button type="submit">{m.close}</button>
            </form>
          )}
          <TransferForm
            m={m}
            base={base}
            consortia={p.consortia}
            current={d.consortium?.id}
            problem={p.problem}
          />
          <AssignForm
            m={m}
            base={base}
            detail={d}
            consortium={p.consortia.find((c) => c.id === d.consortium?.id)}
            problem={p.problem}
          />
        </section>
      )}
      {!open && d.consortium && (
        <section class="panel" aria-labelledby="h-reopen">
          <h2 id="h-reopen">{m.reopen}</h2>
          <form method="post" action={`${base}/reopen`}>
            <div class="field">
              <label for="f-reopen-reason">{m.reopenReason}</label>
              <FieldProblem problem={p.problem} action="reopen" field="reason" id="f-reopen-error" />
              <input
                id="f-reopen-reason"
                name="reason"
                type="text"
                required
                minlength={3}
                maxlength={1000}
                {...invalidAttrs(p.problem, "reopen", "reason", "f-reopen-error")}
              />
            </div>
            <button type="submit">{m.reopen}</button>
          </form>
        </section>
      )}

      <CaseConversation lang={p.lang} detail={d} path={p.path} />
      <h2>{m.history}</h2>
      <ol class="timeline">
        {d.timeline.map((e) => (
          <li>
            <time datetime={e.at}>{formatDateTime(e.at, p.lang)}</time>
            <span class="event">
              {eventLabel(m, e.event)}
              {e.actorName && ` – ${e.actorName}`}
              {(e.system || e.contact) &&
                ` (${[e.system && systemLabel(m, e.system), e.contact && m.contactNames[e.contact]].filter(Boolean).join(", ")})`}
              {e.consortiumId && DESTINATION_EVENTS.has(e.event) && ` → ${consortiumName(e.consortiumId)}`}
            </span>
            {e.detail && <p class="quote">{detailOf(e)}</p>}
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
  problem?: PageProblem | undefined;
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
        <FieldProblem problem={p.problem} action="transfer" field="reason" id="f-reason-error" />
        <input
          id="f-reason"
          name="reason"
          type="text"
          required
          minlength={3}
          maxlength={1000}
          {...invalidAttrs(p.problem, "transfer", "reason", "f-reason-error")}
        />
      </div>
      <button type="submit" class="secondary">
        {m.transfer}
      </button>
    </form>
  );
}
