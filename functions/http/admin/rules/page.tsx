import { AdminLayout, Problems } from "#functions/http/admin/layout.tsx";
import { DocumentForm } from "#functions/http/commons/document-form.tsx";
import { type AdminMessages, noticeText, staleDraftWarning } from "#functions/http/i18n/admin-messages.ts";
import { needLabel, routeReasonText } from "#functions/http/i18n/case-terms.ts";
import { formatDateTime, type Lang } from "#functions/http/i18n/lang.ts";
import type { backtest, diffRuleSets, dryRun, getRules, history } from "#shared/admin/rules-admin.ts";
import type { FieldProblem } from "#shared/errors.ts";
import type { Need } from "#shared/needs.ts";
import type { Principal } from "#shared/principal.ts";
import { municipality } from "#shared/reference/municipalities.ts";

export interface RulesPageState {
  notice?: "draftSaved" | "published" | "rolledBack" | "draftRebased" | "draftDiscarded";
  version?: number;
  error?: { message: string; fields: FieldProblem[] };
  draftText?: string;
  payloadText?: string;
  dryRun?: Awaited<ReturnType<typeof dryRun>>;
  backtest?: Awaited<ReturnType<typeof backtest>>;
  diff?: { from: number; to: number; diff: ReturnType<typeof diffRuleSets> };
}

const SAMPLE_PAYLOAD = JSON.stringify(
  {
    company: { cvr: "11696422", name: "Eksempel ApS", municipalityCode: "461", employees: 25 },
    contact: { name: "Mette", email: "mette@eksempel.dk", language: "da" },
    request: { description: "Vi mangler to smede og vil gerne sende vores lærlinge på kursus." },
    consent: true,
  },
  null,
  2,
);

/** Rules: the active version, the draft editor, dry-run, backtest, publish, history with diffs. */
export function RulesPage(p: {
  lang: Lang;
  m: AdminMessages;
  path: string;
  user: Principal;
  rules: Awaited<ReturnType<typeof getRules>>;
  versions: Awaited<ReturnType<typeof history>>;
  state: RulesPageState;
}) {
  const { m, rules, state } = p;
  const draftText = state.draftText ?? JSON.stringify((rules.draft ?? rules.active).ruleSet, null, 2);
  const outcome = (o: { consortiumId: string | null; needs: readonly Need[]; primaryNeed: Need | null }) =>
    `${o.consortiumId ?? m.manualInbox} · ${o.needs.map((n) => needLabel(m, n)).join(", ") || "–"}${o.primaryNeed ? ` (${needLabel(m, o.primaryNeed)})` : ""}`;
  return (
    <AdminLayout lang={p.lang} m={m} path={p.path} user={p.user} title={m.adminRules}>
      {state.notice && (
        <p class="confirmation" role="status">
          {noticeText(m, state.notice)} {state.version ?? ""}
        </p>
      )}
      <Problems error={state.error} />
      <section class="panel" aria-labelledby="h-active">
        <h2 id="h-active">{m.rulesActive}</h2>
        <p>
          {m.rulesVersion} {rules.active.version} – {rules.active.ruleSet.name}
          {rules.active.publishedBy
            ? ` – ${m.rulesPublishedBy} ${rules.active.publishedBy}`
            : ` (${m.rulesShipped})`}
        </p>
        {rules.draft && !rules.draft.stale && (
          <form method="post" action="/admin/rules/publish">
            <input type="hidden" name="expectedActiveVersion" value={String(rules.active.version)} />
            <button type="submit">
              {m.rulesPublish} → {m.rulesVersion} {rules.active.version + 1}
            </button>
          </form>
        )}
      </section>

      <section class="panel" aria-labelledby="h-draft">
        <h2 id="h-draft">{m.rulesDraft}</h2>
        {!rules.draft && <p>{m.rulesDraftNone}</p>}
        {rules.draft && (
          <p>
            {rules.draft.updatedBy}, {formatDateTime(rules.draft.updatedAt, p.lang)}
            {rules.draft.basedOn > 0 ? ` – ${m.rulesDraftBasedOn} ${rules.draft.basedOn}` : ""}
          </p>
        )}
        {rules.draft?.stale && (
          <div class="notice" id="draft-stale">
            <p>{staleDraftWarning(m, rules.draft.basedOn, rules.active.version)}</p>
            <form method="post" action="/admin/rules/draft/rebase" class="inline-form">
              <button type="submit">{m.rulesRebase}</button>
            </form>{" "}
            <form method="post" action="/admin/rules/draft/discard" class="inline-form">
              <button type="submit" class="secondary">
                {m.rulesDiscard}
              </button>
            </form>
          </div>
        )}
        {rules.draft && !rules.draft.stale && (
          <form method="post" action="/admin/rules/draft/discard">
            <button type="submit" class="secondary">
              {m.rulesDiscard}
            </button>
          </form>
        )}
        <DocumentForm
          action="/admin/rules/draft"
          id="f-ruleset"
          name="ruleSet"
          label={`${m.rulesDraft} (JSON)`}
          help={m.rulesDraftHelp}
          rows={18}
          value={draftText}
          submit={m.rulesSaveDraft}
        />
      </section>

      <div class="grid2">
        <section class="panel" aria-labelledby="h-try">
          <h2 id="h-try">{m.rulesTry}</h2>
          <form method="post" action="/admin/rules/dry-run">
            <div class="field">
              <label for="f-payload">{m.rulesPayload}</label>
              <textarea id="f-payload" name="payload" rows={10} class="code" spellcheck={false}>
                {state.payloadText ?? SAMPLE_PAYLOAD}
              </textarea>
            </div>
            <div class="field">
              <label for="f-which">{m.rulesWhich}</label>
              <select id="f-which" name="ruleSet">
                <option value="draft">{m.rulesDraft}</option>
                <option value="active">{m.rulesActive}</option>
              </select>
            </div>
            <button type="submit" class="secondary">
              {m.rulesRun}
            </button>
          </form>
          {state.dryRun && (
            <div aria-live="polite">
              <p>
                <strong>
                  {outcome({
                    ...state.dryRun.decision,
                    consortiumId: state.dryRun.decision.route.consortiumId,
                  })}
                </strong>
              </p>
              <p>
                {routeReasonText(m, state.dryRun.decision.route, {
                  municipality: (code) => municipality(code)?.name,
                })}
              </p>
              <ul>
                {state.dryRun.decision.firedRules.map((f) => (
                  <li>
                    <code>{f.ruleId}</code> {f.priority ? `${m.priorityRule} ` : ""}+{f.weight}:{" "}
                    {f.matched.map((x) => x.detail).join("; ")}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </section>

        <section class="panel" aria-labelledby="h-backtest">
          <h2 id="h-backtest">{m.rulesBacktest}</h2>
          <form method="post" action="/admin/rules/backtest">
            <div class="field">
              <label for="f-limit">{m.rulesBacktestLimit}</label>
              <input id="f-limit" name="limit" type="number" min={1} max={5000} value="200" class="short" />
            </div>
            <button type="submit" class="secondary">
              {m.rulesBacktestRun}
            </button>
          </form>
          {state.backtest && (
            <div aria-live="polite">
              <p>
                {m.rulesCompared}: {state.backtest.compared}. {m.rulesChanged}: {state.backtest.changed}.
              </p>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{m.rulesFrom}</th>
                    <th scope="col">{m.rulesTo}</th>
                    <th scope="col">{m.rulesCount}</th>
                  </tr>
                </thead>
                <tbody>
                  {state.backtest.transitions
                    .filter((t) => JSON.stringify(t.from) !== JSON.stringify(t.to))
                    .map((t) => (
                      <tr>
                        <td>{outcome(t.from)}</td>
                        <td>{outcome(t.to)}</td>
                        <td>{t.count}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
              <ul>
                {state.backtest.moves.slice(0, 50).map((mv) => (
                  <li>
                    <a href={`/inbox/cases/${mv.reference}`}>{mv.reference}</a>: {outcome(mv.from)} →{" "}
                    {outcome(mv.to)}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </section>
      </div>

      <section class="panel" aria-labelledby="h-history">
        <h2 id="h-history">{m.rulesHistory}</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">{m.rulesVersion}</th>
              <th scope="col">{m.rulesPublishedBy}</th>
              <th scope="col">{m.actions}</th>
            </tr>
          </thead>
          <tbody>
            {p.versions.map((v) => (
              <tr>
                <td>
                  {v.version}
                  {v.version === rules.active.version ? ` (${m.rulesActive.toLowerCase()})` : ""}
                </td>
                <td>
                  {v.publishedBy && v.publishedAt
                    ? `${v.publishedBy}, ${formatDateTime(v.publishedAt, p.lang)}`
                    : m.rulesShipped}
                </td>
                <td>
                  {v.version > 1 && (
                    <a href={`/admin/rules?from=${v.version - 1}&to=${v.version}#h-diff`}>{m.rulesDiff}</a>
                  )}{" "}
                  {v.version !== rules.active.version && (
                    <form method="post" action="/admin/rules/rollback" class="inline-form">
                      <input type="hidden" name="toVersion" value={String(v.version)} />
                      <button type="submit" class="secondary">
                        {m.rulesRollback}
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {state.diff && (
          <div>
            <h3 id="h-diff">
              {m.rulesVersion} {state.diff.from} → {state.diff.to}
            </h3>
            {(["rules", "couplings", "overrides"] as const).map((k) => (
              <p>
                <strong>{k}</strong>: {m.rulesAdded}: {state.diff?.diff[k].added.join(", ") || "–"};{" "}
                {m.rulesRemoved}: {state.diff?.diff[k].removed.join(", ") || "–"}; {m.rulesChangedItems}:{" "}
                {state.diff?.diff[k].changed.join(", ") || "–"}
              </p>
            ))}
          </div>
        )}
      </section>
    </AdminLayout>
  );
}
