// Days without school (RULES.md 9): a contact day on a Saturday, Sunday or Minnesota legal
// holiday (RULES.md 2's list, holidays.ts), or on a day the district lists as its own day
// without school, is most likely a typing error. Pure: the district's days come as data.
import { type CivilDate, isoDayOfWeek } from './civil-date.ts';
import { legalHolidayName } from './holidays.ts';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
type Weekday = (typeof WEEKDAYS)[number];

/** Why a day is not a school day; a holiday on a weekend is named as the holiday. */
export type NoSchoolReason =
  { kind: 'HOLIDAY'; name: string } | { kind: 'WEEKEND' } | { kind: 'DISTRICT'; districtName: string };

export interface NonSchoolDay {
  date: CivilDate;
  weekday: Weekday;
  reason: NoSchoolReason;
}

/** The district's own days without school (RULES.md 11 keeps them), and its name for messages. */
export interface DistrictCalendar {
  name: string;
  daysWithoutSchool: ReadonlySet<string>;
}

function weekdayOf(d: CivilDate): Weekday {
  return WEEKDAYS[isoDayOfWeek(d) - 1]!;
}

/** Why `d` is not a school day in the district, or null when it may be one. */
export function noSchoolReason(d: CivilDate, district: DistrictCalendar | null): NoSchoolReason | null {
  const holiday = legalHolidayName(d);
  if (holiday !== null) return { kind: 'HOLIDAY', name: holiday };
  if (isoDayOfWeek(d) >= 6) return { kind: 'WEEKEND' };
  if (district?.daysWithoutSchool.has(d)) return { kind: 'DISTRICT', districtName: district.name };
  return null;
}

/** The days of `dates` that are not school days, in the order given. */
export function nonSchoolDays(dates: readonly CivilDate[], district: DistrictCalendar | null): NonSchoolDay[] {
  const out: NonSchoolDay[] = [];
  for (const date of dates) {
    const reason = noSchoolReason(date, district);
    if (reason !== null) out.push({ date, weekday: weekdayOf(date), reason });
  }
  return out;
}

/**
 * The day named in words: "Saturday 2026-12-05 is not a school day", "Friday 2026-12-25 is
 * Christmas Day, a legal holiday", "Monday 2026-12-28 is a day without school in Albert Lea
 * Area Schools".
 */
export function nonSchoolDayText(day: NonSchoolDay): string {
  const named = `${day.weekday} ${day.date}`;
  const r = day.reason;
  switch (r.kind) {
    case 'WEEKEND':
      return `${named} is not a school day`;
    case 'HOLIDAY':
      return `${named} is ${r.name}, a legal holiday, not a school day`;
    case 'DISTRICT':
      return `${named} is a day without school in ${r.districtName}`;
    default: {
      const _exhaustive: never = r;
      throw new Error(`unhandled reason ${String(_exhaustive)}`);
    }
  }
}
