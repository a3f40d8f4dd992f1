// plural(): the one way a count is written for people ('1 officer', '2 officers').
import { describe, expect, it } from 'vitest';
import { plural } from '../../src/domain/plural.ts';
import { formatRosterError } from '../../src/roster/load.ts';
import { parseCsvRoster } from '../oracle/roster-in-memory.ts';
import { plural as mailPlural } from '../../src/mail/format.ts';

describe('plural', () => {
  it('given 1, then the noun is singular; given 0, 2 or many, then it takes an s', () => {
    expect(plural(1, 'officer')).toBe('1 officer');
    expect(plural(0, 'officer')).toBe('0 officers');
    expect(plural(2, 'officer')).toBe('2 officers');
    expect(plural(140_000, 'e-mail')).toBe('140000 e-mails');
  });

  it('given an irregular plural, then it is used for every count but one', () => {
    expect(plural(1, 'entry', 'entries')).toBe('1 entry');
    expect(plural(3, 'entry', 'entries')).toBe('3 entries');
    expect(plural(1, 'agency', 'agencies')).toBe('1 agency');
    expect(plural(0, 'agency', 'agencies')).toBe('0 agencies');
  });

  it('given a multi-word noun, then only the form passed changes', () => {
    expect(plural(1, 'ledger row')).toBe('1 ledger row');
    expect(plural(2, '.eml file')).toBe('2 .eml files');
  });

  it('given -1 (a day overdue, counted down), then the noun is singular', () => {
    expect(plural(-1, 'day')).toBe('-1 day');
    expect(plural(-2, 'day')).toBe('-2 days');
  });

  it('is the same helper the e-mails use (src/mail/format.ts re-exports it)', () => {
    expect(mailPlural).toBe(plural);
  });
});

describe('counts in roster messages', () => {
  it('given a CSV row with one cell, then the message says "1 cell", not "1 cells"', () => {
    const r = parseCsvRoster(new Map([['districts.csv', 'id,name,kind\nD1\n']]), 'export');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map(formatRosterError)).toContain(
      'districts.csv:2: has 1 cell but the header has 3 columns (a comma inside a value needs "quotes")',
    );
  });
});
