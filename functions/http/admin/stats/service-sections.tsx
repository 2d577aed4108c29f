import { FoldedTable, HeadRow, NumCell } from "#functions/http/commons/data-table.tsx";
import { statsNeedLabel } from "#functions/http/i18n/admin-messages.ts";
import { fill } from "#functions/http/i18n/lang.ts";
import type { RatingStats, TargetCount } from "#shared/admin/service-stats.ts";
import { STATS_NEEDS } from "#shared/admin/stats.ts";
import { BarChart } from "./charts.tsx";
import type { SectionProps } from "./format.ts";

/** The share met of what fell due (met + missed), in per cent; null when nothing fell due. */
const shareMet = (t: TargetCount | undefined) =>
  t && t.met + t.missed > 0 ? Math.round((100 * t.met) / (t.met + t.missed)) : null;

/** Chart 4: how many first contacts came within the consortium's target, and the targets' table. */
export function ServiceTargets(p: SectionProps) {
  const { m, report: r, f } = p;
  const s = r.service;
  const areas = p.areas.filter((a) => s.targetsByConsortium[a]);
  const pct = (n: number | null) => (n === null ? "–" : `${f.count(n)} %`);
  const items = areas.map((area) => {
    const value = shareMet(s.targetsByConsortium[area]?.firstContact);
    return { label: p.areaName(area), value, text: value === null ? m.statsNoTarget : pct(value) };
  });
  const counts = (t: TargetCount | undefined) => [
    <NumCell>{f.count(t?.met ?? 0)}</NumCell>,
    <NumCell>{f.count(t?.missed ?? 0)}</NumCell>,
    <NumCell>{f.count(t?.open ?? 0)}</NumCell>,
  ];
  const heads = (what: string) => [
    `${what}: ${m.statsTargetMet.toLowerCase()}`,
    `${what}: ${m.statsTargetMissed.toLowerCase()}`,
    `${what}: ${m.statsTargetOpen.toLowerCase()}`,
  ];
  const hours = (h: number | null | undefined) => (h === null || h === undefined ? "–" : f.hours(h));
  return (
    <section aria-labelledby="h-service" class="stats-section">
      <h2 id="h-service">{m.statsService}</h2>
      <p class="help">{m.statsServiceHelp}</p>
      {items.length > 0 && (
        <figure class="chart bars">
          <BarChart
            id="service"
            title={m.statsFirstContactMet}
            desc={fill(m.statsDescService, { list: items.map((i) => `${i.label}: ${i.text}`).join(", ") })}
            axisLabel={m.statsShareAxis}
            formatTick={f.tick}
            items={items}
            color="#5b2c83"
          />
        </figure>
      )}
      <FoldedTable summary={m.statsShowTable} caption={m.statsService}>
        <HeadRow
          text={[m.statsArea]}
          numbers={[
            m.statsMedianFirstContact,
            m.statsFirstContactMet,
            m.statsCloseMet,
            ...heads(m.statsFirstContactMet),
            ...heads(m.statsCloseMet),
          ]}
        />
        <tbody>
          {areas.map((area) => {
            const t = s.targetsByConsortium[area];
            return (
              <tr>
                <th scope="row">{p.areaName(area)}</th>
                <NumCell>{hours(s.firstContact.byConsortium[area]?.hours)}</NumCell>
                <NumCell>{pct(shareMet(t?.firstContact))}</NumCell>
                <NumCell>{pct(shareMet(t?.close))}</NumCell>
                {counts(t?.firstContact)}
                {counts(t?.close)}
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{m.statsTotal}</th>
            <NumCell total>{hours(s.firstContact.overall.hours)}</NumCell>
          </tr>
        </tfoot>
      </FoldedTable>
      <FoldedTable summary={m.statsTargetsByPeriod} caption={m.statsTargetsByPeriod}>
        <HeadRow
          text={[m.statsPeriod, m.statsArea, m.needs]}
          numbers={[...heads(m.statsFirstContactMet), ...heads(m.statsCloseMet)]}
        />
        <tbody>
          {s.targets.map((row) => (
            <tr>
              <th scope="row">{f.period(row.period, r.groupBy)}</th>
              <td>{p.areaName(row.consortiumId)}</td>
              <td>{statsNeedLabel(m, row.need)}</td>
              {counts(row.firstContact)}
              {counts(row.close)}
            </tr>
          ))}
        </tbody>
      </FoldedTable>
    </section>
  );
}

/** Chart 5: the companies' ratings per area, and per area and need in the table. */
export function Ratings(p: SectionProps) {
  const { m, report: r, f } = p;
  const ratings = r.service.ratings;
  const avg = (s: RatingStats | undefined) => (s?.average == null ? "–" : f.tick(s.average));
  const items = p.areas
    .filter((a) => ratings.byConsortium[a])
    .map((area) => {
      const s = ratings.byConsortium[area];
      return {
        label: p.areaName(area),
        value: s?.average ?? null,
        text: s?.average == null ? m.statsNoRatings : `${avg(s)} (${f.count(s.count)})`,
      };
    });
  const row = (label: string, s: RatingStats | undefined, total = false) => (
    <tr>
      <th scope="row">{label}</th>
      <NumCell total={total}>{f.count(s?.count ?? 0)}</NumCell>
      <NumCell total={total}>{avg(s)}</NumCell>
      <NumCell total={total}>{(s?.scores ?? [0, 0, 0, 0, 0]).map((n) => f.count(n)).join(" · ")}</NumCell>
    </tr>
  );
  return (
    <section aria-labelledby="h-ratings" class="stats-section">
      <h2 id="h-ratings">{m.statsRatings}</h2>
      <p class="help">{m.statsRatingsHelp}</p>
      {items.length === 0 ? (
        <p class="notice-info">{m.statsNoRatings}</p>
      ) : (
        <figure class="chart bars">
          <BarChart
            id="ratings"
            title={m.statsRatings}
            desc={fill(m.statsDescRatings, { list: items.map((i) => `${i.label}: ${i.text}`).join(", ") })}
            axisLabel={m.statsRatingAxis}
            formatTick={f.tick}
            items={items}
            color="#7a4a00"
          />
        </figure>
      )}
      <FoldedTable summary={m.statsShowTable} caption={m.statsRatings}>
        <HeadRow
          text={[`${m.statsArea} / ${m.needs}`]}
          numbers={[m.statsRatingCount, m.statsRatingAverage, m.statsRatingScores]}
        />
        <tbody>
          {p.areas
            .filter((a) => ratings.byConsortium[a])
            .map((a) => row(p.areaName(a), ratings.byConsortium[a]))}
          {STATS_NEEDS.filter((n) => ratings.byNeed[n]).map((n) =>
            row(statsNeedLabel(m, n), ratings.byNeed[n]),
          )}
        </tbody>
        <tfoot>{row(m.statsTotal, ratings.total, true)}</tfoot>
      </FoldedTable>
    </section>
  );
}
