// What a chief reads in each alert e-mail (RULES.md 5): who, what, when, the provision it
// rests on and what to do next, the same in the text and HTML parts; hostile roster text
// cannot inject markup or headers; reminders carry an RFC 5545 calendar entry.
// This file: SUBSTITUTE_NEARING_LIMIT (V.D), CERTIFICATE_MISSING (V.E), POLICY_REVIEW_MISSING, and what every kind shares.
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/domain/alert-types.ts';
import { civilDate as d } from '../../src/domain/civil-date.ts';
import type { OfficerStatus } from '../../src/domain/types.ts';
import { renderAlert } from '../../src/mail/render-alert.ts';
import { bothParts } from '../helpers/mail-parts.ts';
import { IN_GRACE, alert, input } from '../helpers/alert-mail-input.ts';

describe('SUBSTITUTE_NEARING_LIMIT, V.D: given a substitute with 47 served contact days in 2025-2026', () => {
  const sub: OfficerStatus = {
    ...IN_GRACE,
    license: '10004',
    status: 'EXEMPT_SUBSTITUTE',
    dueDate: null,
    daysRemaining: null,
    basis: null,
    assumedDutiesOn: null,
    contactDays: 47,
    projected60thDay: d('2026-03-20'),
    firstServedDay: d('2025-09-03'),
  };
  const m = renderAlert(
    input({
      alert: alert({
        kind: 'SUBSTITUTE_NEARING_LIMIT',
        license: '10004',
        key: 'SUBSTITUTE_NEARING_LIMIT:10004:2025-2026:threshold=45',
        threshold: 45,
        schoolYear: '2025-2026',
      }),
      officer: { license: '10004', firstName: 'Sam', lastName: 'Vang' },
      status: sub,
    }),
  );

  it('the subject gives the served days and how many are left before day 60', () => {
    expect(m.subject).toBe(
      '[SRO training] Substitute Officer Sam Vang (#10004): 47 contact days served in 2025-2026 — 12 days left before day 60',
    );
  });

  it('says the officer may not serve a 60th day untrained, with the days served, schedule, duties and V.D', () => {
    expect(m.text).not.toContain('Threshold');
    for (const needle of [
      'may not serve a 60th contact day in 2025-2026 untrained',
      'Contact days served',
      '47 as of 2026-03-02',
      'Friday, March 20, 2026',
      'provide advice on safety drills',
      'Policy 507.5 V.D / Minn. Stat. § 626.8482 subd. 3(d)',
    ]) {
      bothParts(m, needle);
    }
  });
});

describe('CERTIFICATE_MISSING, V.E', () => {
  const trained: OfficerStatus = {
    ...IN_GRACE,
    license: '10002',
    status: 'COMPLIANT',
    dueDate: null,
    daysRemaining: null,
    basis: null,
    restrictedDuties: [],
    issues: ['CERTIFICATE_MISSING'],
    qualifyingTraining: { kind: 'SRO_MANDATED', completedOn: d('2025-09-10'), certificateOnFile: false },
  };
  const m = renderAlert(
    input({
      alert: alert({
        kind: 'CERTIFICATE_MISSING',
        license: '10002',
        key: 'CERTIFICATE_MISSING:10002:SRO_MANDATED:2025-09-10',
      }),
      officer: { license: '10002', firstName: 'Cert', lastName: 'Missing' },
      status: trained,
    }),
  );

  it('names the course and its date, the chief keeps a copy (V.E), and what to do', () => {
    expect(m.subject).toBe(
      '[SRO training] Officer Cert Missing (#10002): training certificate not on file — course completed 2025-09-10',
    );
    for (const needle of [
      'Wednesday, September 10, 2025',
      'Policy 507.5 V.E / Minn. Stat. § 626.8482 subd. 3(e)',
      'must keep a copy of the most recent training certificate',
      'certificate on file',
    ]) {
      bothParts(m, needle);
    }
  });
});

describe('POLICY_REVIEW_MISSING, V.C in grace and V.D for substitutes', () => {
  it('in grace, the review was due before the officer assumed duties (V.C)', () => {
    const m = renderAlert(
      input({
        alert: alert({
          kind: 'POLICY_REVIEW_MISSING',
          key: 'POLICY_REVIEW_MISSING:10001:MN0900100:2026-04-01',
          dueDate: d('2026-04-01'),
        }),
        status: { ...IN_GRACE, issues: ['POLICY_REVIEW_MISSING'] },
      }),
    );
    expect(m.subject).toBe(
      '[SRO training] Officer Grace Period (#10001): SRO policy review not recorded — was due before duties began 2025-10-01',
    );
    bothParts(m, 'Policy 507.5 V.C / Minn. Stat. § 626.8482 subd. 3(c) and subd. 6');
    bothParts(m, 'Have the date of the review added to the SRO roster');
    expect(m.text).not.toMatch(/reviewed on\)|policy review: /);
  });

  it('for a substitute, the review was due before the first served day (V.D)', () => {
    const sub: OfficerStatus = {
      ...IN_GRACE,
      status: 'EXEMPT_SUBSTITUTE',
      dueDate: null,
      daysRemaining: null,
      basis: null,
      assumedDutiesOn: null,
      contactDays: 5,
      firstServedDay: d('2026-01-12'),
      issues: ['POLICY_REVIEW_MISSING'],
    };
    const m = renderAlert(
      input({
        alert: alert({
          kind: 'POLICY_REVIEW_MISSING',
          key: 'POLICY_REVIEW_MISSING:10001:MN0900100:2025-2026',
          schoolYear: '2025-2026',
        }),
        status: sub,
      }),
    );
    expect(m.subject).toBe(
      '[SRO training] Substitute Officer Grace Period (#10001): SRO policy review not recorded — serving since 2026-01-12',
    );
    bothParts(m, 'Policy 507.5 V.D / Minn. Stat. § 626.8482 subd. 3(d) and subd. 6');
  });
});

describe('every alert kind', () => {
  const cases: [Alert['kind'], OfficerStatus][] = [
    ['DEADLINE_REMINDER', IN_GRACE],
    [
      'DEADLINE_MISSED',
      { ...IN_GRACE, status: 'OVERDUE', reason: 'GRACE_PERIOD_EXPIRED', daysRemaining: -3, restrictedDuties: [] },
    ],
    [
      'SUBSTITUTE_NEARING_LIMIT',
      { ...IN_GRACE, status: 'EXEMPT_SUBSTITUTE', dueDate: null, daysRemaining: null, basis: null, contactDays: 50 },
    ],
    [
      'CERTIFICATE_MISSING',
      {
        ...IN_GRACE,
        status: 'COMPLIANT',
        dueDate: null,
        daysRemaining: null,
        basis: null,
        qualifyingTraining: { kind: 'SRO_MANDATED', completedOn: d('2026-02-01'), certificateOnFile: false },
      },
    ],
    ['POLICY_REVIEW_MISSING', IN_GRACE],
    [
      'RESOLVED',
      {
        ...IN_GRACE,
        status: 'COMPLIANT',
        dueDate: null,
        daysRemaining: null,
        basis: null,
        qualifyingTraining: { kind: 'SRO_MANDATED', completedOn: d('2026-02-01'), certificateOnFile: true },
      },
    ],
  ];

  it.each(cases)(
    '%s: has both parts, cites policy 507.5, a next-steps list, the headers; only reminders carry a calendar entry',
    (kind, status) => {
      const m = renderAlert(
        input({
          alert: alert({
            kind,
            key: `${kind}:10001:x`,
            dueDate: d('2026-04-01'),
            level: 1,
            threshold: 50,
            schoolYear: '2025-2026',
          }),
          status,
        }),
      );
      expect(m.subject.startsWith('[SRO training] ')).toBe(true);
      bothParts(m, 'Rests on');
      bothParts(m, 'Policy 507.5 V.');
      bothParts(m, 'What to do next');
      expect(m.headers).toMatchObject({
        'X-SRO-Alert-Key': `${kind}:10001:x:to=chief@lakeside-pd.example`,
        'X-SRO-Alert-Kind': kind,
      });
      expect(m.icalEvent === null).toBe(kind !== 'DEADLINE_REMINDER');
    },
  );
});
