// Civil dates (RULES.md preamble: every date is a 'YYYY-MM-DD' calendar day, no clock, no zone)
// and calendar-month arithmetic of Minn. Stat. § 645.14, used for the V.C grace period.
import { describe, expect, it } from 'vitest';
import {
  addCalendarMonths,
  addDays,
  civilDate,
  daysBetween,
  fromEpochDay,
  isoDayOfWeek,
  maxDate,
  minDate,
  parseCivilDate,
  toEpochDay,
} from '../../src/domain/civil-date.ts';
import { d } from '../helpers/facts.ts';

describe('parseCivilDate accepts only days that exist on the calendar', () => {
  it('accepts a leap day in a leap year: 2024-02-29', () => {
    expect(parseCivilDate('2024-02-29')).toBe('2024-02-29');
  });

  it('accepts the leap day of a year divisible by 400: 2000-02-29', () => {
    expect(parseCivilDate('2000-02-29')).toBe('2000-02-29');
  });

  it('rejects 2025-02-29 (2025 is a common year)', () => {
    expect(parseCivilDate('2025-02-29')).toBeNull();
  });

  it('rejects 1900-02-29 (a century year not divisible by 400 is common)', () => {
    expect(parseCivilDate('1900-02-29')).toBeNull();
  });

  it('rejects 2026-02-30 and 2026-04-31', () => {
    expect(parseCivilDate('2026-02-30')).toBeNull();
    expect(parseCivilDate('2026-04-31')).toBeNull();
  });

  it('rejects month 00 and 13, day 00 and 32', () => {
    expect(parseCivilDate('2026-00-10')).toBeNull();
    expect(parseCivilDate('2026-13-01')).toBeNull();
    expect(parseCivilDate('2026-01-00')).toBeNull();
    expect(parseCivilDate('2026-01-32')).toBeNull();
  });

  it.each([
    ['2026-1-5'],
    ['2026-01-5'],
    ['20260105'],
    ['2026/01/05'],
    ['05/01/2026'],
    [' 2026-01-05'],
    ['2026-01-05 '],
    ['2026-01-05T00:00:00Z'],
    ['26-01-05'],
    ['+2026-01-05'],
    ['abcd-ef-gh'],
    [''],
  ])('rejects the malformed text %j', (text) => {
    expect(parseCivilDate(text)).toBeNull();
  });

  it('accepts the last day of each month of 2026', () => {
    for (const text of [
      '2026-01-31',
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
      '2026-05-31',
      '2026-06-30',
      '2026-07-31',
      '2026-08-31',
      '2026-09-30',
      '2026-10-31',
      '2026-11-30',
      '2026-12-31',
    ]) {
      expect(parseCivilDate(text)).toBe(text);
    }
  });

  it('civilDate throws a RangeError for a literal that is not a calendar day', () => {
    expect(() => civilDate('2026-02-30')).toThrow(RangeError);
    expect(civilDate('2026-02-28')).toBe('2026-02-28');
  });
});

describe('addDays and daysBetween count calendar days', () => {
  it('crosses month and year ends', () => {
    expect(addDays(d('2025-12-31'), 1)).toBe('2026-01-01');
    expect(addDays(d('2026-01-01'), -1)).toBe('2025-12-31');
    expect(addDays(d('2025-08-31'), 1)).toBe('2025-09-01');
  });

  it('includes 02-29 in a leap year only', () => {
    expect(addDays(d('2024-02-28'), 1)).toBe('2024-02-29');
    expect(addDays(d('2025-02-28'), 1)).toBe('2025-03-01');
    expect(addDays(d('2026-03-01'), -1)).toBe('2026-02-28');
  });

  it('adding 0 days is the same day; a leap year has 366 days', () => {
    expect(addDays(d('2026-05-31'), 0)).toBe('2026-05-31');
    expect(addDays(d('2024-01-01'), 366)).toBe('2025-01-01');
    expect(addDays(d('2025-01-01'), 365)).toBe('2026-01-01');
  });

  it('daysBetween is to − from: 2025-09-01 → 2027-05-31 is 637 days, and negative backwards', () => {
    expect(daysBetween(d('2025-09-01'), d('2027-05-31'))).toBe(637);
    expect(daysBetween(d('2025-09-01'), d('2027-06-01'))).toBe(638);
    expect(daysBetween(d('2027-06-01'), d('2027-05-31'))).toBe(-1);
    expect(daysBetween(d('2026-03-02'), d('2026-03-02'))).toBe(0);
  });

  it('epoch days count from 1970-01-01', () => {
    expect(toEpochDay(d('1970-01-01'))).toBe(0);
    expect(toEpochDay(d('2025-09-01'))).toBe(20332);
    expect(toEpochDay(d('1900-01-01'))).toBe(-25567);
    expect(fromEpochDay(20512)).toBe('2026-02-28');
    expect(fromEpochDay(-1)).toBe('1969-12-31');
  });
});

describe('isoDayOfWeek: 1 = Monday … 7 = Sunday', () => {
  it.each([
    ['1970-01-01', 4], // Thursday
    ['2000-02-29', 2], // Tuesday
    ['2025-09-01', 1], // Labor Day, Monday
    ['2026-02-28', 6], // Saturday
    ['2022-12-25', 7], // Sunday
    ['2027-05-31', 1], // Memorial Day, Monday
    ['1900-01-01', 1], // Monday
  ])('%s is day %i', (text, dow) => {
    expect(isoDayOfWeek(d(text))).toBe(dow);
  });
});

describe('§ 645.14 addCalendarMonths: same day of the month, or that month’s last day', () => {
  it('2025-08-31 + 6 months → 2026-02-28 (February 2026 has no 31st)', () => {
    expect(addCalendarMonths(d('2025-08-31'), 6)).toBe('2026-02-28');
  });

  it('2023-08-31 + 6 months → 2024-02-29 (leap year)', () => {
    expect(addCalendarMonths(d('2023-08-31'), 6)).toBe('2024-02-29');
  });

  it('Jan 31 + 1 month → the last day of February', () => {
    expect(addCalendarMonths(d('2026-01-31'), 1)).toBe('2026-02-28');
    expect(addCalendarMonths(d('2024-01-31'), 1)).toBe('2024-02-29');
  });

  it('the 31st into a 30-day month → the 30th', () => {
    expect(addCalendarMonths(d('2025-03-31'), 1)).toBe('2025-04-30');
    expect(addCalendarMonths(d('2025-12-31'), 6)).toBe('2026-06-30');
  });

  it('the same day of the month when it exists, across a year end', () => {
    expect(addCalendarMonths(d('2025-09-01'), 6)).toBe('2026-03-01');
    expect(addCalendarMonths(d('2025-07-15'), 6)).toBe('2026-01-15');
    expect(addCalendarMonths(d('2026-11-30'), 6)).toBe('2027-05-30');
    expect(addCalendarMonths(d('2026-11-29'), 6)).toBe('2027-05-29');
  });

  it('the result does not depend on the day-of-month of intermediate months', () => {
    // 2026-01-31 + 2 is 03-31, not 02-28 + 1 month.
    expect(addCalendarMonths(d('2026-01-31'), 2)).toBe('2026-03-31');
  });

  it('adding 0 months is the same day', () => {
    expect(addCalendarMonths(d('2025-08-31'), 0)).toBe('2025-08-31');
  });
});

describe('minDate / maxDate', () => {
  it('pick the earlier / later civil date', () => {
    expect(minDate(d('2025-09-01'), d('2025-08-31'))).toBe('2025-08-31');
    expect(maxDate(d('2025-09-01'), d('2025-08-31'))).toBe('2025-09-01');
    expect(minDate(d('2026-01-01'), d('2026-01-01'))).toBe('2026-01-01');
  });
});
