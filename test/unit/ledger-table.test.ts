// `sro alerts`'s table (issue: operators read it in a terminal): every value stays in its
// column whatever its length, a value cut to fit ends with '…', control characters are
// escaped; the columns line up under their titles row after row.
import { describe, expect, it } from 'vitest';
import { LEDGER_COLUMNS, ledgerTableHeader, ledgerTableRow } from '../../src/app/ledger-table.ts';
import type { LedgerListing } from '../../src/db/ledger.ts';
import { displayWidth } from '../../src/shell/terminal-text.ts';

const ROW: LedgerListing = {
  key: 'k1',
  kind: 'DEADLINE_MISSED',
  license: '24106',
  recipient: 'chief.ellis@albertlea-pd.example',
  dueDate: '2026-05-26' as LedgerListing['dueDate'],
  lead: null,
  level: 2,
  threshold: null,
  status: 'SENT',
  createdAt: '2026-12-07T06:29:40.952Z',
  sentAt: '2026-12-07T06:29:41.375Z',
  attempts: 1,
  error: null,
  messageId: '<m1@example>',
  bounce: null,
  standsInFor: null,
};

/** Where each column starts in the header (the titles are single words or "CREATED (UTC)"). */
const starts = () => LEDGER_COLUMNS.map((c) => ledgerTableHeader().indexOf(c.title));
const total = LEDGER_COLUMNS.reduce((a, c) => a + c.width, 0) + 2 * (LEDGER_COLUMNS.length - 1);

describe('sro alerts: the ledger table', () => {
  it('a row of ordinary values is printed whole, each value where its title starts', () => {
    const line = ledgerTableRow(ROW);
    expect(line).not.toContain('…');
    const at = starts();
    expect(line.slice(at[2], at[2]! + 'DEADLINE_MISSED'.length)).toBe('DEADLINE_MISSED');
    expect(line.slice(at[4], at[4]! + ROW.recipient.length)).toBe(ROW.recipient);
    expect(line.trimEnd().endsWith('due 2026-05-26; level 2; sent 2026-12-07T06:29:41.375Z')).toBe(true);
  });

  it('a long license, recipient and error are cut with … and the columns after them stay in place', () => {
    const long: LedgerListing = {
      ...ROW,
      license: 'L-0000000000000042',
      recipient: 'someone.with.a.very.long.address@a-long-district-name.k12.mn.us',
      status: 'FAILED',
      error: `550 5.1.1 ${'mailbox unavailable '.repeat(10)}`,
    };
    const line = ledgerTableRow(long).trimEnd();
    const at = starts();
    expect(line.slice(at[3], at[4])).toBe('L-000000000…  ');
    expect(line.slice(at[4], at[5])).toBe('someone.with.a.very.long.address@…  ');
    expect(line.slice(at[5], at[6])).toBe('  1  ');
    expect(line.endsWith('…')).toBe(true);
    expect(displayWidth(line)).toBe(total);
  });

  it('a control character in a value is escaped, and the line keeps its width', () => {
    const line = ledgerTableRow({ ...ROW, recipient: 'evil\u001b[2J@example.com' }).trimEnd();
    expect(line).not.toMatch(/\u001b/);
    expect(line).toContain('evil\\u001b[2J@example.com');
    expect(line.indexOf('  1  ')).toBe(starts()[5]);
  });

  it('RULES.md 12: a BOUNCED row says so in its status and gives the bounce in its detail', () => {
    const line = ledgerTableRow({
      ...ROW,
      status: 'BOUNCED',
      bounce: { status: '5.1.1', diagnostic: 'User unknown', at: '2026-12-07T06:31:02.000Z' },
    }).trimEnd();
    const at = starts();
    expect(line.slice(at[1], at[2]).trim()).toBe('BOUNCED');
    expect(line.slice(at[6])).toBe('bounced 5.1.1 2026-12-07T06:31:02.000Z; due 2026-05-26; level 2; sent 2…');
  });

  it('no line is wider than the columns', () => {
    for (const r of [ROW, { ...ROW, error: 'x'.repeat(500), recipient: '名'.repeat(40) }])
      expect(displayWidth(ledgerTableRow(r).trimEnd())).toBeLessThanOrEqual(total);
    expect(displayWidth(ledgerTableHeader().trimEnd())).toBeLessThanOrEqual(total);
  });
});
