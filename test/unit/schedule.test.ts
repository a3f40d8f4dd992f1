// SCAN_CRON / DIGEST_CRON fire in TZ, DST-correct; matched against given instants, no clock.
import cron from 'node-cron';
import { afterEach, describe, expect, it } from 'vitest';
import { civilDateIn } from '../../src/shell/clock.ts';
import { validateCronExpression } from '../../src/worker/cron-expression.ts';
import { weekOf } from '../../src/app/weekly-digest.ts';
import { civilDate } from '../../src/domain/civil-date.ts';

const tasks: ReturnType<typeof cron.createTask>[] = [];
function task(expr: string) {
  const t = cron.createTask(expr, () => {}, { timezone: 'America/Chicago' });
  tasks.push(t);
  return t;
}
afterEach(async () => {
  for (const t of tasks.splice(0)) await t.destroy();
});

describe('SCAN_CRON in America/Chicago', () => {
  it('fires at 06:00 Central: 12:00 UTC in winter (CST), 11:00 UTC in summer (CDT)', () => {
    const scan = task('0 6 * * *');
    expect(scan.match(new Date('2026-03-07T12:00:00Z'))).toBe(true); // Saturday before DST, CST
    expect(scan.match(new Date('2026-03-07T11:00:00Z'))).toBe(false);
    expect(scan.match(new Date('2026-03-09T11:00:00Z'))).toBe(true); // Monday after DST began, CDT
    expect(scan.match(new Date('2026-03-09T12:00:00Z'))).toBe(false);
    expect(scan.match(new Date('2026-11-02T12:00:00Z'))).toBe(true); // Monday after DST ended
  });

  it('DIGEST_CRON fires on Mondays at 07:00 Central only', () => {
    const digest = task('0 7 * * 1');
    expect(digest.match(new Date('2026-11-23T13:00:00Z'))).toBe(true); // Monday 07:00 CST
    expect(digest.match(new Date('2026-11-24T13:00:00Z'))).toBe(false); // Tuesday
  });
});

describe('cron expressions are validated with the scheduler’s own parser', () => {
  it('accepts 5 fields and 6 with seconds first', () => {
    expect(validateCronExpression('0 6 * * *')).toBeNull();
    expect(validateCronExpression('*/5 * * * * *')).toBeNull();
  });
  it('names what is wrong', () => {
    expect(validateCronExpression('0 6 * *')).toMatch(/5 fields/);
    expect(validateCronExpression('61 * * * *')).toMatch(/minute/);
  });
});

describe('the as-of date of a firing is the civil date in TZ', () => {
  it('05:30 UTC on Nov 23 is still Nov 22 in Chicago; 06:30 UTC is Nov 23', () => {
    expect(civilDateIn('America/Chicago', new Date('2026-11-23T05:30:00Z'))).toBe('2026-11-22');
    expect(civilDateIn('America/Chicago', new Date('2026-11-23T06:30:00Z'))).toBe('2026-11-23');
  });
  it('a weekly digest belongs to the ISO week of its Monday', () => {
    expect(weekOf(civilDate('2026-11-23'))).toBe('2026-11-23');
    expect(weekOf(civilDate('2026-11-29'))).toBe('2026-11-23');
    expect(weekOf(civilDate('2026-11-30'))).toBe('2026-11-30');
  });
});
