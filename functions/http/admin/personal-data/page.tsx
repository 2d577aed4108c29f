import { AdminLayout } from "#functions/http/admin/layout.tsx";
import { type AdminMessages, countText } from "#functions/http/i18n/admin-messages.ts";
import { statusLabel } from "#functions/http/i18n/case-terms.ts";
import { formatDateTime, type Lang } from "#functions/http/i18n/lang.ts";
import type { findSubject } from "#shared/admin/personal-data.ts";
import type { Principal } from "#shared/principal.ts";

export interface PersonalDataState {
  /** What was asked for, as typed. */
  cvr?: string;
  email?: string;
  found?: Awaited<ReturnType<typeof findSubject>>;
  /** The confirmation step before an erasure. */
  confirm?: boolean;
  erased?: string[];
  invalid?: boolean;
}

/** Personal data: find a company (CVR) or a contact (e-mail within its cases), export or erase. */
export function PersonalDataPage(p: {
  lang: Lang;
  m: AdminMessages;
  path: string;
  user: Principal;
  state: PersonalDataState;
}) {
  const { m, state } = p;
  const subject = { cvr: state.cvr ?? "", ...(state.email ? { email: state.email } : {}) };
  const query = new URLSearchParams(subject).toString();
  const Hidden = () => (
    <>
      <input type="hidden" name="cvr" value={subject.cvr} />
      {subject.email && <input type="hidden" name="email" value={subject.email} />}
    </>
  );
  return (
    <AdminLayout lang={p.lang} m={m} path={p.path} user={p.user} title={m.adminPersonalData}>
      {state.erased && (
        <p class="confirmation" role="status">
          {countText(m.pdErased, state.erased.length)} {state.erased.join(", ")}
        </p>
      )}
      {state.invalid && (
        <div class="error-summary" role="alert">
          <h2>{m.pdInvalid}</h2>
        </div>
      )}
      <p>{m.pdIntro}</p>
      <form method="get" action="/admin/personal-data" class="panel">
        <div class="field">
          <label for="f-cvr">{m.pdCvr}</label>
          <input id="f-cvr" name="cvr" inputmode="numeric" class="short" value={subject.cvr} required />
        </div>
        <div class="field">
          <label for="f-email">{m.pdEmail}</label>
          <p class="hint" id="f-email-help">
            {m.pdEmailHelp}
          </p>
          <input
            id="f-email"
            name="email"
            type="email"
            value={subject.email ?? ""}
            aria-describedby="f-email-help"
          />
        </div>
        <button type="submit">{m.pdFind}</button>
      </form>

      {state.found && (
        <section class="panel" aria-labelledby="h-found">
          <h2 id="h-found">
            {state.confirm ? m.pdConfirmTitle : m.pdFound}: {state.found.cases.length}
          </h2>
          {state.found.cases.length === 0 ? (
            <p>{m.pdNone}</p>
          ) : (
            <>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{m.pdReference}</th>
                    <th scope="col">{m.pdReceived}</th>
                    <th scope="col">{m.pdCompany}</th>
                    <th scope="col">{m.pdContact}</th>
                  </tr>
                </thead>
                <tbody>
                  {state.found.cases.map((c) => (
                    <tr>
                      <td>
                        <a href={`/inbox/cases/${c.reference}`}>{c.reference}</a> ({statusLabel(m, c.status)})
                      </td>
                      <td>{formatDateTime(c.receivedAt, p.lang)}</td>
                      <td>{c.companyName}</td>
                      <td>{c.contactEmail}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {state.confirm ? (
                <div class="notice" id="erase-confirm">
                  <p>{countText(m.pdConfirmText, state.found.cases.length)}</p>
                  <form method="post" action="/admin/personal-data/erase" class="inline-form">
                    <Hidden />
                    <button type="submit">{m.pdEraseNow}</button>
                  </form>{" "}
                  <a href={`/admin/personal-data?${query}`}>{m.pdCancel}</a>
                </div>
              ) : (
                <p>
                  <a href={`/admin/personal-data/export?${query}`} download>
                    {m.pdExport}
                  </a>{" "}
                  <a class="button secondary" href={`/admin/personal-data?${query}&confirm=1`}>
                    {m.pdEraseStart}
                  </a>
                </p>
              )}
            </>
          )}
        </section>
      )}
    </AdminLayout>
  );
}
