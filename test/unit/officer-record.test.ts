// The officer's own record (RULES.md 10, INTERFACE.md "Pages for people"), the pure parts: who
// may submit, answer and read what (src/app/policy.ts), whose `/` is their own record, the
// steps of the officer's deadline still ahead (src/mail/officer-ladder.ts), and the two
// submission e-mails (src/mail/render-submission.ts).
import { describe, expect, it } from 'vitest';
import { type Grant, type OfficerSubject, type Viewer, can, ownRecordOf } from '../../src/app/policy.ts';
import { civilDate } from '../../src/domain/civil-date.ts';
import { officerLadder } from '../../src/mail/officer-ladder.ts';
import { renderSubmissionMail } from '../../src/mail/render-submission.ts';
import { officerStatus } from '../helpers/officer-status.ts';

const viewer = (email: string, ...grants: Grant[]): Viewer => ({
  email,
  grants,
  rosterVersion: '1',
  ledgerVersion: null,
});
const officer: OfficerSubject = {
  license: '12345',
  agencyId: 'MN0240100',
  districtIds: ['ISD241'],
  activeDistrictIds: ['ISD241'],
};
const admin = viewer('admin@state.example', { role: 'ADMIN' });
const chief = viewer('chief@albertlea.example', { role: 'CHIEF', agencyId: 'MN0240100' });
const escalation = viewer('deputy@albertlea.example', { role: 'AGENCY_ESCALATION', agencyId: 'MN0240100' });
const contact = viewer('sro@isd241.example', { role: 'DISTRICT_CONTACT', districtId: 'ISD241' });
const theOfficer = viewer('officer@albertlea.example', { role: 'OFFICER', license: '12345' });

describe('RULES.md 10: who submits, answers and reads', () => {
  it('the officer submits their own training; the chief and admins confirm or reject it; nobody else does either', () => {
    expect([admin, chief, escalation, contact, theOfficer].map((v) => can(v, 'training.submit', officer))).toEqual([
      false,
      false,
      false,
      false,
      true,
    ]);
    expect([admin, chief, escalation, contact, theOfficer].map((v) => can(v, 'training.review', officer))).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it("the agency's people read its SRO policy; a district contact does not; the chief and admins upload it", () => {
    expect([admin, chief, escalation, contact, theOfficer].map((v) => can(v, 'agencyPolicy.read', officer))).toEqual([
      true,
      true,
      true,
      false,
      true,
    ]);
    const agency = { agencyId: 'MN0240100' };
    expect([admin, chief, escalation, contact].map((v) => can(v, 'agencyPolicy.update', agency))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it("an officer's / is their record, unless they hold another role too", () => {
    expect(ownRecordOf(theOfficer)).toBe('12345');
    expect(ownRecordOf(viewer('x@albertlea.example', ...theOfficer.grants, ...chief.grants))).toBeNull();
    expect(ownRecordOf(chief)).toBeNull();
  });
});

describe("the officer's deadline and who is told (RULES.md 5's ladder, by role)", () => {
  const config = { reminderLeadDays: [1, 7, 14, 30, 60, 90], escalationDays: [0, 7, 30] };
  const due = officerStatus({
    license: '12345',
    status: 'IN_GRACE',
    dueDate: civilDate('2027-01-29'),
    daysRemaining: 10,
  });

  it('given a course due 2027-01-29, as of 2027-01-19, then the 7- and 1-day reminders, the due date and the three levels, no address', () => {
    const steps = officerLadder(due, config, civilDate('2027-01-19'));
    expect(steps.map((s) => s.on)).toEqual([
      '2027-01-22',
      '2027-01-28',
      '2027-01-29',
      '2027-01-30',
      '2027-02-06',
      '2027-03-01',
    ]);
    expect(steps[0]!.what).toBe("A reminder to your chief and your district's contacts: 7 days left.");
    expect(steps.every((s) => !s.what.includes('@'))).toBe(true);
  });

  it('given a COMPLIANT officer, then no step is ahead', () => {
    expect(officerLadder({ ...due, status: 'COMPLIANT' }, config, civilDate('2027-01-19'))).toEqual([]);
  });
});

describe('the submission e-mails', () => {
  const base = {
    recipient: { email: 'chief@albertlea.example', name: 'Chief Morgan Ellis' },
    officer: { license: '12345', firstName: 'Dana', lastName: 'Olson' },
    agencyName: 'Albert Lea Police Department',
    submission: {
      id: 7,
      kind: 'SRO_MANDATED' as const,
      completedOn: civilDate('2026-12-01'),
      courseNumber: null,
      provider: 'MN POST',
      submittedOn: civilDate('2026-12-02'),
      reason: null,
    },
    consoleUrl: 'https://sro.example',
    ledgerKey: 'TRAINING_SUBMITTED:12345:submission=7:to=chief@albertlea.example',
  };

  it('TRAINING_SUBMITTED: the chief reads who submitted what, and the link to the submission to confirm or reject it', () => {
    const m = renderSubmissionMail({ ...base, kind: 'TRAINING_SUBMITTED' });
    expect(m.subject).toBe(
      'Dana Olson submitted a training for your review: the POST-approved SRO course, completed 2026-12-01',
    );
    expect(m.text).toContain('Dear Chief Morgan Ellis,');
    expect(m.text).toContain('https://sro.example/officers/12345#submission-7');
    expect(m.text).toContain('Confirm the training if the certificate shows it, or reject it with the reason');
    expect(m.headers['X-SRO-Alert-Kind']).toBe('TRAINING_SUBMITTED');
    expect(m.text).not.toMatch(/RULES\.md|completedOn:/);
  });

  it('TRAINING_REJECTED: the officer reads the reason and what to do', () => {
    const m = renderSubmissionMail({
      ...base,
      kind: 'TRAINING_REJECTED',
      recipient: { email: 'dana@albertlea.example', name: null },
      submission: { ...base.submission, reason: 'The certificate names another course.' },
    });
    expect(m.subject).toBe(
      'Your submitted training was not confirmed: the POST-approved SRO course, completed 2026-12-01',
    );
    expect(m.text).toContain('Dear Dana Olson,');
    expect(m.text).toContain('The reason given: The certificate names another course.');
    expect(m.text).toContain('submit the training again');
  });
});
