// INTERFACE.md "Pages for people" and STYLE.md habit 13: the words people read name no
// specification file (RULES.md), no field code followed by a colon (completedOn:,
// DEADLINE_MISSED:), no UTC time, and no British spelling. Every page each persona of the demo
// roster reaches (crawled from their home page by its links), the sign-in e-mails they were
// sent, and every alert kind and the weekly digest rendered here, to each kind of recipient,
// with and without PUBLIC_URL.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recipient } from '../../src/domain/alert-types.ts';
import { civilDate as d } from '../../src/domain/civil-date.ts';
import { renderAlert } from '../../src/mail/render-alert.ts';
import { renderDigest } from '../../src/mail/render-digest.ts';
import { signInMail } from '../../src/mail/sign-in-mail.ts';
import { OFFICER_ALERT_KINDS } from '../helpers/alert-fixtures.ts';
import { CHIEF, PRIMARY, alert, input } from '../helpers/alert-mail-input.ts';
import { type ConsoleRig, type WebClient, startConsoleRig } from '../helpers/console.ts';
import { OVERDUE_10003, officerStatus } from '../helpers/officer-status.ts';
import { DEMO_ROSTER_JSON } from '../helpers/roster-database.ts';
import { visibleText, wordingProblems } from '../helpers/wording.ts';

// ---- The pages ----

let rig: ConsoleRig;
beforeAll(async () => {
  rig = await startConsoleRig('wording', {
    ADMIN_EMAILS: 'admin@example.org',
    PUBLIC_URL: 'https://sro.district.example',
  });
  await rig.load(JSON.parse(readFileSync(DEMO_ROSTER_JSON, 'utf8')));
}, 60_000);
afterAll(() => rig?.close());

// Links that are not pages to read: the API, downloads, the queue dashboard, sign-out.
const NOT_A_PAGE = /^\/(?:api\/|admin\/queues|logout|assets\/)|\.(?:csv|pdf|zip)(?:\?|$)|\/certificates\//;

/** Every page reachable from `/` by links, at most `limit`: path → its HTML. */
async function crawl(client: WebClient, limit = 120): Promise<Map<string, string>> {
  const pages = new Map<string, string>();
  const queue = ['/'];
  while (queue.length > 0 && pages.size < limit) {
    const path = queue.shift()!;
    if (pages.has(path)) continue;
    const r = await client.get(path);
    const location = r.headers.get('location');
    if (r.status >= 300 && r.status < 400 && location) {
      pages.set(path, '');
      queue.push(location);
      continue;
    }
    pages.set(path, r.text);
    for (const m of r.text.matchAll(/href="(\/[^"#]*)"/g)) {
      const href = m[1]!.replace(/&amp;/g, '&');
      if (!NOT_A_PAGE.test(href) && !pages.has(href)) queue.push(href);
    }
  }
  return pages;
}

const PERSONAS = [
  ['an admin', 'admin@example.org'],
  ['the Albert Lea chief', 'chief.ellis@albertlea-pd.example'],
  ['the Freeborn County sheriff', 'sheriff.thompson@freeborn-so.example'],
  ["the Albert Lea agency's escalation address", 'deputy.chief@albertlea-pd.example'],
  ['the Albert Lea Area Schools SRO contact', 'jhalvorson@isd241.example'],
  ['a district escalation contact', 'superintendent@isd241.example'],
  ["a charter school's contact", 'director@riverland-academy.example'],
  ['an officer', 'ejohnson@albertlea-pd.example'],
] as const;

describe('INTERFACE.md "Pages for people": the words of every page each persona reaches', () => {
  beforeAll(async () => {
    // Something in the audit log and on an officer page: the chief records a policy review.
    const chief = await rig.signIn('chief.ellis@albertlea-pd.example');
    const r = await chief.post('/api/officers/24101/policy-reviews', { json: { reviewedOn: '2026-09-01' } });
    expect(r.status, r.text).toBe(201);
  }, 60_000);

  it('the sign-in pages, signed out, and the page of a bad sign-in link', async () => {
    const client = rig.client();
    for (const path of ['/login', '/login/verify?token=not-a-token']) {
      const r = await client.get(path);
      expect(wordingProblems(visibleText(r.text)), path).toEqual([]);
    }
  });

  it.each(PERSONAS)(
    '%s (%s): every page reached from their home page',
    async (_who, email) => {
      const client = await rig.signIn(email);
      const pages = await crawl(client);
      const read = [...pages].filter(([, html]) => html !== '');
      expect(read.length).toBeGreaterThan(0);
      const problems = read.flatMap(([path, html]) => wordingProblems(visibleText(html)).map((p) => `${path}: ${p}`));
      expect(problems).toEqual([]);
    },
    60_000,
  );

  it('the sign-in e-mails the personas received', () => {
    const mails = rig.smtp.received;
    expect(mails.length).toBeGreaterThanOrEqual(PERSONAS.length);
    for (const m of mails) {
      expect(wordingProblems(`${m.parsed.subject ?? ''} ${m.parsed.text ?? ''}`), m.to).toEqual([]);
      expect(wordingProblems(visibleText(String(m.parsed.html ?? ''))), m.to).toEqual([]);
    }
  });

  it('given an admin sorting and filtering the list, the pages keep to the words too', async () => {
    const admin = await rig.signIn('admin@example.org');
    for (const path of ['/?sort=name&order=desc', '/?status=OVERDUE', '/?sort=due', '/audit?action=policy-review']) {
      const r = await admin.get(path);
      expect(r.status, path).toBe(200);
      expect(wordingProblems(visibleText(r.text)), path).toEqual([]);
    }
  });
});

// ---- The e-mails ----

const DISTRICT_ESCALATION: Recipient = { ...PRIMARY, email: 'super@isd900.example', role: 'DISTRICT_ESCALATION' };
const AGENCY_ESCALATION: Recipient = {
  email: 'deputy@lakeside-pd.example',
  name: null,
  role: 'AGENCY_ESCALATION',
  districtId: null,
};
const PREVIOUS: Recipient = {
  email: 'former@lakeside-pd.example',
  name: null,
  role: 'PREVIOUS_RECIPIENT',
  districtId: null,
};
const RECIPIENTS = [CHIEF, PRIMARY, DISTRICT_ESCALATION, AGENCY_ESCALATION, PREVIOUS];

const SUBSTITUTE = officerStatus({
  license: '10001',
  status: 'EXEMPT_SUBSTITUTE',
  contactDays: 55,
  restrictedDuties: [4, 5],
  projected60thDay: d('2026-03-10'),
  firstServedDay: d('2025-09-03'),
  issues: ['POLICY_REVIEW_MISSING'],
});
const TRAINED_NO_CERTIFICATE = officerStatus({
  license: '10001',
  status: 'COMPLIANT',
  qualifyingTraining: { kind: 'SRO_MANDATED', completedOn: d('2026-02-20'), certificateOnFile: false },
  issues: ['CERTIFICATE_MISSING'],
});

/** One alert of each kind, its status as the scan would hold it, to `recipient`. */
function alertOfKind(kind: (typeof OFFICER_ALERT_KINDS)[number], recipient: Recipient, consoleUrl: string | null) {
  const base = { recipient, consoleUrl };
  switch (kind) {
    case 'DEADLINE_REMINDER':
      return input(base);
    case 'DEADLINE_MISSED':
      return input({
        ...base,
        alert: alert({ kind, key: 'DEADLINE_MISSED:10001:2026-01-05:level=2', dueDate: d('2026-01-05'), level: 2 }),
        status: { ...OVERDUE_10003, license: '10001' },
        acknowledgement: {
          by: 'Chief Ruth Anders',
          on: d('2026-02-01'),
          note: 'enrolled in the course of 2026-03-15',
          plannedCompletionOn: d('2026-03-15'),
        },
      });
    case 'SUBSTITUTE_NEARING_LIMIT':
      return input({
        ...base,
        alert: alert({
          kind,
          key: 'SUBSTITUTE_NEARING_LIMIT:10001:2025-2026:55',
          threshold: 55,
          schoolYear: '2025-2026',
        }),
        status: SUBSTITUTE,
      });
    case 'CERTIFICATE_MISSING':
      return input({
        ...base,
        alert: alert({ kind, key: 'CERTIFICATE_MISSING:10001' }),
        status: TRAINED_NO_CERTIFICATE,
      });
    case 'POLICY_REVIEW_MISSING':
      return input({
        ...base,
        alert: alert({ kind, key: 'POLICY_REVIEW_MISSING:10001:2025-2026', schoolYear: '2025-2026' }),
        status: SUBSTITUTE,
      });
    case 'RESOLVED':
      return input({
        ...base,
        alert: alert({ kind, key: 'RESOLVED:10001:2026-01-05', dueDate: d('2026-01-05') }),
        status: TRAINED_NO_CERTIFICATE,
        previousRecipients: [CHIEF.email, PRIMARY.email],
      });
    default: {
      const _exhaustive: never = kind;
      return _exhaustive;
    }
  }
}

describe('STYLE.md habit 13: the words of every alert e-mail and the digest', () => {
  const cases = OFFICER_ALERT_KINDS.flatMap((kind) =>
    RECIPIENTS.flatMap((r) =>
      [null, 'https://sro.district.example'].map((url) => [kind, r.role, url ? 'with' : 'without', r, url] as const),
    ),
  );
  it.each(cases)('%s to a %s, %s PUBLIC_URL', (kind, _role, _with, recipient, url) => {
    const m = renderAlert(alertOfKind(kind, recipient, url));
    expect(wordingProblems(m.subject)).toEqual([]);
    expect(wordingProblems(m.text)).toEqual([]);
    expect(wordingProblems(visibleText(m.html))).toEqual([]);
  });

  it.each([
    ['a chief', 'AGENCY' as const, null],
    ['a district contact', 'DISTRICT' as const, 'https://sro.district.example'],
  ])('the weekly digest to %s, every group filled', (_who, kind, url) => {
    const m = renderDigest({
      recipient: kind === 'AGENCY' ? CHIEF : PRIMARY,
      scope: { kind, id: 'X', name: kind === 'AGENCY' ? 'Lakeside Police Department' : 'Lakeside Public Schools' },
      asOf: d('2026-03-02'),
      weekOf: d('2026-03-02'),
      ledgerKey: 'WEEKLY_DIGEST:2026-03-02:AGENCY:X:to=chief@lakeside-pd.example',
      consoleUrl: url,
      officers: [
        {
          officer: { license: '1', firstName: 'Otto', lastName: 'Verdue' },
          status: OVERDUE_10003,
          issues: ['NO_CONTACT_ON_FILE'],
          missingContacts: [{ kind: 'CHIEF', agencyId: 'MN1', agencyName: 'Lakeside Police Department' }],
          // RULES.md 12: addresses marked undeliverable, said at the digest's top.
          undeliverableContacts: [
            {
              kind: 'CHIEF',
              agencyId: 'X',
              agencyName: 'Lakeside Police Department',
              mark: {
                email: 'chief@lakeside-pd.example',
                since: d('2026-02-27'),
                reason: '5.1.1 User unknown',
                status: '5.1.1',
              },
            },
            {
              kind: 'DISTRICT_PRIMARY',
              districtId: 'ISD900',
              districtName: 'Lakeside Public Schools',
              districtKind: 'DISTRICT',
              mark: {
                email: 'sro@isd900.example',
                since: d('2026-02-27'),
                reason: '5.2.2 Mailbox full',
                status: '5.2.2',
              },
            },
          ],
          acknowledgement: {
            by: 'Chief Ruth Anders',
            on: d('2026-02-01'),
            note: 'enrolled',
            plannedCompletionOn: null,
          },
        },
        { officer: { license: '2', firstName: 'Grace', lastName: 'Period' }, status: input().status, issues: [] },
        { officer: { license: '3', firstName: 'Sam', lastName: 'Vang' }, status: SUBSTITUTE, issues: [] },
        {
          officer: { license: '4', firstName: 'Cert', lastName: 'Missing' },
          status: TRAINED_NO_CERTIFICATE,
          issues: ['CERTIFICATE_MISSING', 'NO_CONTACT_ON_FILE'],
          missingContacts: [
            { kind: 'DISTRICT_PRIMARY', districtId: 'CH1', districtName: 'Lakes Academy', districtKind: 'CHARTER' },
          ],
        },
        {
          officer: { license: '5', firstName: 'Pat', lastName: 'Olson' },
          status: officerStatus({ license: '5', status: 'INACTIVE' }),
          issues: [],
        },
      ],
    });
    expect(wordingProblems(m.subject)).toEqual([]);
    expect(wordingProblems(m.text)).toEqual([]);
    expect(wordingProblems(visibleText(m.html))).toEqual([]);
  });

  it('the sign-in e-mail', () => {
    const m = signInMail({
      from: 'SRO Compliance <no-reply@localhost>',
      to: 'chief@lakeside-pd.example',
      link: 'https://sro.district.example/login/verify?token=abc',
      code: '123456',
    });
    expect(wordingProblems(m.text)).toEqual([]);
    expect(wordingProblems(visibleText(m.html))).toEqual([]);
  });

  it('the checks themselves catch what they look for', () => {
    expect(wordingProblems('see RULES.md 7')).toHaveLength(1);
    expect(wordingProblems('completedOn: must be a date')).toHaveLength(1);
    expect(wordingProblems('Reference: DEADLINE_MISSED:1:2026')).toHaveLength(1);
    expect(wordingProblems('sent 2026-12-07 14:35 UTC')).toHaveLength(1);
    expect(wordingProblems('at 2026-12-07T14:35:00.000Z')).toHaveLength(1);
    expect(wordingProblems('Enrol the officer')).toHaveLength(1);
    expect(wordingProblems('a PDF recognised by its content')).toHaveLength(1);
    expect(wordingProblems('Enroll the officer; Completed on: 2026-12-07 08:35 CST')).toEqual([]);
  });
});
