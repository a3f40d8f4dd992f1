// Civil dates: calendar days with no time of day and no time zone, as 'YYYY-MM-DD'.
// Instants (Date) never enter the domain; the shell converts at the edges, in TZ.
// Day arithmetic uses epoch-day integers (proleptic Gregorian, exact); month
// arithmetic uses Temporal.PlainDate, whose 'constrain' overflow is § 645.14.
import { Temporal } from 'temporal-polyfill';

declare const civil: unique symbol;
/** A calendar day 'YYYY-MM-DD' that exists on the calendar. */
export type CivilDate = string & { readonly [civil]: true };

const SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Gregorian: every 4th year, except centuries not divisible by 400 (1900 is common, 2000 leap). */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** The civil date written as `text`, or null when it is not a real 'YYYY-MM-DD' day (2026-02-30). */
export function parseCivilDate(text: string): CivilDate | null {
  const m = SHAPE.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return text as CivilDate;
}

/** Like parseCivilDate, but throws: for literals in code and tests. */
export function civilDate(text: string): CivilDate {
  const d = parseCivilDate(text);
  if (d === null) throw new RangeError(`not a calendar date: ${JSON.stringify(text)}`);
  return d;
}

export function fromParts(year: number, month: number, day: number): CivilDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` as CivilDate;
}

// Days since 1970-01-01 (H. Hinnant, "chrono-compatible low-level date algorithms").
export function toEpochDay(d: CivilDate): number {
  let y = Number(d.slice(0, 4));
  const m = Number(d.slice(5, 7));
  const day = Number(d.slice(8, 10));
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function fromEpochDay(n: number): CivilDate {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return fromParts(year, month, day);
}

export function addDays(d: CivilDate, days: number): CivilDate {
  return fromEpochDay(toEpochDay(d) + days);
}

/** `to` − `from` in days (negative when `to` is earlier). */
export function daysBetween(from: CivilDate, to: CivilDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

/** ISO day of week: 1 = Monday … 7 = Sunday. */
export function isoDayOfWeek(d: CivilDate): number {
  // 1970-01-01 was a Thursday (4).
  return ((((toEpochDay(d) + 3) % 7) + 7) % 7) + 1;
}

/**
 * `months` calendar months after `d` (Minn. Stat. § 645.14): the same day of the
 * month, or that month's last day when it has no such day (2025-08-31 + 6 → 2026-02-28).
 */
export function addCalendarMonths(d: CivilDate, months: number): CivilDate {
  const p = Temporal.PlainDate.from(d).add({ months }, { overflow: 'constrain' });
  return fromParts(p.year, p.month, p.day);
}

export function minDate(a: CivilDate, b: CivilDate): CivilDate {
  return a <= b ? a : b;
}

export function maxDate(a: CivilDate, b: CivilDate): CivilDate {
  return a >= b ? a : b;
}
