// RULES.md 9: a contact day on a Saturday, Sunday, Minnesota legal holiday (RULES.md 2's list,
// observed days included as holidays.ts defines them) or a day the district lists without
// school is not a school day, and is named in words.
import { describe, expect, it } from 'vitest';
import {
  type DistrictCalendar,
  nonSchoolDayText,
  nonSchoolDays,
  noSchoolReason,
} from '../../src/domain/school-days.ts';
import { d } from '../helpers/facts.ts';

const ALBERT_LEA: DistrictCalendar = {
  name: 'Albert Lea Area Schools',
  daysWithoutSchool: new Set(['2026-12-28', '2026-12-29', '2026-12-05']),
};

const words = (text: string, district: DistrictCalendar | null = null) =>
  nonSchoolDays([d(text)], district).map(nonSchoolDayText);

describe('RULES.md 9: weekends', () => {
  it('Saturday 2026-12-05 and Sunday 2026-12-06 are not school days, named by their weekday', () => {
    expect(words('2026-12-05')).toEqual(['Saturday 2026-12-05 is not a school day']);
    expect(words('2026-12-06')).toEqual(['Sunday 2026-12-06 is not a school day']);
  });

  it('Monday 2026-12-07 through Friday 2026-12-11 are school days', () => {
    const week = ['2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11'].map(d);
    expect(nonSchoolDays(week, null)).toEqual([]);
  });

  it('a Saturday the district also lists is named as a Saturday (the weekend decides first)', () => {
    expect(noSchoolReason(d('2026-12-05'), ALBERT_LEA)).toEqual({ kind: 'WEEKEND' });
  });
});

describe('RULES.md 9: Minnesota legal holidays, by name', () => {
  it.each([
    ['2026-01-01', "Thursday 2026-01-01 is New Year's Day, a legal holiday, not a school day"],
    ['2026-01-19', 'Monday 2026-01-19 is Martin Luther King Jr. Day, a legal holiday, not a school day'],
    ['2026-02-16', "Monday 2026-02-16 is Washington's and Lincoln's Birthday, a legal holiday, not a school day"],
    ['2026-05-25', 'Monday 2026-05-25 is Memorial Day, a legal holiday, not a school day'],
    ['2026-06-19', 'Friday 2026-06-19 is Juneteenth, a legal holiday, not a school day'],
    ['2026-09-07', 'Monday 2026-09-07 is Labor Day, a legal holiday, not a school day'],
    ['2026-10-12', "Monday 2026-10-12 is Indigenous Peoples' Day, a legal holiday, not a school day"],
    ['2026-11-11', 'Wednesday 2026-11-11 is Veterans Day, a legal holiday, not a school day'],
    ['2026-11-26', 'Thursday 2026-11-26 is Thanksgiving Day, a legal holiday, not a school day'],
    ['2026-12-25', 'Friday 2026-12-25 is Christmas Day, a legal holiday, not a school day'],
  ])('%s', (date, text) => {
    expect(words(date)).toEqual([text]);
  });

  it('a holiday on a Saturday is named as the holiday, and the Friday before is its observed day', () => {
    expect(words('2026-07-04')).toEqual(['Saturday 2026-07-04 is Independence Day, a legal holiday, not a school day']);
    expect(words('2026-07-03')).toEqual([
      'Friday 2026-07-03 is Independence Day (observed), a legal holiday, not a school day',
    ]);
  });

  it('a holiday on a Sunday is observed the Monday after (Christmas 2022 → Monday 2022-12-26)', () => {
    expect(words('2022-12-26')).toEqual([
      'Monday 2022-12-26 is Christmas Day (observed), a legal holiday, not a school day',
    ]);
  });

  it("New Year's Day 2028 on a Saturday is observed on Friday 2027-12-31, in the year before", () => {
    expect(words('2027-12-31')).toEqual([
      "Friday 2027-12-31 is New Year's Day (observed), a legal holiday, not a school day",
    ]);
  });

  it('the Friday after Thanksgiving is a school day (RULES.md 2 decision)', () => {
    expect(words('2026-11-27')).toEqual([]);
  });
});

describe("RULES.md 9: the district's own days without school", () => {
  it('a weekday the district lists is named with the district', () => {
    expect(words('2026-12-28', ALBERT_LEA)).toEqual([
      'Monday 2026-12-28 is a day without school in Albert Lea Area Schools',
    ]);
  });

  it('the same weekday is a school day for another district, or when no calendar is given', () => {
    expect(words('2026-12-28', { name: 'Austin Public Schools', daysWithoutSchool: new Set() })).toEqual([]);
    expect(words('2026-12-28')).toEqual([]);
  });

  it('of several dates, only those without school come back, in the order given', () => {
    const dates = ['2026-12-29', '2026-12-30', '2026-12-25', '2026-12-05'].map(d);
    expect(nonSchoolDays(dates, ALBERT_LEA).map((n) => [n.date, n.reason.kind])).toEqual([
      ['2026-12-29', 'DISTRICT'],
      ['2026-12-25', 'HOLIDAY'],
      ['2026-12-05', 'WEEKEND'],
    ]);
  });
});
