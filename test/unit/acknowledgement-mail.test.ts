// RULES.md 6: the latest acknowledgement of a missed deadline is shown in the digests (and,
// tested end to end in test/integration/resolved-at-once.test.ts, in escalations and
// RESOLVED), and a note is text: escaped in HTML like every roster value.
import { describe, expect, it } from 'vitest';
import { civilDate as d } from '../../src/domain/civil-date.ts';
import { acknowledgementText } from '../../src/mail/alerts/context.ts';
import { renderDigest } from '../../src/mail/render-digest.ts';
import { officerStatus } from '../helpers/officer-status.ts';

const ACK = {
  by: 'Chief Morgan Ellis',
  on: d('2026-03-04'),
  note: 'enrolled in the course of 2026-03-15 <b>now</b>',
  plannedCompletionOn: d('2026-03-15'),
};

describe('RULES.md 6 acknowledgement text', () => {
  it('reads as RULES.md gives it, with the planned completion after the note', () => {
    expect(acknowledgementText({ ...ACK, note: 'enrolled in the course of 2026-03-15' })).toBe(
      'Acknowledged by Chief Morgan Ellis on 2026-03-04: enrolled in the course of 2026-03-15; planned completion 2026-03-15.',
    );
    expect(acknowledgementText({ ...ACK, note: null, plannedCompletionOn: null })).toBe(
      'Acknowledged by Chief Morgan Ellis on 2026-03-04.',
    );
  });

  it('the digest lists it beside the OVERDUE officer, escaped in HTML', () => {
    const status = officerStatus({
      license: 'L1',
      status: 'OVERDUE',
      reason: 'NO_TRAINING_BEFORE_DUTIES',
      basis: 'NO_TRAINING_BEFORE_DUTIES',
      dueDate: d('2026-02-01'),
      daysRemaining: -29,
      qualifyingTraining: null,
    });
    const m = renderDigest({
      recipient: { email: 'chief@albertlea-pd.example', name: 'Chief Morgan Ellis', role: 'CHIEF', districtId: null },
      scope: { kind: 'AGENCY', id: 'MN0240100', name: 'Albert Lea Police Department' },
      asOf: d('2026-03-02'),
      weekOf: d('2026-03-02'),
      ledgerKey: 'WEEKLY_DIGEST:2026-03-02:AGENCY:MN0240100:to=chief@albertlea-pd.example',
      officers: [
        { officer: { license: 'L1', firstName: 'Dana', lastName: 'Olson' }, status, issues: [], acknowledgement: ACK },
      ],
    });
    expect(m.text).toContain('Acknowledged by Chief Morgan Ellis on 2026-03-04: enrolled in the course of 2026-03-15');
    expect(m.text).toContain('planned completion 2026-03-15');
    expect(m.html).not.toContain('<b>now</b>');
    expect(m.html).toContain('&lt;b&gt;now&lt;/b&gt;');
  });
});
