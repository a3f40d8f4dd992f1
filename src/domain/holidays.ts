// Minnesota legal holidays (Minn. Stat. § 645.44 subd. 5) and the roll of a
// deadline that falls on a weekend or holiday to the next business day (§ 645.15).
import { type CivilDate, addDays, fromParts, isoDayOfWeek } from './civil-date.ts';

/** The n-th (1-based) given ISO weekday of a month; n = -1 for the last one. */
function nthWeekday(year: number, month: number, weekday: number, n: number): CivilDate {
  if (n > 0) {
    const first = fromParts(year, month, 1);
    const offset = (weekday - isoDayOfWeek(first) + 7) % 7;
    return addDays(first, offset + (n - 1) * 7);
  }
  const nextFirst = month === 12 ? fromParts(year + 1, 1, 1) : fromParts(year, month + 1, 1);
  const last = addDays(nextFirst, -1);
  return addDays(last, -((isoDayOfWeek(last) - weekday + 7) % 7));
}

const MONDAY = 1;
const THURSDAY = 4;
const cache = new Map<number, ReadonlyMap<CivilDate, string>>();

/**
 * The legal holidays falling in `year` with their names, including observed days: a
 * fixed-date holiday on a Sunday is also observed the Monday after, on a Saturday the Friday
 * before (so 2027-12-31 is observed for New Year's Day 2028), named "… (observed)".
 * RULES.md decision: the Friday after Thanksgiving is not a holiday.
 */
function minnesotaHolidayNames(year: number): ReadonlyMap<CivilDate, string> {
  const hit = cache.get(year);
  if (hit) return hit;
  const days = new Map<CivilDate, string>();
  const fixed = (y: number): [CivilDate, string][] => [
    [fromParts(y, 1, 1), "New Year's Day"],
    [fromParts(y, 6, 19), 'Juneteenth'],
    [fromParts(y, 7, 4), 'Independence Day'],
    [fromParts(y, 11, 11), 'Veterans Day'],
    [fromParts(y, 12, 25), 'Christmas Day'],
  ];
  const inYear = (d: CivilDate) => d.startsWith(`${String(year).padStart(4, '0')}-`);
  for (const y of [year - 1, year, year + 1]) {
    for (const [d, name] of fixed(y)) {
      if (inYear(d)) days.set(d, name);
      const dow = isoDayOfWeek(d);
      const observed = dow === 7 ? addDays(d, 1) : dow === 6 ? addDays(d, -1) : null;
      if (observed !== null && inYear(observed)) days.set(observed, `${name} (observed)`);
    }
  }
  days.set(nthWeekday(year, 1, MONDAY, 3), 'Martin Luther King Jr. Day');
  days.set(nthWeekday(year, 2, MONDAY, 3), "Washington's and Lincoln's Birthday");
  days.set(nthWeekday(year, 5, MONDAY, -1), 'Memorial Day');
  days.set(nthWeekday(year, 9, MONDAY, 1), 'Labor Day');
  days.set(nthWeekday(year, 10, MONDAY, 2), "Indigenous Peoples' Day");
  days.set(nthWeekday(year, 11, THURSDAY, 4), 'Thanksgiving Day');
  cache.set(year, days);
  return days;
}

/** The legal holidays falling in `year`, observed days included. */
export function minnesotaHolidays(year: number): ReadonlySet<string> {
  return new Set(minnesotaHolidayNames(year).keys());
}

/** The name of the legal holiday `d` is ("Christmas Day", "Independence Day (observed)"), or null. */
export function legalHolidayName(d: CivilDate): string | null {
  return minnesotaHolidayNames(Number(d.slice(0, 4))).get(d) ?? null;
}

export function isLegalHoliday(d: CivilDate): boolean {
  return minnesotaHolidayNames(Number(d.slice(0, 4))).has(d);
}

export function isBusinessDay(d: CivilDate): boolean {
  return isoDayOfWeek(d) <= 5 && !isLegalHoliday(d);
}

/** `d` itself when it is a business day, else the next day that is (§ 645.15). */
export function rollToBusinessDay(d: CivilDate): CivilDate {
  let day = d;
  while (!isBusinessDay(day)) day = addDays(day, 1);
  return day;
}

/** The last business day on or before `d` (for messages: "file by Friday"). */
export function lastBusinessDayOnOrBefore(d: CivilDate): CivilDate {
  let day = d;
  while (!isBusinessDay(day)) day = addDays(day, -1);
  return day;
}
