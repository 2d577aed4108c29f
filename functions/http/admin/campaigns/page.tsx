import { AdminLayout, Problems } from "#functions/http/admin/layout.tsx";
import { DocumentForm } from "#functions/http/commons/document-form.tsx";
import type { AdminMessages } from "#functions/http/i18n/admin-messages.ts";
import { statusLabel } from "#functions/http/i18n/case-terms.ts";
import { formatDateTime, type Lang } from "#functions/http/i18n/lang.ts";
import type { campaignsWithCounts } from "#shared/admin/campaigns-admin.ts";
import type { CaseStatus } from "#shared/cases/model.ts";
import type { AppError } from "#shared/errors.ts";
import type { Principal } from "#shared/principal.ts";

const EXAMPLE = JSON.stringify(
  {
    id: "femern-byggeri",
    name: "Femern-byggeriet",
    from: "2026-12-01",
    to: "2027-06-30",
    when: { type: "text", anyOf: ["femern", "tunnelbyggeri*"] },
    team: "Femern-taskforcen",
    consortiumId: "rar-sjaelland",
  },
  null,
  2,
);

/** Campaigns: what runs when, who handles it, and what it caught. */
export function CampaignsPage(p: {
  lang: Lang;
  m: AdminMessages;
  path: string;
  user: Principal;
  items: Awaited<ReturnType<typeof campaignsWithCounts>>;
  text?: string | undefined;
  error?: AppError | undefined;
}) {
  const { m } = p;
  return (
    <AdminLayout lang={p.lang} m={m} path={p.path} user={p.user} title={m.adminCampaigns}>
      <Problems error={p.error} />
      {p.items.length === 0 ? (
        <p>{m.campaignsNone}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{m.campaignName}</th>
                <th scope="col">{m.campaignPeriod}</th>
                <th scope="col">{m.campaignTeam}</th>
                <th scope="col">{m.campaignCaught}</th>
              </tr>
            </thead>
            <tbody>
              {p.items.map((c) => (
                <tr>
                  <td>
                    <strong>{c.name}</strong> <code>{c.id}</code>
                    {c.running && <span class="badge"> {m.campaignRunning}</span>}
                  </td>
                  <td>
                    {formatDateTime(new Date(c.from).toISOString(), p.lang)} –{" "}
                    {formatDateTime(new Date(c.to).toISOString(), p.lang)}
                  </td>
                  <td>
                    {c.team} ({c.consortiumId})
                  </td>
                  <td>
                    {c.counts.total}
                    {Object.entries(c.counts.byStatus).map(
                      ([s, n]) => ` · ${statusLabel(m, s as CaseStatus)} ${n}`,
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <DocumentForm
        action="/admin/campaigns"
        id="f-campaign"
        name="campaign"
        label={m.campaignEdit}
        help={m.campaignHelp}
        rows={14}
        value={p.text ?? EXAMPLE}
        submit={m.campaignSave}
      />
    </AdminLayout>
  );
}
