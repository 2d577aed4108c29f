import { AdminLayout } from "#functions/http/admin/layout.tsx";
import { type AdminMessages, groupByLabel, statsErrorText } from "#functions/http/i18n/admin-messages.ts";
import type { Lang } from "#functions/http/i18n/lang.ts";
import { GROUP_BYS } from "#shared/admin/stats.ts";
import type { StatsReport } from "#shared/admin/stats-report.ts";
import type { FieldProblem } from "#shared/errors.ts";
import type { Principal } from "#shared/principal.ts";
import type { Consortium } from "#shared/reference/consortia.ts";
import { formatters } from "./format.ts";
import { Report } from "./sections.tsx";

export interface StatsQueryEcho {
  from?: string | undefined;
  to?: string | undefined;
  groupBy?: string | undefined;
}

export function StatsPage(p: {
  lang: Lang;
  m: AdminMessages;
  path: string;
  user: Principal;
  consortia: readonly Consortium[];
  query: StatsQueryEcho;
  report?: StatsReport | undefined;
  errors?: FieldProblem[] | undefined;
}) {
  const { m, report } = p;
  const f = formatters(p.lang, m);
  const errors = p.errors ?? [];
  const errorOf = (field: string) => {
    const problem = errors.find((e) => e.path === field);
    if (!problem) return undefined;
    return statsErrorText(m, field) ?? `${field}: ${problem.message}`;
  };
  const values = {
    from: report?.from ?? p.query.from ?? "",
    to: report?.to ?? p.query.to ?? "",
    groupBy: report?.groupBy ?? p.query.groupBy ?? "week",
  };
  const download = (format: "csv" | "json") => {
    const q = new URLSearchParams({ from: values.from, to: values.to, groupBy: values.groupBy, format });
    return `/api/admin/stats?${q}`;
  };
  return (
    <AdminLayout lang={p.lang} m={m} path={p.path} user={p.user} title={m.adminStats}>
      <p class="lead">{m.statsIntro}</p>
      {errors.length > 0 && (
        <div class="error-summary" role="alert" tabindex={-1}>
          <h2>{m.errorSummary}</h2>
          <ul>
            {errors.map((e) => (
              <li>
                <a href={`#s-${e.path || "from"}`}>{errorOf(e.path) ?? `${e.path} ${e.message}`}</a>
              </li>
            ))}
          </ul>
        </div>
      )}
      <form method="get" action="/admin/stats" class="filters stats-form">
        <DateField id="from" label={m.statsFrom} value={values.from} error={errorOf("from")} />
        <DateField id="to" label={m.statsTo} value={values.to} error={errorOf("to")} />
        <div class={errorOf("groupBy") ? "field has-error" : "field"}>
          <label for="s-groupBy">{m.statsGroupBy}</label>
          {errorOf("groupBy") && <p class="error">{errorOf("groupBy")}</p>}
          <select id="s-groupBy" name="groupBy">
            {GROUP_BYS.map((g) => (
              <option value={g} selected={values.groupBy === g}>
                {groupByLabel(m, g)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="secondary">
          {m.statsShow}
        </button>
      </form>
      {report && <Report {...p} report={report} f={f} download={download} />}
    </AdminLayout>
  );
}

function DateField(p: { id: string; label: string; value: string; error: string | undefined }) {
  return (
    <div class={p.error ? "field has-error" : "field"}>
      <label for={`s-${p.id}`}>{p.label}</label>
      {p.error && (
        <p class="error" id={`s-${p.id}-error`}>
          {p.error}
        </p>
      )}
      <input
        type="date"
        id={`s-${p.id}`}
        name={p.id}
        value={p.value}
        aria-invalid={p.error ? "true" : undefined}
        aria-describedby={p.error ? `s-${p.id}-error` : undefined}
      />
    </div>
  );
}
