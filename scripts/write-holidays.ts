/**
 * `npm run holidays`: writes the Danish public holidays (helligdage) for the years the service plans
 * in, from the date-holidays library, to shared/calendar/danish-holidays.json, which the working-day
 * calendar reads. The library is a development dependency only: the table is ~1 KB where the library
 * with its worldwide data is ~1 MB, and the functions that compute due times need none of it.
 * `npm test` fails while the table differs from what the library says (working-days.test.ts).
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Holidays from "date-holidays";

export const FIRST_YEAR = 2024;
export const LAST_YEAR = 2040;

/** Every public holiday of Denmark from FIRST_YEAR to LAST_YEAR, by date (YYYY-MM-DD) → Danish name. */
export function danishPublicHolidays(): Record<string, string> {
  const calendar = new Holidays("DK");
  const out: Record<string, string> = {};
  for (let year = FIRST_YEAR; year <= LAST_YEAR; year++)
    for (const h of calendar.getHolidays(year)) if (h.type === "public") out[h.date.slice(0, 10)] = h.name;
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = fileURLToPath(new URL("../shared/calendar/danish-holidays.json", import.meta.url));
  const table = { from: FIRST_YEAR, to: LAST_YEAR, holidays: danishPublicHolidays() };
  writeFileSync(file, `${JSON.stringify(table, null, 2)}\n`);
  console.log(`wrote ${file}`);
}
