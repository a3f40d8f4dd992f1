// `sro demo`'s summary (issue: operators): each count of the ledger it prints says what it
// means, a FAILED one why (the demo roster's charter school has no PRIMARY contact, so its
// weekly digest has nobody to go to), within 100 columns.
import { describe, expect, it } from 'vitest';
import { demoLedgerSummary } from '../../src/commands/demo.ts';
import { displayWidth } from '../../src/shell/terminal-text.ts';

describe('sro demo: the ledger summary', () => {
  const summary = demoLedgerSummary([
    { kind: 'DEADLINE_MISSED', status: 'SENT', n: 21, errors: [] },
    { kind: 'DEADLINE_MISSED', status: 'SUPERSEDED', n: 26, errors: [] },
    {
      kind: 'WEEKLY_DIGEST',
      status: 'FAILED',
      n: 1,
      errors: ['NO_CONTACT_ON_FILE: district CH4123 has no PRIMARY contact on file'],
    },
    { kind: 'RESOLVED', status: 'PENDING', n: 2, errors: [] },
  ]);
  const lines = summary.split('\n');

  it('explains every count: sent, superseded (catch-up), failed with its reason, pending', () => {
    expect(lines[0]).toBe('  DEADLINE_MISSED  SENT        21  sent: each is an .eml file in the outbox');
    expect(summary).toMatch(/SUPERSEDED {2}26 {2}not sent: a more urgent step of the same alert was owed/);
    expect(summary).toContain('(catch-up)');
    expect(summary.replace(/\s+/g, ' ')).toContain(
      'WEEKLY_DIGEST FAILED 1 not sent: nobody to send to: district CH4123 has no PRIMARY contact on file',
    );
    expect(summary).toMatch(/PENDING {6}2 {2}not sent yet: still owed/);
  });

  it('fits 100 columns, a long explanation continuing under its column', () => {
    for (const l of lines) expect(displayWidth(l), l).toBeLessThanOrEqual(100);
    const at = lines[0]!.indexOf('sent:');
    const continued = lines.filter((l) => l.startsWith(' '.repeat(at)));
    expect(continued.length).toBeGreaterThan(0);
    for (const l of continued) expect(l[at]).not.toBe(' ');
  });
});
