import { FoldedTable, HeadRow, NumCell } from "#functions/http/commons/data-table.tsx";
import { type AdminMessages, groupByLabel, statsNeedLabel } from "#functions/http/i18n/admin-messages.ts";
import { outcomeLabel, statusLabel } from "#functions/http/i18n/case-terms.ts";
import { fill, type Lang } from "#functions/http/i18n/lang.ts";
import { MANUAL, STATS_NEEDS, type StatsNeed } from "#shared/admin/stats.ts";
import type { StatsReport } from "#shared/admin/stats-report.ts";
import { CASE_STATUSES, OUTCOMES, type Outcome } from "#shared/cases/model.ts";
import type { Consortium } from "#shared/reference/consortia.ts";
import { BarChart, LineChart, SeriesSwatch } from "./charts.tsx";
import { type Formatters, NEED_STYLES, type SectionProps } from "./format.ts";
import { Ratings, ServiceTargets } from "./service-sections.tsx";

/** The report under the form: the three charts, each with its table. */
export function Report(p: {
  lang: Lang;
  m: AdminMessages;
  consortia: readonly Consortium[];
  report: StatsReport;
  f: Formatters;
  download: (format: "csv" | "json") => string;
}) {
  const { m, report: r, f } = p;
  const names = new Map(p.consortia.map((c) => [c.id, c.name]));
  const areaName = (id: string) => (id === MANUAL ? m.manualInbox : (names.get(id) ?? id));
  // Every consortium (so that an area without requests shows as such), then any other id in the data
  // (e.g. a consortium since merged away), then manual triage when it has cases.
  const seen = new Set(r.rows.map((row) => row.consortiumId));
  const areas = [
    ...p.consortia.map((c) => c.id),
    ...[...seen].filter((id) => id !== MANUAL && !names.has(id)).sort(),
    ...(seen.has(MANUAL) ? [MANUAL] : []),
  ];
  const med = r.medians.overall;
  return (
    <>
      <dl class="facts">
        <dt>{m.statsPeriod}</dt>
        <dd>
          {f.date(r.from)} – {f.date(r.to)} ({groupByLabel(m, r.groupBy).toLowerCase()})
        </dd>
        <dt>{m.statsCasesTotal}</dt>
        <dd>
          <strong>{f.count(r.totals.cases)}</strong>
        </dd>
        <dt>{m.needs}</dt>
        <dd>
          {STATS_NEEDS.map((n) => `${statsNeedLabel(m, n)} ${f.count(r.totals.byNeed[n])}`).join(" · ")}
        </dd>
        <dt>{m.status}</dt>
        <dd>
          {CASE_STATUSES.filter((s) => r.totals.byStatus[s])
            .map((s) => `${statusLabel(m, s)} ${f.count(r.totals.byStatus[s] ?? 0)}`)
            .join(" · ") || "–"}
        </dd>
        <dt>{m.statsMedianClaim}</dt>
        <dd>
          {med.receivedToClaimedHours === null
            ? "–"
            : `${f.hours(med.receivedToClaimedHours)} (${m.statsClaimedCases.toLowerCase()}: ${f.count(med.claimedCases)})`}
        </dd>
        <dt>{m.statsMedianClose}</dt>
        <dd>
          {med.receivedToClosedHours === null
            ? "–"
            : `${f.hours(med.receivedToClosedHours)} (${m.statsClosedCases.toLowerCase()}: ${f.count(med.closedCases)})`}
        </dd>
      </dl>
      <p class="downloads">
        <a href={p.download("csv")} download>
          {m.statsDownloadCsv}
        </a>{" "}
        · <a href={p.download("json")}>{m.statsDownloadJson}</a>
      </p>
      {r.totals.cases === 0 && <p class="notice-info">{m.statsNoData}</p>}
      <NeedsByArea {...p} areas={areas} areaName={areaName} />
      <TimeToClaim {...p} areas={areas} areaName={areaName} />
      <Outcomes {...p} areas={areas} areaName={areaName} />
      <ServiceTargets {...p} areas={areas} areaName={areaName} />
      <Ratings {...p} areas={areas} areaName={areaName} />
    </>
  );
}

/** Chart 1: small multiples, one line chart per area, one line per need, one shared scale. */
function NeedsByArea(p: SectionProps) {
  const { m, report: r, f } = p;
  const index = new Map(r.periods.map((period, i) => [period, i]));
  const series = new Map<string, number[]>();
  for (const row of r.rows) {
    const key = `${row.consortiumId}|${row.need}`;
    let values = series.get(key);
    if (!values) {
      values = r.periods.map(() => 0);
      series.set(key, values);
    }
    const i = index.get(row.period);
    if (i !== undefined) values[i] = (values[i] ?? 0) + row.count;
  }
  const valuesOf = (area: string, need: StatsNeed) => series.get(`${area}|${need}`) ?? r.periods.map(() => 0);
  const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
  const yMax = Math.max(1, ...[...series.values()].flat());
  const xAxis = groupByLabel(m, r.groupBy);
  return (
    <section aria-labelledby="h-needs" class="stats-section">
      <h2 id="h-needs">{m.statsNeedsByArea}</h2>
      <p class="help">{m.statsNeedsByAreaHelp}</p>
      <ul class="legend" aria-label={m.statsLegend}>
        {STATS_NEEDS.map((n) => (
          <li>
            <SeriesSwatch style={NEED_STYLES[n]} />
            {statsNeedLabel(m, n)}
          </li>
        ))}
      </ul>
      <div class="multiples">
        {p.areas.map((area) => {
          const name = p.areaName(area);
          const total = r.totals.byConsortium[area] ?? 0;
          const desc = fill(m.statsDescNeeds, {
            area: name,
            total: f.count(total),
            series: STATS_NEEDS.map(
              (n) => `${statsNeedLabel(m, n)}: ${f.count(sum(valuesOf(area, n)))}`,
            ).join(", "),
          });
          return (
            <figure class="chart small">
              <figcaption>
                <strong>{name}</strong> ({f.count(total)})
              </figcaption>
              <LineChart
                id={`needs-${area}`}
                title={`${m.statsNeedsByArea}: ${name}`}
                desc={desc}
                xLabels={r.periods.map((period) => f.period(period, r.groupBy, true))}
                xAxisLabel={xAxis}
                yAxisLabel={m.statsCasesAxis}
                yMax={yMax}
                formatY={f.count}
                // Only the needs asked for here: lines along zero would hide each other (the table has all).
                series={STATS_NEEDS.filter((n) => sum(valuesOf(area, n)) > 0).map((n) => ({
                  name: statsNeedLabel(m, n),
                  style: NEED_STYLES[n],
                  values: valuesOf(area, n),
                }))}
              />
            </figure>
          );
        })}
      </div>
      <FoldedTable summary={m.statsShowTable} caption={m.statsNeedsByArea}>
        <HeadRow
          text={[m.statsArea, m.needs]}
          numbers={[...r.periods.map((period) => f.period(period, r.groupBy)), m.statsTotal]}
        />
        <tbody>
          {p.areas.flatMap((area) =>
            STATS_NEEDS.map((n) => {
              const values = valuesOf(area, n);
              return (
                <tr>
                  <th scope="row">{p.areaName(area)}</th>
                  <td>{statsNeedLabel(m, n)}</td>
                  {values.map((v) => (
                    <NumCell>{f.count(v)}</NumCell>
                  ))}
                  <NumCell total>{f.count(sum(values))}</NumCell>
                </tr>
              );
            }),
          )}
        </tbody>
      </FoldedTable>
    </section>
  );
}

/** Chart 2: median hours from received to claimed, one bar per area. */
function TimeToClaim(p: SectionProps) {
  const { m, report: r, f } = p;
  const items = p.areas.map((area) => {
    const value = r.medians.byConsortium[area]?.receivedToClaimedHours ?? null;
    return { label: p.areaName(area), value, text: value === null ? m.statsNotClaimed : f.hours(value) };
  });
  const desc = fill(m.statsDescClaim, { list: items.map((i) => `${i.label}: ${i.text}`).join(", ") });
  const overall = r.medians.overall;
  return (
    <section aria-labelledby="h-claim" class="stats-section">
      <h2 id="h-claim">{m.statsTimeToClaim}</h2>
      <p class="help">{m.statsTimeToClaimHelp}</p>
      <figure class="chart bars">
        <BarChart
          id="claim"
          title={m.statsTimeToClaim}
          desc={desc}
          axisLabel={m.statsHoursAxis}
          formatTick={f.tick}
          items={items}
        />
      </figure>
      <FoldedTable summary={m.statsShowTable} caption={m.statsTimeToClaim}>
        <HeadRow
          text={[m.statsArea]}
          numbers={[m.statsMedianClaim, m.statsClaimedCases, m.statsMedianClose, m.statsClosedCases]}
        />
        <tbody>
          {p.areas.map((area) => {
            const md = r.medians.byConsortium[area];
            return (
              <tr>
                <th scope="row">{p.areaName(area)}</th>
                <NumCell>{hoursCell(md?.receivedToClaimedHours, f)}</NumCell>
                <NumCell>{f.count(md?.claimedCases ?? 0)}</NumCell>
                <NumCell>{hoursCell(md?.receivedToClosedHours, f)}</NumCell>
                <NumCell>{f.count(md?.closedCases ?? 0)}</NumCell>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{m.statsTotal}</th>
            <NumCell>{hoursCell(overall.receivedToClaimedHours, f)}</NumCell>
            <NumCell>{f.count(overall.claimedCases)}</NumCell>
            <NumCell>{hoursCell(overall.receivedToClosedHours, f)}</NumCell>
            <NumCell>{f.count(overall.closedCases)}</NumCell>
          </tr>
        </tfoot>
      </FoldedTable>
    </section>
  );
}

const hoursCell = (h: number | null | undefined, f: Formatters) =>
  h === null || h === undefined ? "–" : f.hours(h);

/** Chart 3: closed cases by outcome, all areas together; the table splits them by area. */
function Outcomes(p: SectionProps) {
  const { m, report: r, f } = p;
  const outcomes = [
    ...OUTCOMES,
    // An outcome this version does not know (stored by another) is shown by its key.
    ...(Object.keys(r.outcomes.overall).filter((o) => !OUTCOMES.some((k) => k === o)) as Outcome[]),
  ];
  const items = outcomes.map((o) => {
    const value = r.outcomes.overall[o] ?? 0;
    return { label: outcomeLabel(m, o), value, text: f.count(value) };
  });
  const desc = fill(m.statsDescOutcomes, { list: items.map((i) => `${i.label}: ${i.text}`).join(", ") });
  const areas = p.areas.filter((a) => Object.values(r.outcomes.byConsortium[a] ?? {}).some((n) => n > 0));
  return (
    <section aria-labelledby="h-outcomes" class="stats-section">
      <h2 id="h-outcomes">{m.statsOutcomes}</h2>
      <figure class="chart bars">
        <BarChart
          id="outcomes"
          title={m.statsOutcomes}
          desc={desc}
          axisLabel={m.statsOutcomesAxis}
          formatTick={f.count}
          integer
          items={items}
          color="#1e6b32"
        />
      </figure>
      <FoldedTable summary={m.statsShowTable} caption={m.statsOutcomes}>
        <HeadRow text={[m.outcome]} numbers={[...areas.map((a) => p.areaName(a)), m.statsTotal]} />
        <tbody>
          {outcomes.map((o) => (
            <tr>
              <th scope="row">{outcomeLabel(m, o)}</th>
              {areas.map((a) => (
                <NumCell>{f.count(r.outcomes.byConsortium[a]?.[o] ?? 0)}</NumCell>
              ))}
              <NumCell total>{f.count(r.outcomes.overall[o] ?? 0)}</NumCell>
            </tr>
          ))}
        </tbody>
      </FoldedTable>
    </section>
  );
}
