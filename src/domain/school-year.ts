// School years (RULES.md 2, "School year and contact days"): from SCHOOL_YEAR_START
// (default 07-01) to the day before it the next year. The 60-day count of V.D is per school year.
import { type CivilDate, addDays, fromParts, isLeapYear } from './civil-date.ts';
import type { MonthDay, SchoolYear } from './types.ts';

function startIn(year: number, start: MonthDay): CivilDate {
  // A 02-29 start in a common year begins on 03-01 (the day after 02-28).
  if (start.month === 2 && start.day === 29 && !isLeapYear(year)) return fromParts(year, 3, 1);
  return fromParts(year, start.month, start.day);
}

export function schoolYearOf(d: CivilDate, start: MonthDay): SchoolYear {
  const year = Number(d.slice(0, 4));
  const thisYearStart = startIn(year, start);
  const first = d >= thisYearStart ? year : year - 1;
  const begin = startIn(first, start);
  const end = addDays(startIn(first + 1, start), -1);
  // A year starting on 01-01 is labeled by one calendar year.
  const label = begin.slice(0, 4) === end.slice(0, 4) ? String(first) : `${first}-${first + 1}`;
  return { label, start: begin, end };
}

export function parseMonthDay(text: string): MonthDay | null {
  const m = /^(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const month = Number(m[1]);
  const day = Number(m[2]);
  const max = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (max === undefined || day < 1 || day > max) return null;
  return { month, day };
}
