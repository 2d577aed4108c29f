import { AdminLayout, Problems } from "#functions/http/admin/layout.tsx";
import { DocumentForm } from "#functions/http/commons/document-form.tsx";
import type { AdminMessages } from "#functions/http/i18n/admin-messages.ts";
import { systemLabel } from "#functions/http/i18n/case-terms.ts";
import type { Lang } from "#functions/http/i18n/lang.ts";
import type { AppError } from "#shared/errors.ts";
import { SYSTEMS } from "#shared/needs.ts";
import type { Principal } from "#shared/principal.ts";
import type { Consortium } from "#shared/reference/consortia.ts";
import { municipality } from "#shared/reference/municipalities.ts";

/** The consortia: who is in each, which municipalities they cover, and the map as editable JSON. */
export function ConsortiaPage(p: {
  lang: Lang;
  m: AdminMessages;
  path: string;
  user: Principal;
  current: { version: number; consortia: Consortium[] };
  text: string;
  error?: AppError | undefined;
  saved: boolean;
}) {
  const { m } = p;
  return (
    <AdminLayout lang={p.lang} m={m} path={p.path} user={p.user} title={m.adminConsortia}>
      {p.saved && (
        <p class="confirmation" role="status">
          {m.consortiaSaved}
        </p>
      )}
      <Problems error={p.error} />
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{m.consortium}</th>
              {SYSTEMS.map((s) => (
                <th scope="col">{systemLabel(m, s)}</th>
              ))}
              <th scope="col">{m.municipality}</th>
            </tr>
          </thead>
          <tbody>
            {p.current.consortia.map((c) => (
              <tr>
                <td>
                  <strong>{c.name}</strong>
                  <br />
                  <code>{c.id}</code>
                </td>
                {SYSTEMS.map((s) => (
                  <td>{c.members[s].name}</td>
                ))}
                <td>
                  {c.municipalities.length}:{" "}
                  <small>{c.municipalities.map((code) => municipality(code)?.name ?? code).join(", ")}</small>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <DocumentForm
        action="/admin/consortia"
        id="f-consortia"
        name="consortia"
        label={m.consortiaEdit}
        help={m.consortiaHelp}
        rows={20}
        value={p.text}
        submit={m.consortiaSave}
      />
    </AdminLayout>
  );
}
