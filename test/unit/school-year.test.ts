// School years (RULES.md 2, "School year and contact days"): a school year runs from
// SCHOOL_YEAR_START (default 07-01) to the day before it next year; V.D's 60 days count per school year.
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/civil-date.ts';
import { parseMonthDay, schoolYearOf } from '../../src/domain/school-year.ts';
import { d } from '../helpers/facts.ts';

const JULY_1 = { month: 7, day: 1 };
const AUGUST_15 = { month: 8, day: 15 };

describe('school year with the default SCHOOL_YEAR_START 07-01', () => {
  it.each([
    [
      '2026-06-30 is the last day of 2025-2026',
      '2026-06-30',
      { label: '2025-2026', start: '2025-07-01', end: '2026-06-30' },
    ],
    [
      '2026-07-01 is the first day of 2026-2027',
      '2026-07-01',
      { label: '2026-2027', start: '2026-07-01', end: '2027-06-30' },
    ],
    [
      'the school year containing a leap day ends on 06-30 as usual',
      '2024-02-29',
      { label: '2023-2024', start: '2023-07-01', end: '2024-06-30' },
    ],
  ])('%s', (_case, day, year) => {
    expect(schoolYearOf(d(day), JULY_1)).toEqual(year);
  });

  it('a day in the middle of the year: 2025-09-01 and 2026-01-15 are both in 2025-2026', () => {
    expect(schoolYearOf(d('2025-09-01'), JULY_1).label).toBe('2025-2026');
    expect(schoolYearOf(d('2026-01-15'), JULY_1).label).toBe('2025-2026');
  });

  it('January 1 does not start a new school year', () => {
    expect(schoolYearOf(d('2026-12-31'), JULY_1).label).toBe('2026-2027');
    expect(schoolYearOf(d('2027-01-01'), JULY_1).label).toBe('2026-2027');
  });
});

describe('school year with a configured SCHOOL_YEAR_START 08-15', () => {
  it('2026-08-14 is the last day of 2025-2026', () => {
    expect(schoolYearOf(d('2026-08-14'), AUGUST_15)).toEqual({
      label: '2025-2026',
      start: '2025-08-15',
      end: '2026-08-14',
    });
  });

  it('2026-08-15 is the first day of 2026-2027', () => {
    expect(schoolYearOf(d('2026-08-15'), AUGUST_15)).toEqual({
      label: '2026-2027',
      start: '2026-08-15',
      end: '2027-08-14',
    });
  });

  it('07-01 no longer rolls over: 2026-07-01 is still in 2025-2026', () => {
    expect(schoolYearOf(d('2026-07-01'), AUGUST_15).label).toBe('2025-2026');
  });
});

describe('every day of a school year maps to the same school year', () => {
  it('2025-07-01 … 2026-06-30 are all 2025-2026, and the day after is not', () => {
    const expected = { label: '2025-2026', start: '2025-07-01', end: '2026-06-30' };
    let day = d('2025-07-01');
    for (let i = 0; i < 365; i++) {
      expect(schoolYearOf(day, JULY_1)).toEqual(expected);
      day = addDays(day, 1);
    }
    expect(day).toBe('2026-07-01');
    expect(schoolYearOf(day, JULY_1).label).toBe('2026-2027');
  });
});

describe('parseMonthDay (SCHOOL_YEAR_START is MM-DD)', () => {
  it('reads 07-01 and 08-15', () => {
    expect(parseMonthDay('07-01')).toEqual({ month: 7, day: 1 });
    expect(parseMonthDay('08-15')).toEqual({ month: 8, day: 15 });
  });

  it('accepts the last day of each month, 02-29 included', () => {
    expect(parseMonthDay('01-31')).toEqual({ month: 1, day: 31 });
    expect(parseMonthDay('02-29')).toEqual({ month: 2, day: 29 });
    expect(parseMonthDay('04-30')).toEqual({ month: 4, day: 30 });
    expect(parseMonthDay('12-31')).toEqual({ month: 12, day: 31 });
  });

  it.each([['02-30'], ['04-31'], ['13-01'], ['00-10'], ['07-00'], ['07-32']])(
    'rejects the impossible day %s',
    (text) => {
      expect(parseMonthDay(text)).toBeNull();
    },
  );

  it.each([['7-1'], ['07/01'], ['0701'], ['2026-07-01'], ['07-01 '], ['']])('rejects the malformed text %j', (text) => {
    expect(parseMonthDay(text)).toBeNull();
  });
});
