import { AdminLayout } from "#functions/http/admin/layout.tsx";
import type { AdminMessages } from "#functions/http/i18n/admin-messages.ts";
import { formatDateTime, type Lang } from "#functions/http/i18n/lang.ts";
import type { AuditEntry } from "#shared/admin/audit.ts";
import type { Principal } from "#shared/principal.ts";

/** The audit log: who did what, when, with the change itself one click away. */
export function AuditPage(p: {
  lang: Lang;
  m: AdminMessages;
  path: string;
  user: Principal;
  items: AuditEntry[];
}) {
  const { m } = p;
  return (
    <AdminLayout lang={p.lang} m={m} path={p.path} user={p.user} title={m.adminAudit}>
      <p>
        <a href="/api/admin/audit">JSON</a>
      </p>
      <div class="table-wrap">
        <table>
          <caption class="hp">{m.adminAudit}</caption>
          <thead>
            <tr>
              <th scope="col">{m.auditWhen}</th>
              <th scope="col">{m.auditWho}</th>
              <th scope="col">{m.auditWhat}</th>
              <th scope="col">{m.auditChange}</th>
            </tr>
          </thead>
          <tbody>
            {p.items.map((e) => (
              <tr>
                <td>{formatDateTime(e.at, p.lang)}</td>
                <td>{e.actor.name}</td>
                <td>
                  <code>{e.action}</code> {e.target}
                </td>
                <td>
                  <details>
                    <summary>{m.auditShow}</summary>
                    <pre>
                      {JSON.stringify({ before: e.before, after: e.after }, null, 2).slice(0, 20_000)}
                    </pre>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </AdminLayout>
  );
}
