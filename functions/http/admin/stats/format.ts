import type { AdminMessages } from "#functions/http/i18n/admin-messages.ts";
import { type Lang, locale } from "#functions/http/i18n/lang.ts";
import type { GroupBy, StatsNeed } from "#shared/admin/stats.ts";
import type { StatsReport } from "#shared/admin/stats-report.ts";
import type { SeriesStyle } from "./charts.tsx";

/** One style per need: colour, marker and dash differ, so no series depends on colour alone. */
export const NEED_STYLES: Record<StatsNeed, SeriesStyle> = {
  growth: { color: "#1e6b32", marker: "triangle", dash: "2 3" },
  recruitment: { color: "#0b5394", marker: "circle", dash: "" },
  upskilling: { color: "#b35900", marker: "square", dash: "7 4" },
  none: { color: "#555e68", marker: "diamond", dash: "10 3 2 3" },
};

/** Numbers, hours and dates in the reader's language. */
export function formatters(lang: Lang, m: AdminMessages) {
  const count = new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 0 });
  const hours = new Intl.NumberFormat(locale(lang), { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const tick = new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 1 });
  const utc = (date: string) => new Date(`${date}T00:00:00Z`);
  const dateLong = new Intl.DateTimeFormat(locale(lang), { dateStyle: "long", timeZone: "UTC" });
  const dayMedium = new Intl.DateTimeFormat(locale(lang), {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  });
  const dayShort = new Intl.DateTimeFormat(locale(lang), {
    day: "numeric",
    month: "numeric",
    timeZone: "UTC",
  });
  const monthLong = new Intl.DateTimeFormat(locale(lang), {
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  });
  const monthShort = new Intl.DateTimeFormat(locale(lang), {
    month: "short",
    year: "2-digit",
    timeZone: "UTC",
  });
  /** A period as people read it: "uge 48, 2026", "november 2026", "23. nov. 2026"; `short` for axes. */
  const period = (p: string, groupBy: GroupBy, short = false): string => {
    if (groupBy === "week") {
      const [year, week] = p.split("-W");
      return short ? `${m.statsWeekShort}${Number(week)}` : `${m.statsWeek} ${Number(week)}, ${year}`;
    }
    if (groupBy === "month") return (short ? monthShort : monthLong).format(utc(`${p}-01`));
    return (short ? dayShort : dayMedium).format(utc(p));
  };
  return {
    count: (n: number) => count.format(n),
    hours: (n: number) => `${hours.format(n)} ${m.statsHoursUnit}`,
    tick: (n: number) => tick.format(n),
    date: (d: string) => dateLong.format(utc(d)),
    period,
  };
}

/** Statistics: the query form, a summary, and three charts, each with its figures as a table. */

export type Formatters = ReturnType<typeof formatters>;

/** What each section of the report is drawn from. */
export type SectionProps = {
  lang: Lang;
  m: AdminMessages;
  report: StatsReport;
  f: Formatters;
  areas: string[];
  areaName: (id: string) => string;
};
