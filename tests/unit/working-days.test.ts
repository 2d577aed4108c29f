import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { danishPublicHolidays, FIRST_YEAR, LAST_YEAR } from "#scripts/write-holidays.ts";
import {
  CALENDAR_YEARS,
  copenhagenDay,
  dayOff,
  dueAfter,
  dueState,
  startOfCopenhagenDay,
  workingDaysAfter,
} from "#shared/calendar/working-days.ts";

describe("the Danish working-day calendar", () => {
  it("the committed holiday table is what date-holidays says (run `npm run holidays` after an upgrade)", () => {
    const table = JSON.parse(
      readFileSync(new URL("../../shared/calendar/danish-holidays.json", import.meta.url), "utf8"),
    );
    expect(table).toEqual({ from: FIRST_YEAR, to: LAST_YEAR, holidays: danishPublicHolidays() });
  });

  it("covers this year and the next ten (regenerate the table with a later LAST_YEAR before it runs out)", () => {
    const year = new Date().getUTCFullYear();
    expect(CALENDAR_YEARS.from).toBeLessThanOrEqual(year);
    expect(CALENDAR_YEARS.to).toBeGreaterThanOrEqual(year + 10);
  });

  it("knows the days off: weekends, helligdage, the public sector's closing days; store bededag is gone", () => {
    expect(dayOff("2026-05-14")).toBe("Kristi Himmelfartsdag");
    expect(dayOff("2026-06-05")).toBe("Grundlovsdag");
    expect(dayOff("2026-12-24")).toBe("Juleaftensdag");
    expect(dayOff("2026-12-31")).toBe("Nytårsaftensdag");
    expect(dayOff("2026-04-03")).toBe("Langfredag");
    expect(dayOff("2026-05-30")).toBe("weekend");
    expect(dayOff("2026-05-01")).toBeUndefined(); // 1. maj is a working day in the public sector
    expect(dayOff("2025-05-16")).toBeUndefined(); // store bededag 2025, abolished from 2024
    expect(dayOff("2026-05-13")).toBeUndefined();
  });

  it("counts working days after the day of receipt, across a weekend", () => {
    expect(workingDaysAfter("2026-11-27T14:00:00Z", 2)).toBe("2026-12-01"); // Fri → Mon, Tue
    expect(workingDaysAfter("2026-11-28T10:00:00Z", 2)).toBe("2026-12-01"); // Sat → Mon, Tue
    expect(workingDaysAfter("2026-11-30T07:00:00Z", 1)).toBe("2026-12-01"); // Mon → Tue
  });

  it("across Kristi himmelfartsdag and Grundlovsdag", () => {
    // Wed 13 May 2026: Thu 14 (holiday), Fri 15, Sat, Sun, Mon 18 → the 2nd working day is Mon 18.
    expect(workingDaysAfter("2026-05-13T09:00:00Z", 2)).toBe("2026-05-18");
    // Thu 4 June 2026: Fri 5 (Grundlovsdag), Sat, Sun, Mon 8, Tue 9.
    expect(workingDaysAfter("2026-06-04T09:00:00Z", 2)).toBe("2026-06-09");
    // Easter 2026: Wed 1 April → Thu 2 (skærtorsdag), Fri 3, Mon 6 off → Tue 7, Wed 8.
    expect(workingDaysAfter("2026-04-01T09:00:00Z", 2)).toBe("2026-04-08");
  });

  it("days are Copenhagen days: 23:30 UTC on a Friday in winter is already Saturday there", () => {
    expect(copenhagenDay("2026-11-27T23:30:00Z")).toBe("2026-11-28");
    expect(workingDaysAfter("2026-11-26T23:30:00Z", 1)).toBe("2026-11-30"); // Fri 00:30 local → Mon
  });

  it("overdue from the Copenhagen midnight after the due day, in summer and winter time", () => {
    expect(startOfCopenhagenDay("2026-06-10").toISOString()).toBe("2026-06-09T22:00:00.000Z");
    expect(startOfCopenhagenDay("2026-12-02").toISOString()).toBe("2026-12-01T23:00:00.000Z");
    // The night the clocks go back (25 October 2026) and forward (29 March 2026).
    expect(startOfCopenhagenDay("2026-10-25").toISOString()).toBe("2026-10-24T22:00:00.000Z");
    expect(startOfCopenhagenDay("2026-03-30").toISOString()).toBe("2026-03-29T22:00:00.000Z");
    const due = dueAfter("2026-11-27T14:00:00Z", 2);
    expect(due).toEqual({ day: "2026-12-01", overdueFrom: "2026-12-01T23:00:00.000Z" });
    expect(dueState(due, "2026-11-30T12:00:00Z")).toBe("on_time");
    expect(dueState(due, "2026-12-01T06:00:00Z")).toBe("due_today");
    expect(dueState(due, "2026-12-01T22:59:59.999Z")).toBe("due_today");
    expect(dueState(due, "2026-12-01T23:00:00Z")).toBe("overdue");
  });

  it("refuses a target that is not a whole number of days", () => {
    expect(() => workingDaysAfter("2026-11-27T14:00:00Z", 0)).toThrow(RangeError);
    expect(() => workingDaysAfter("2026-11-27T14:00:00Z", 1.5)).toThrow(RangeError);
  });
});
