// SCAN_CRON / DIGEST_CRON: classic cron syntax only. What node-cron 4.6 accepts but reads in
// a way an operator would not expect is refused at start, naming the variable and saying
// what to write instead; everything accepted means in node-cron what it means in crontab(5).
import cron from 'node-cron';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { validateCronExpression } from '../../src/worker/cron-expression.ts';

function configProblems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('SCAN_CRON and DIGEST_CRON at config validation', () => {
  it('a reversed range in SCAN_CRON is refused, one line naming SCAN_CRON, the field and the wrap-around to write instead', () => {
    const problems = configProblems({ SCAN_CRON: '0 22-2 * * *' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^SCAN_CRON: .*hour "22-2".*runs backwards.*22-23,0-2/);
  });

  it("'L' in DIGEST_CRON is refused, one line naming DIGEST_CRON", () => {
    const problems = configProblems({ DIGEST_CRON: '0 7 L * *' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^DIGEST_CRON: .*day of month "L".*'L'/);
  });

  it('both bad at once: one line for each variable', () => {
    expect(configProblems({ SCAN_CRON: '5-1 6 * * *', DIGEST_CRON: '0 7 * * 5L' }).map((p) => p.split(':')[0])).toEqual(
      ['SCAN_CRON', 'DIGEST_CRON'],
    );
  });

  it('the defaults are accepted', () => {
    expect(configProblems({})).toEqual([]);
  });
});

describe('validateCronExpression', () => {
  it('reversed ranges are refused in every field, with the wrap-around node-cron would make of them', () => {
    expect(validateCronExpression('5-1 * * * *')).toMatch(/minute "5-1": the range 5-1 runs backwards.*write 5-59,0-1/);
    expect(validateCronExpression('0 6 * 11-2 *')).toMatch(/month "11-2".*write 11-12,1-2/);
    expect(validateCronExpression('0 6 20-10 * *')).toMatch(/day of month "20-10".*runs backwards/);
    expect(validateCronExpression('0 6 * * 5-1')).toMatch(/day of week "5-1".*write 5-6,0-1/);
    expect(validateCronExpression('0 6 * * sat-sun')).toMatch(/day of week "sat-sun".*write 6,0/);
    // 7 is Sunday: 7-1 is Sunday and Monday.
    expect(validateCronExpression('0 6 * * 7-1')).toMatch(/write 0-1 /);
    expect(validateCronExpression('30-10 0 6 * * *')).toMatch(/second "30-10"/);
  });

  it("'L', 'W', '#' and '?' (node-cron and Quartz extensions) are refused in every form", () => {
    for (const e of [
      '0 6 L * *',
      '0 6 l * *',
      '0 6 L-3 * *',
      '0 6 15W * *',
      '0 6 LW * *',
      '0 6 1,L * *',
      '0 6 * * 5L',
      '0 6 * * 1#2',
      '0 6 ? * 1',
      '0 6 * * ?',
    ]) {
      expect(validateCronExpression(e), e).toMatch(/is not accepted: .*(extension)/);
    }
  });

  it('a step of 0 is refused', () => {
    expect(validateCronExpression('*/0 * * * *')).toMatch(/step of 0/);
    expect(validateCronExpression('0-30/0 * * * *')).toMatch(/step of 0/);
  });

  it('a step larger than its range (fires once, not "every n") is refused; a step that fits is accepted', () => {
    expect(validateCronExpression('*/90 * * * *')).toMatch(
      /step 90 is larger than the range 0-59, so it fires at 0 only/,
    );
    expect(validateCronExpression('0 */24 * * *')).toMatch(/hour/);
    expect(validateCronExpression('0 6 * * */7')).toMatch(/day of week/);
    expect(validateCronExpression('*/59 * * * *')).toBeNull();
    expect(validateCronExpression('0 8-18/2 * * 1-5')).toBeNull();
  });

  it('a step on a single value (5/15, which node-cron refuses anyway) says what to write', () => {
    expect(validateCronExpression('5/15 * * * *')).toMatch(/a step needs a range: write 5-59\/15 or \*\/15/);
  });

  it('out-of-range values are refused in every field, naming the field and its bounds', () => {
    expect(validateCronExpression('60 0 6 * * *')).toMatch(/second "60": 60 is out of range \(0–59\)/);
    expect(validateCronExpression('61 * * * *')).toMatch(/minute "61"/);
    expect(validateCronExpression('0 24 * * *')).toMatch(/hour "24".*\(0–23\)/);
    expect(validateCronExpression('0 6 0 * *')).toMatch(/day of month "0".*\(1–31\)/);
    expect(validateCronExpression('0 6 32 * *')).toMatch(/day of month "32"/);
    expect(validateCronExpression('0 6 * 13 *')).toMatch(/month "13".*\(1–12\)/);
    expect(validateCronExpression('0 6 * * 8')).toMatch(/day of week "8".*\(0–7\)/);
    expect(validateCronExpression('0-60 * * * *')).toMatch(/minute "0-60"/);
  });

  it("'*' inside a value (node-cron reads 5* as 50-59 and 2*/5 as 20-55) is refused", () => {
    expect(cron.validate('5* * * * *')).toBe(true);
    expect(validateCronExpression('5* * * * *')).toMatch(/minute "5\*".*'\*' stands alone/);
    expect(validateCronExpression('2*/5 * * * *')).toMatch(/'\*' stands alone/);
    expect(validateCronExpression('*-5 * * * *')).toMatch(/'\*' stands alone/);
  });

  it('names run together (node-cron reads month janfeb as 12, weekday sunmon as 1) are refused; whole names are accepted', () => {
    expect(cron.validate('0 6 * janfeb *')).toBe(true);
    expect(validateCronExpression('0 6 * janfeb *')).toMatch(/month "janfeb".*not a number, a name or \*/);
    expect(validateCronExpression('0 6 * * sunmon')).toMatch(/day of week "sunmon"/);
    expect(validateCronExpression('0 6 * * thurs')).toMatch(/day of week "thurs"/);
    for (const e of [
      '0 7 * * mon',
      '0 7 * * MON-FRI',
      '0 7 * * Monday',
      '0 7 * jan-MAR *',
      '0 7 * December *',
      '0 7 * * sun,sat',
    ])
      expect(validateCronExpression(e), e).toBeNull();
  });

  it('a day of month and a day of week both restricted (node-cron: both must match; crontab: either) are refused', () => {
    expect(validateCronExpression('0 7 1-7 * 1')).toMatch(
      /restricts both the day of month \(1-7\) and the day of week \(1\)/,
    );
    expect(validateCronExpression('0 0 7 1 * mon')).toMatch(/restricts both/);
    // A field that starts with * reads the same in both (crontab(5) then also requires both).
    expect(validateCronExpression('0 7 */2 * 1')).toBeNull();
    expect(validateCronExpression('0 7 15 * *')).toBeNull();
  });

  it('malformed lists and ranges are refused', () => {
    expect(validateCronExpression('1,,2 * * * *')).toMatch(/empty list item/);
    expect(validateCronExpression('1, * * * *')).toMatch(/minute "1,": an empty list item/);
    expect(validateCronExpression('0 6 * * 1-2-3')).toMatch(/not a value or a range/);
    expect(validateCronExpression('0 6 * * -1')).toMatch(/not a value or a range/);
    expect(validateCronExpression('0 6 * * 1//2')).toMatch(/more than one '\/'/);
    expect(validateCronExpression('0 6 * * 1/x')).toMatch(/step "x" is not a whole number/);
    expect(validateCronExpression('x 6 * * *')).toMatch(/minute "x": "x" is not a number or \*/);
    expect(validateCronExpression('@daily')).toMatch(/5 fields/);
  });

  it('node-cron still has the last word: a day no month has (30 February) is refused', () => {
    expect(validateCronExpression('0 0 30 2 *')).toMatch(/impossible day of month/);
    expect(validateCronExpression('0 0 29 2 *')).toBeNull();
  });

  it('classic expressions are accepted, and node-cron accepts every one of them', () => {
    for (const e of [
      '0 6 * * *',
      '0 7 * * 1',
      '*/5 * * * * *',
      '00 06 * * *',
      '0 6 * * 7',
      '0 6 * * 0-7',
      '0 6 * * 1-5/2',
      '15,45 6-18 * * 1-5',
      '0 0 1 1,7 *',
      '  0 6 * * 1  ',
      '0 6 * * 5-7',
    ]) {
      expect(validateCronExpression(e), e).toBeNull();
      expect(cron.validate(e), e).toBe(true);
    }
  });
});
