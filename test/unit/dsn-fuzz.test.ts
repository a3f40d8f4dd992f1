// RULES.md 12: the DSN parser (src/bounces/dsn.ts) under malformed input, as anyone reaching
// `sro bounces` may send it: malformed MIME, huge headers, missing parts, cut short, binary.
// It never throws and never hangs; what it returns is one of its reports, and whatever it
// keeps for people (status, diagnostic, note) is well-formed: a status code of the right
// class, one line of at most 500 characters without control characters. That it writes
// nothing for an unreadable message is test/long/dsn-fuzz.test.ts (through the receiver).
import { describe, expect, it } from 'vitest';
import type { BounceReport } from '../../src/app/record-bounce.ts';
import { parseBounce } from '../../src/bounces/dsn.ts';
import { everyMutationOnce, fuzzCases } from '../helpers/dsn-fuzz.ts';

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** What a report may look like, whatever came in. */
function expectWellFormed(report: BounceReport, name: string): void {
  const text = (v: string | null, field: string) => {
    if (v === null) return;
    expect(v.length, `${name}: ${field} length`).toBeLessThanOrEqual(500);
    expect(CONTROL.test(v), `${name}: ${field} has control characters`).toBe(false);
    expect(v, `${name}: ${field} is trimmed`).toBe(v.trim());
  };
  switch (report.kind) {
    case 'hard':
      expect(report.status, name).toMatch(/^5\.\d{1,3}\.\d{1,3}$/);
      text(report.diagnostic, 'diagnostic');
      return;
    case 'soft':
      if (report.status !== null) expect(report.status, name).toMatch(/^4\.\d{1,3}\.\d{1,3}$|^5\./);
      text(report.diagnostic, 'diagnostic');
      text(report.action, 'action');
      return;
    case 'complaint':
      text(report.note, 'note');
      text(report.feedbackType, 'feedback type');
      return;
    case 'delivered':
      return;
    case 'unreadable':
      expect(report.why.length, name).toBeGreaterThan(0);
      return;
    default: {
      const _: never = report;
      throw new Error(`${name}: unknown report ${JSON.stringify(_)}`);
    }
  }
}

/** Parses with a deadline: a parser that hangs fails the case instead of the whole file. */
async function parseWithin(raw: Buffer, ms: number): Promise<BounceReport> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      parseBounce(raw),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

describe('RULES.md 12: the DSN parser under malformed input', () => {
  it('every kind of damage once, on a DSN and on an abuse report: no throw, no hang, a well-formed report', async () => {
    const kinds = new Map<string, string>();
    for (const c of everyMutationOnce(1)) {
      const report = await parseWithin(c.raw, 5000);
      expectWellFormed(report, c.name);
      kinds.set(c.name, report.kind);
    }
    // The damage that leaves the report whole is still read; the damage that removes it is not.
    expect(kinds.get('huge header line (DSN)')).toBe('hard');
    expect(kinds.get('thousands of headers (DSN)')).toBe('hard');
    expect(kinds.get('huge diagnostic (DSN)')).toBe('hard');
    expect(kinds.get('many recipient blocks (DSN)')).toBe('hard');
    expect(kinds.get('status part removed (DSN)')).toBe('unreadable');
    expect(kinds.get('feedback part removed (abuse report)')).toBe('unreadable');
    expect(kinds.get('random bytes only (DSN)')).toBe('unreadable');
    expect(kinds.get('empty (DSN)')).toBe('unreadable');
  }, 60_000);

  it('300 random combinations of damage (seeded): no throw, no hang, a well-formed report', async () => {
    const seen = new Set<string>();
    for (const c of fuzzCases(20261207, 300)) {
      const report = await parseWithin(c.raw, 5000);
      expectWellFormed(report, c.name);
      seen.add(report.kind);
    }
    // The cases reach both sides: reports still read, and messages that are not reports.
    expect(seen).toContain('hard');
    expect(seen).toContain('unreadable');
  }, 120_000);

  it('the same bytes give the same report', async () => {
    for (const c of fuzzCases(7, 40)) expect(await parseBounce(c.raw), c.name).toEqual(await parseBounce(c.raw));
  }, 60_000);
});
