// The audit log and every page in words (INTERFACE.md "Pages for people"): times in TZ with the
// zone's abbreviation, the browser in a short form, an event as a sentence with the roster's
// names, and the fields it changed by their labels.
import { describe, expect, it } from 'vitest';
import type { AuditEvent, AuditNames } from '../../src/app/audit-log.ts';
import { instantText } from '../../src/mail/format.ts';
import { auditChanges, auditSentence, browserShort } from '../../src/web/audit-words.ts';

const CHICAGO = 'America/Chicago';

describe('instantText: an instant in TZ with its abbreviation, never UTC', () => {
  it('given 2026-12-07 14:35 UTC, then 08:35 CST in Chicago (winter)', () => {
    expect(instantText('2026-12-07T14:35:00.000Z', CHICAGO)).toBe('2026-12-07 08:35 CST');
  });
  it('given 2026-07-01 05:30 UTC, then 00:30 CDT (summer time)', () => {
    expect(instantText(new Date('2026-07-01T05:30:00Z'), CHICAGO)).toBe('2026-07-01 00:30 CDT');
  });
  it('given an instant written with an offset, then the same instant', () => {
    expect(instantText('2026-12-07T06:43:05.208+00:00', CHICAGO)).toBe('2026-12-07 00:43 CST');
  });
});

describe('browserShort: the browser as people name it', () => {
  it.each([
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      'Chrome on Windows',
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
      'Edge on Windows',
    ],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:133.0) Gecko/20100101 Firefox/133.0', 'Firefox on Mac'],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      'Safari on iPhone',
    ],
    ['curl/8.5.0', 'curl'],
    ['node', 'node'],
  ])('%s → %s', (ua, short) => {
    expect(browserShort(ua)).toBe(short);
  });
  it('given none, then none', () => expect(browserShort(null)).toBeNull());
});

const NAMES: AuditNames = {
  people: new Map([['chief.ellis@albertlea-pd.example', 'Chief Morgan Ellis']]),
  officers: new Map([['24108', 'Nolan Berg']]),
  agencies: new Map([['MN0240100', 'Albert Lea Police Department']]),
  districts: new Map([['ISD241', 'Albert Lea Area Schools']]),
};

function event(over: Partial<AuditEvent>): AuditEvent {
  return {
    id: '1',
    at: '2026-12-07T14:35:00.000Z',
    actor: 'chief.ellis@albertlea-pd.example',
    clientAddress: '127.0.0.1',
    userAgent: null,
    action: 'training.record',
    license: '24108',
    agencyId: null,
    districtId: null,
    before: null,
    after: null,
    ...over,
  };
}

describe('auditSentence: who did what to whom, by the roster names', () => {
  it('given the chief recording the SRO course for officer 24108, then "Chief Morgan Ellis recorded … for Nolan Berg"', () => {
    const s = auditSentence(event({ after: { kind: 'SRO_MANDATED', completedOn: '2026-12-01' } }), NAMES);
    expect(`${s.who} ${s.did} ${s.officer}${s.tail}.`).toBe(
      'Chief Morgan Ellis recorded the POST-approved SRO course for Nolan Berg.',
    );
  });
  it('given an address and a license the roster no longer holds, then they are shown as they are', () => {
    const s = auditSentence(
      event({ actor: 'gone@example.org', license: '99999', action: 'acknowledgement.record' }),
      NAMES,
    );
    expect(`${s.who} ${s.did} ${s.officer}.`).toBe(
      'gone@example.org acknowledged the missed deadline of officer 99999.',
    );
  });
  it('given a district change, then the district by its name', () => {
    const s = auditSentence(event({ action: 'district.update', license: null, districtId: 'ISD241' }), NAMES);
    expect(`${s.who} ${s.did}.`).toBe('Chief Morgan Ellis changed the district Albert Lea Area Schools.');
  });
});

describe('auditChanges: the fields that changed, by their labels', () => {
  const w = { timeZone: CHICAGO, names: NAMES };
  it('given a submitted training confirmed (RULES.md 10), then the review in words, not its code', () => {
    const submission = { id: 3, license: '24108', kind: 'SRO_MANDATED', completedOn: '2026-12-01', reason: null };
    const changes = auditChanges(
      {
        before: { ...submission, status: 'PENDING_REVIEW', reviewedAt: null, training: null },
        after: {
          ...submission,
          status: 'CONFIRMED',
          reviewedAt: '2026-12-07T14:35:00.000Z',
          training: { id: 9, kind: 'SRO_MANDATED', completedOn: '2026-12-01' },
        },
      },
      w,
    );
    expect(changes).toContainEqual({ label: 'Review', before: "waiting for the chief's review", after: 'confirmed' });
    expect(changes).toContainEqual({ label: 'Answered', before: '', after: '2026-12-07 08:35 CST' });
    expect(JSON.stringify(changes)).not.toMatch(/PENDING_REVIEW|CONFIRMED/);
  });
  it('given a training recorded, then each field by its label, dates and instants in words', () => {
    const changes = auditChanges(
      {
        before: null,
        after: {
          id: 7,
          license: '24108',
          kind: 'SRO_MANDATED',
          completedOn: '2026-12-01',
          recordedAt: '2026-12-07T14:35:00.000Z',
          certificate: { sha256: 'ab', contentType: 'application/pdf', size: 20480 },
        },
      },
      w,
    );
    expect(changes).toEqual([
      { label: 'Course', before: '', after: 'the POST-approved SRO course' },
      { label: 'Completed on', before: '', after: '2026-12-01' },
      { label: 'Recorded at', before: '', after: '2026-12-07 08:35 CST' },
      { label: 'Certificate file', before: '', after: 'PDF, 20 KB' },
    ]);
  });
  it('given an agency whose chief changed, then only the chief, before and after', () => {
    const changes = auditChanges(
      {
        before: { name: 'Albert Lea Police Department', chief: { name: 'Chief Morgan Ellis', email: 'a@x.example' } },
        after: { name: 'Albert Lea Police Department', chief: { name: 'Deputy Chief Jo Lund', email: 'b@x.example' } },
      },
      w,
    );
    expect(changes).toEqual([
      { label: 'Chief', before: 'Chief Morgan Ellis <a@x.example>', after: 'Deputy Chief Jo Lund <b@x.example>' },
    ]);
  });
});
