import table from "./danish-holidays.json" with { type: "json" };

/**
 * Working days by the Danish calendar, in Copenhagen time: the basis of the response-time targets
 * ("first contact within 2 working days"). Not a working day: Saturday, Sunday, a public holiday
 * (helligdag; from the date-holidays library, written to danish-holidays.json by `npm run holidays`),
 * and the three days the public sector closes though they are not helligdage — Grundlovsdag (5 June),
 * juleaftensdag (24 December) and nytårsaftensdag (31 December), the state's agreed days off. Store
 * bededag is a working day from 2024 on, as the law that abolished it says (and the table shows).
 */

/** A calendar day, `YYYY-MM-DD`. */
export type Day = string;

const HOLIDAYS: Readonly<Record<Day, string>> = table.holidays;
/** Fixed days off in the public sector, by `MM-DD`, with their Danish names. */
export const CLOSING_DAYS: Readonly<Record<string, string>> = {
  "06-05": "Grundlovsdag",
  "12-24": "Juleaftensdag",
  "12-31": "Nytårsaftensdag",
};
/** The years the holiday table covers; outside them only weekends and the closing days count. */
export const CALENDAR_YEARS = { from: table.from, to: table.to } as const;

const COPENHAGEN_DAY = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Europe/Copenhagen",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** The Copenhagen calendar day an instant falls on. */
export function copenhagenDay(instant: Date | string): Day {
  return COPENHAGEN_DAY.format(typeof instant === "string" ? new Date(instant) : instant);
}

/** The day after (or `n` days after) a day. */
export function nextDay(day: Day, n = 1): Day {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** Why a day is not a working day (the holiday's Danish name, or "weekend"), or undefined if it is one. */
export function dayOff(day: Day): string | undefined {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  if (weekday === 0 || weekday === 6) return "weekend";
  return HOLIDAYS[day] ?? CLOSING_DAYS[day.slice(5)];
}

export const isWorkingDay = (day: Day): boolean => dayOff(day) === undefined;

/** The `n`th working day after the day `from` falls on (n ≥ 1); the day of receipt itself never counts. */
export function workingDaysAfter(from: Date | string, n: number): Day {
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`working days must be a whole number ≥ 1, not ${n}`);
  let day = copenhagenDay(from);
  for (let left = n; left > 0; ) {
    day = nextDay(day);
    if (isWorkingDay(day)) left--;
  }
  return day;
}

/** The instant a Copenhagen day begins (midnight is never in a daylight-saving gap there). */
export function startOfCopenhagenDay(day: Day): Date {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  // Copenhagen is UTC+1 or UTC+2: midnight there is 22:00 or 23:00 UTC the day before.
  for (const hours of [1, 2]) {
    const candidate = new Date(Date.UTC(y, m - 1, d) - hours * 3_600_000);
    if (copenhagenDay(candidate) === day && copenhagenDay(new Date(candidate.getTime() - 1)) !== day)
      return candidate;
  }
  throw new Error(`no Copenhagen midnight found for ${day}`);
}

/** A due time: the last day it may be met on, and the instant from which it is overdue (the next midnight). */
export interface Due {
  day: Day;
  overdueFrom: string;
}

/** Due by the end of the `n`th working day after `from`. */
export function dueAfter(from: Date | string, n: number): Due {
  const day = workingDaysAfter(from, n);
  return { day, overdueFrom: startOfCopenhagenDay(nextDay(day)).toISOString() };
}

/** Where a due time stands at `now`: overdue, due today (its last day), or later. */
export function dueState(due: Due, now: Date | string): "overdue" | "due_today" | "on_time" {
  const at = typeof now === "string" ? new Date(now) : now;
  if (at.getTime() >= Date.parse(due.overdueFrom)) return "overdue";
  return copenhagenDay(at) === due.day ? "due_today" : "on_time";
}
