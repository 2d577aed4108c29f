import { ADMIN_SECTIONS, AdminLayout } from "#functions/http/admin/layout.tsx";
import type { AdminMessages } from "#functions/http/i18n/admin-messages.ts";
import { statusLabel } from "#functions/http/i18n/case-terms.ts";
import { formatDateTime, type Lang } from "#functions/http/i18n/lang.ts";
import type { adminOverview } from "#shared/admin/overview.ts";
import type { CaseStatus } from "#shared/cases/model.ts";
import type { Principal } from "#shared/principal.ts";

/** /admin: the state at a glance, each part with the link to the page where it is acted on. */
export function AdminHomePage(p: {
  lang: Lang;
  m: AdminMessages;
  path: string;
  user: Principal;
  overview: Awaited<ReturnType<typeof adminOverview>>;
}) {
  const { m, overview: o } = p;
  const { active, draft } = o.rules;
  const waiting = o.deadLetters.queues.filter((q) => q.count > 0 || q.error);
  return (
    <AdminLayout lang={p.lang} m={m} path={p.path} user={p.user} title={m.adminHome}>
      <p>{m.homeIntro}</p>
      <div class="grid2">
        <section class="panel" aria-labelledby="h-rules">
          <h2 id="h-rules">{m.homeRules}</h2>
          <dl class="facts">
            <dt>{m.homeActiveVersion}</dt>
            <dd>
              {active.version} – {active.ruleSet.name}
            </dd>
            <dt>{m.homePublished}</dt>
            <dd>
              {active.publishedBy && active.publishedAt
                ? `${active.publishedBy}, ${formatDateTime(active.publishedAt, p.lang)}`
                : m.rulesShipped}
            </dd>
          </dl>
          <p id="home-draft">
            {!draft
              ? m.homeNoDraft
              : draft.stale
                ? m.homeDraftStale
                : `${m.homeDraftFresh} ${draft.updatedBy}, ${formatDateTime(draft.updatedAt, p.lang)}.`}
          </p>
          <p>
            <a href="/admin/rules">
              {m.homeGoTo} {m.adminRules.toLowerCase()}
            </a>
          </p>
        </section>

        <section class="panel" aria-labelledby="h-dead">
          <h2 id="h-dead">
            {m.homeDeadLetters}: {o.deadLetters.total}
          </h2>
          {waiting.length === 0 ? (
            <p>{m.homeDeadLettersNone}</p>
          ) : (
            <ul>
              {waiting.map((q) => (
                <li>
                  <code>{q.queue}</code>: {q.error ? m.homeUnreadable : q.count}
                </li>
              ))}
            </ul>
          )}
          <p>
            <a href="/admin/dead-letters">
              {m.homeGoTo} {m.adminDeadLetters.toLowerCase()}
            </a>
          </p>
        </section>

        <section class="panel" aria-labelledby="h-campaigns">
          <h2 id="h-campaigns">
            {m.homeCampaigns}: {o.campaignsRunning.length}
          </h2>
          {o.campaignsRunning.length === 0 ? (
            <p>{m.homeCampaignsNone}</p>
          ) : (
            <ul>
              {o.campaignsRunning.map((c) => (
                <li>
                  {c.name} ({c.team}), {formatDateTime(c.from, p.lang)} – {formatDateTime(c.to, p.lang)}
                </li>
              ))}
            </ul>
          )}
          <p>
            <a href="/admin/campaigns">
              {m.homeGoTo} {m.adminCampaigns.toLowerCase()}
            </a>
          </p>
        </section>

        <section class="panel" aria-labelledby="h-manual">
          <h2 id="h-manual">{m.homeManual}</h2>
          <dl class="facts">
            <dt>{m.homeManualOpen}</dt>
            <dd id="home-manual-open">{o.manualQueue.open}</dd>
            {(Object.entries(o.manualQueue.byStatus) as [CaseStatus, number][]).map(([status, n]) => (
              <>
                <dt>{statusLabel(m, status)}</dt>
                <dd>{n}</dd>
              </>
            ))}
          </dl>
          <p>
            <a href="/inbox?consortiumId=manual">{m.homeOpenInbox}</a>
          </p>
        </section>
      </div>

      <section class="panel" aria-labelledby="h-pages">
        <h2 id="h-pages">{m.adminTitle}</h2>
        <ul>
          {ADMIN_SECTIONS.map(([href, key]) => (
            <li>
              <a href={href}>{m[key]}</a>
            </li>
          ))}
        </ul>
      </section>
    </AdminLayout>
  );
}
