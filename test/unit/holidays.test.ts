// Minnesota legal holidays (Minn. Stat. § 645.44 subd. 5, as listed in RULES.md "Grace due date G")
// and the § 645.15 roll of a deadline off a weekend or holiday to the next business day.
import { describe, expect, it } from 'vitest';
import {
  isBusinessDay,
  isLegalHoliday,
  lastBusinessDayOnOrBefore,
  minnesotaHolidays,
  rollToBusinessDay,
} from '../../src/domain/holidays.ts';
import { d } from '../helpers/facts.ts';

// Each year's holidays, worked out by hand from the statute's list (weekday noted).
const HOLIDAYS: Record<number, Record<string, string>> = {
  2025: {
    '2025-01-01': "New Year's Day (Wed)",
    '2025-01-20': 'Martin Luther King Jr. Day, third Monday of January',
    '2025-02-17': "Washington's and Lincoln's Birthday, third Monday of February",
    '2025-05-26': 'Memorial Day, last Monday of May',
    '2025-06-19': 'Juneteenth (Thu)',
    '2025-07-04': 'Independence Day (Fri)',
    '2025-09-01': 'Labor Day, first Monday of September',
    '2025-10-13': "Indigenous Peoples' Day, second Monday of October",
    '2025-11-11': 'Veterans Day (Tue)',
    '2025-11-27': 'Thanksgiving, fourth Thursday of November',
    '2025-12-25': 'Christmas Day (Thu)',
  },
  2026: {
    '2026-01-01': "New Year's Day (Thu)",
    '2026-01-19': 'Martin Luther King Jr. Day',
    '2026-02-16': "Washington's and Lincoln's Birthday",
    '2026-05-25': 'Memorial Day',
    '2026-06-19': 'Juneteenth (Fri)',
    '2026-07-03': 'Independence Day observed: July 4 2026 is a Saturday → Friday before',
    '2026-07-04': 'Independence Day (Sat)',
    '2026-09-07': 'Labor Day',
    '2026-10-12': "Indigenous Peoples' Day",
    '2026-11-11': 'Veterans Day (Wed)',
    '2026-11-26': 'Thanksgiving',
    '2026-12-25': 'Christmas Day (Fri)',
  },
  2027: {
    '2027-01-01': "New Year's Day (Fri)",
    '2027-01-18': 'Martin Luther King Jr. Day',
    '2027-02-15': "Washington's and Lincoln's Birthday",
    '2027-05-31': 'Memorial Day (the V.B deadline day)',
    '2027-06-18': 'Juneteenth observed: June 19 2027 is a Saturday → Friday before',
    '2027-06-19': 'Juneteenth (Sat)',
    '2027-07-04': 'Independence Day (Sun)',
    '2027-07-05': 'Independence Day observed: Sunday → Monday after',
    '2027-09-06': 'Labor Day',
    '2027-10-11': "Indigenous Peoples' Day",
    '2027-11-11': 'Veterans Day (Thu)',
    '2027-11-25': 'Thanksgiving',
    '2027-12-24': 'Christmas observed: December 25 2027 is a Saturday → Friday before',
    '2027-12-25': 'Christmas Day (Sat)',
    '2027-12-31': "New Year's Day 2028 observed: January 1 2028 is a Saturday → Friday before",
  },
  2028: {
    '2028-01-01': "New Year's Day (Sat; observed 2027-12-31)",
    '2028-01-17': 'Martin Luther King Jr. Day',
    '2028-02-21': "Washington's and Lincoln's Birthday",
    '2028-05-29': 'Memorial Day',
    '2028-06-19': 'Juneteenth (Mon)',
    '2028-07-04': 'Independence Day (Tue)',
    '2028-09-04': 'Labor Day',
    '2028-10-09': "Indigenous Peoples' Day",
    '2028-11-10': 'Veterans Day observed: November 11 2028 is a Saturday → Friday before',
    '2028-11-11': 'Veterans Day (Sat)',
    '2028-11-23': 'Thanksgiving',
    '2028-12-25': 'Christmas Day (Mon)',
  },
};

describe('§ 645.44 subd. 5: every legal holiday, 2025–2028', () => {
  for (const [year, days] of Object.entries(HOLIDAYS)) {
    it.each(Object.entries(days))(`${year}: %s is a holiday — %s`, (text) => {
      expect(isLegalHoliday(d(text))).toBe(true);
      expect(isBusinessDay(d(text))).toBe(false);
    });

    it(`${year}: these are all the holidays falling in ${year}, and no others`, () => {
      expect([...minnesotaHolidays(Number(year))].sort()).toEqual(Object.keys(days).sort());
    });
  }
});

describe('observed days for a fixed-date holiday on a weekend', () => {
  // The case, the days that are holidays, the days that are not.
  it.each<[string, string[], string[]]>([
    [
      'Christmas 2022 on a Sunday → Monday 2022-12-26 is also a holiday',
      ['2022-12-25', '2022-12-26'],
      ['2022-12-23' /* not the Friday before */],
    ],
    ['July 4 2027 on a Sunday → Monday 2027-07-05; not Friday 2027-07-02', ['2027-07-05'], ['2027-07-02']],
    ['July 4 2026 on a Saturday → Friday 2026-07-03; not Monday 2026-07-06', ['2026-07-03'], ['2026-07-06']],
    [
      'Juneteenth 2022 on a Sunday → Monday 2022-06-20; Veterans Day 2028 on a Saturday → Friday 2028-11-10',
      ['2022-06-20', '2028-11-10'],
      [],
    ],
    ['a floating holiday is never shifted: no observed day beside Memorial Day', [], ['2027-05-28', '2027-06-01']],
  ])('%s', (_case, holidays, notHolidays) => {
    for (const text of holidays) expect(isLegalHoliday(d(text)), text).toBe(true);
    for (const text of notHolidays) expect(isLegalHoliday(d(text)), text).toBe(false);
  });

  it('New Year 2028 on a Saturday → Friday 2027-12-31, observed in the previous year', () => {
    expect(isLegalHoliday(d('2027-12-31'))).toBe(true);
    expect(isBusinessDay(d('2027-12-31'))).toBe(false);
    expect(isLegalHoliday(d('2028-01-03'))).toBe(false);
  });
});

describe('RULES.md decision: the Friday after Thanksgiving is not a holiday', () => {
  it.each([['2025-11-28'], ['2026-11-27'], ['2027-11-26'], ['2028-11-24']])('%s is a business day', (text) => {
    expect(isLegalHoliday(d(text))).toBe(false);
    expect(isBusinessDay(d(text))).toBe(true);
  });
});

describe('ordinary days', () => {
  it('weekdays that are not holidays are business days; weekends are not', () => {
    expect(isBusinessDay(d('2026-03-02'))).toBe(true); // Monday
    expect(isBusinessDay(d('2027-06-01'))).toBe(true); // Tuesday after Memorial Day
    expect(isBusinessDay(d('2026-02-28'))).toBe(false); // Saturday
    expect(isBusinessDay(d('2026-03-01'))).toBe(false); // Sunday
    expect(isLegalHoliday(d('2026-02-28'))).toBe(false); // a weekend is not itself a holiday
  });

  it('other observances are not legal holidays here (Christmas Eve 2026, Election Day 2026)', () => {
    expect(isLegalHoliday(d('2026-12-24'))).toBe(false);
    expect(isLegalHoliday(d('2026-11-03'))).toBe(false);
  });
});

describe('§ 645.15 rollToBusinessDay', () => {
  it('keeps a business day', () => {
    expect(rollToBusinessDay(d('2026-03-03'))).toBe('2026-03-03');
    expect(rollToBusinessDay(d('2025-11-28'))).toBe('2025-11-28'); // Friday after Thanksgiving
  });

  it('rolls Memorial Day weekend 2027 (Sat 05-29, Sun 05-30, Mon 05-31) to Tuesday 2027-06-01', () => {
    expect(rollToBusinessDay(d('2027-05-29'))).toBe('2027-06-01');
    expect(rollToBusinessDay(d('2027-05-30'))).toBe('2027-06-01');
    expect(rollToBusinessDay(d('2027-05-31'))).toBe('2027-06-01');
  });

  // The case: [the day, the business day it rolls to].
  const rolls: Record<string, [string, string]> = {
    'rolls Saturday 2026-02-28 to Monday 2026-03-02': ['2026-02-28', '2026-03-02'],
    'rolls Sunday Christmas 2022 past the observed Monday to Tuesday 2022-12-27': ['2022-12-25', '2022-12-27'],
    'rolls Friday 2027-12-24 (Christmas observed) over the weekend to Monday 2027-12-27': ['2027-12-24', '2027-12-27'],
    'rolls 2027-12-31 (New Year 2028 observed) over Saturday New Year and Sunday to Monday 2028-01-03': [
      '2027-12-31',
      '2028-01-03',
    ],
    'rolls Thanksgiving 2026 to the Friday after (not a holiday)': ['2026-11-26', '2026-11-27'],
    'rolls Friday 2027-01-01 to Monday 2027-01-04': ['2027-01-01', '2027-01-04'],
  };
  it.each(Object.entries(rolls))('%s', (_case, [from, to]) => {
    expect(rollToBusinessDay(d(from))).toBe(to);
  });
});

describe('last business day on or before a date (for messages)', () => {
  it('RULES.md V.B note: the last business day before June 1, 2027 is Friday 2027-05-28', () => {
    expect(lastBusinessDayOnOrBefore(d('2027-05-31'))).toBe('2027-05-28');
  });

  it('keeps a business day', () => {
    expect(lastBusinessDayOnOrBefore(d('2027-05-28'))).toBe('2027-05-28');
  });
});
