// Property tests for the date layer the deadlines rest on (RULES.md: civil dates; § 645.14
// calendar months; § 645.44 subd. 5 holidays; § 645.15 roll to a business day).
// JavaScript's Date (UTC, proleptic Gregorian) is used here only as an independent oracle.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CivilDate,
  addCalendarMonths,
  addDays,
  daysBetween,
  fromEpochDay,
  isoDayOfWeek,
  parseCivilDate,
  toEpochDay,
} from '../../src/domain/civil-date.ts';
import { isBusinessDay, isLegalHoliday, minnesotaHolidays, rollToBusinessDay } from '../../src/domain/holidays.ts';

const MS_PER_DAY = 86_400_000;

/** Days in a month, by the oracle: day 0 of the next month is the last day of this one. */
function oracleDaysInMonth(year: number, month: number): number {
  const t = new Date(0);
  t.setUTCFullYear(year, month, 0);
  return t.getUTCDate();
}

function text(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function oracleEpochDay(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

/** Oracle ISO weekday: 1 = Monday … 7 = Sunday. */
function oracleIsoDow(year: number, month: number, day: number): number {
  return ((new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7) + 1;
}

interface Ymd {
  year: number;
  month: number;
  day: number;
}

/** A real calendar day in [minYear, maxYear], built without the code under test. */
const ymd = (minYear: number, maxYear: number): fc.Arbitrary<Ymd> =>
  fc
    .record({
      year: fc.integer({ min: minYear, max: maxYear }),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 31 }),
    })
    .map(({ year, month, day }) => ({ year, month, day: Math.min(day, oracleDaysInMonth(year, month)) }));

const civil = (p: Ymd): CivilDate => {
  const parsed = parseCivilDate(text(p.year, p.month, p.day));
  if (parsed === null) throw new Error(`oracle produced a date the parser rejects: ${text(p.year, p.month, p.day)}`);
  return parsed;
};

const anyDay = ymd(1900, 2200);
const RUNS = { numRuns: 2000 };

/** On any day of 1900–2200, `f` gives what `oracle` computes from the day's year, month and day. */
function agreesWithOracle(
  f: (d: CivilDate) => number,
  oracle: (year: number, month: number, day: number) => number,
): void {
  fc.assert(
    fc.property(anyDay, (p) => {
      expect(f(civil(p))).toBe(oracle(p.year, p.month, p.day));
    }),
    RUNS,
  );
}

describe('civil date ↔ epoch day', () => {
  it('toEpochDay agrees with Date.UTC(y, m − 1, d) / 86400000 for 1900–2200', () =>
    agreesWithOracle(toEpochDay, oracleEpochDay));

  it('fromEpochDay(toEpochDay(d)) === d', () => {
    fc.assert(
      fc.property(ymd(1, 9999), (p) => {
        const day = civil(p);
        expect(fromEpochDay(toEpochDay(day))).toBe(day);
      }),
      RUNS,
    );
  });

  it('parseCivilDate accepts every real day and rejects the day after a month’s last day', () => {
    fc.assert(
      fc.property(anyDay, (p) => {
        expect(parseCivilDate(text(p.year, p.month, p.day))).toBe(text(p.year, p.month, p.day));
        expect(parseCivilDate(text(p.year, p.month, oracleDaysInMonth(p.year, p.month) + 1))).toBeNull();
      }),
      RUNS,
    );
  });
});

describe('day arithmetic', () => {
  const offset = fc.integer({ min: -40_000, max: 40_000 });

  it('addDays(addDays(d, n), −n) === d', () => {
    fc.assert(
      fc.property(anyDay, offset, (p, n) => {
        const day = civil(p);
        expect(addDays(addDays(day, n), -n)).toBe(day);
      }),
      RUNS,
    );
  });

  it('daysBetween(d, addDays(d, n)) === n', () => {
    fc.assert(
      fc.property(anyDay, offset, (p, n) => {
        const day = civil(p);
        expect(daysBetween(day, addDays(day, n))).toBe(n);
      }),
      RUNS,
    );
  });

  it('addDays agrees with the oracle', () => {
    fc.assert(
      fc.property(anyDay, fc.integer({ min: -3000, max: 3000 }), (p, n) => {
        const expected = new Date(Date.UTC(p.year, p.month - 1, p.day + n)).toISOString().slice(0, 10);
        expect(addDays(civil(p), n)).toBe(expected);
      }),
      RUNS,
    );
  });

  it('isoDayOfWeek advances by one per day, Sunday (7) → Monday (1)', () => {
    fc.assert(
      fc.property(anyDay, (p) => {
        const day = civil(p);
        expect(isoDayOfWeek(addDays(day, 1))).toBe((isoDayOfWeek(day) % 7) + 1);
        expect(isoDayOfWeek(addDays(day, 7))).toBe(isoDayOfWeek(day));
      }),
      RUNS,
    );
  });

  it('isoDayOfWeek agrees with the oracle', () => agreesWithOracle(isoDayOfWeek, oracleIsoDow));
});

describe('§ 645.14 addCalendarMonths', () => {
  it('lands in the right month, on min(day, days in that month)', () => {
    fc.assert(
      fc.property(anyDay, fc.integer({ min: 0, max: 36 }), (p, k) => {
        const monthIndex = p.month - 1 + k;
        const year = p.year + Math.floor(monthIndex / 12);
        const month = (monthIndex % 12) + 1;
        const day = Math.min(p.day, oracleDaysInMonth(year, month));
        expect(addCalendarMonths(civil(p), k)).toBe(text(year, month, day));
      }),
      RUNS,
    );
  });

  it('agrees with an independent computation: the oracle’s month overflow, clamped back to the month’s end', () => {
    fc.assert(
      fc.property(anyDay, fc.integer({ min: 0, max: 36 }), (p, k) => {
        // Date.UTC(y, m − 1 + k, 1) is the first of the target month; clamp the day there.
        const first = new Date(Date.UTC(p.year, p.month - 1 + k, 1));
        const y = first.getUTCFullYear();
        const m = first.getUTCMonth() + 1;
        const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
        const expected = new Date(Date.UTC(y, m - 1, Math.min(p.day, last))).toISOString().slice(0, 10);
        expect(addCalendarMonths(civil(p), k)).toBe(expected);
      }),
      RUNS,
    );
  });

  it('the same day of the month whenever the day is 28 or less', () => {
    fc.assert(
      fc.property(anyDay, fc.integer({ min: 0, max: 36 }), (p, k) => {
        const result = addCalendarMonths(civil({ ...p, day: Math.min(p.day, 28) }), k);
        expect(Number(result.slice(8, 10))).toBe(Math.min(p.day, 28));
      }),
      RUNS,
    );
  });
});

describe('§ 645.15 rollToBusinessDay', () => {
  const deadlineDay = ymd(1950, 2200);

  it('returns a business day on or after the input, and skips no business day', () => {
    fc.assert(
      fc.property(deadlineDay, (p) => {
        const day = civil(p);
        const rolled = rollToBusinessDay(day);
        expect(isBusinessDay(rolled)).toBe(true);
        expect(rolled >= day).toBe(true);
        for (let x = day; x < rolled; x = addDays(x, 1)) expect(isBusinessDay(x)).toBe(false);
      }),
      RUNS,
    );
  });

  it('a business day is a Monday–Friday (oracle) that is not a legal holiday', () => {
    fc.assert(
      fc.property(deadlineDay, (p) => {
        const weekday = oracleIsoDow(p.year, p.month, p.day) <= 5;
        expect(isBusinessDay(civil(p))).toBe(weekday && !isLegalHoliday(civil(p)));
      }),
      RUNS,
    );
  });

  it('is the identity on a business day and idempotent', () => {
    fc.assert(
      fc.property(deadlineDay, (p) => {
        const rolled = rollToBusinessDay(civil(p));
        expect(rollToBusinessDay(rolled)).toBe(rolled);
      }),
      RUNS,
    );
  });
});

describe('§ 645.44 subd. 5 holidays, every year 1950–2200', () => {
  const year = fc.integer({ min: 1950, max: 2200 });

  /** The n-th ISO weekday of a month by the oracle; n = −1 for the last. */
  function oracleNth(y: number, month: number, isoDow: number, n: number): string {
    const days = oracleDaysInMonth(y, month);
    const matches: number[] = [];
    for (let day = 1; day <= days; day++) if (oracleIsoDow(y, month, day) === isoDow) matches.push(day);
    const day = n > 0 ? matches[n - 1] : matches[matches.length - 1];
    return text(y, month, day!);
  }

  /** The statute's list, with observed days, for one calendar year; built from the oracle only. */
  function oracleHolidays(y: number): string[] {
    const out = new Set<string>([
      oracleNth(y, 1, 1, 3),
      oracleNth(y, 2, 1, 3),
      oracleNth(y, 5, 1, -1),
      oracleNth(y, 9, 1, 1),
      oracleNth(y, 10, 1, 2),
      oracleNth(y, 11, 4, 4),
    ]);
    for (const yy of [y - 1, y, y + 1]) {
      for (const [m, dd] of [
        [1, 1],
        [6, 19],
        [7, 4],
        [11, 11],
        [12, 25],
      ] as const) {
        const dow = oracleIsoDow(yy, m, dd);
        const candidates = [Date.UTC(yy, m - 1, dd)];
        if (dow === 7) candidates.push(Date.UTC(yy, m - 1, dd + 1));
        if (dow === 6) candidates.push(Date.UTC(yy, m - 1, dd - 1));
        for (const t of candidates) {
          const iso = new Date(t).toISOString().slice(0, 10);
          if (iso.startsWith(`${y}-`)) out.add(iso);
        }
      }
    }
    return [...out].sort();
  }

  it('the holidays of a year are exactly the statute’s list plus observed days', () => {
    fc.assert(
      fc.property(year, (y) => {
        expect([...minnesotaHolidays(y)].sort()).toEqual(oracleHolidays(y));
      }),
      { numRuns: 251 },
    );
  });

  it('the Friday after Thanksgiving is never a holiday (RULES.md decision)', () => {
    fc.assert(
      fc.property(year, (y) => {
        const thanksgiving = parseCivilDate(oracleNth(y, 11, 4, 4))!;
        expect(isLegalHoliday(thanksgiving)).toBe(true);
        expect(isLegalHoliday(addDays(thanksgiving, 1))).toBe(false);
      }),
      { numRuns: 251 },
    );
  });
});
