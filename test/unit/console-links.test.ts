// INTERFACE.md "Console": every alert e-mail links to its officer's page when PUBLIC_URL is
// set (PUBLIC_URL/officers/<license>, a plain link), and the weekly digest to each officer's
// page and the console's home; without PUBLIC_URL every e-mail is what it was, with no link.
import { describe, expect, it } from 'vitest';
import type { Alert, Recipient } from '../../src/domain/alert-types.ts';
import { civilDate as d } from '../../src/domain/civil-date.ts';
import { escapeHtml } from '../../src/mail/escape.ts';
import { type AlertMailInput, renderAlert } from '../../src/mail/render-alert.ts';
import { type DigestMailInput, renderDigest } from '../../src/mail/render-digest.ts';
import { OFFICER_ALERT_KINDS } from '../helpers/alert-fixtures.ts';
import { OVERDUE_10003, officerStatus } from '../helpers/officer-status.ts';

const CONSOLE = 'https://sro.district.example';

const CHIEF: Recipient = {
  email: 'chief@lakeside-pd.example',
  name: 'Chief Ruth Anders',
  role: 'CHIEF',
  districtId: null,
};

const IN_GRACE = officerStatus({
  license: '10001',
  status: 'IN_GRACE',
  dueDate: d('2026-04-01'),
  daysRemaining: 30,
  restrictedDuties: [4, 5],
  basis: 'GRACE_PERIOD_EXPIRED',
  assumedDutiesOn: d('2025-10-01'),
});

/** One alert of `kind` about officer `license` to the chief, as of 2026-03-02. */
function alertInput(
  kind: (typeof OFFICER_ALERT_KINDS)[number],
  license: string,
  consoleUrl?: string | null,
): AlertMailInput {
  const alert: Alert = {
    kind,
    license,
    key: `${kind}:${license}:2026-04-01`,
    dueDate: d('2026-04-01'),
    lead: 30,
    level: 1,
    threshold: 45,
    schoolYear: '2025-2026',
    recipients: [],
  };
  return {
    alert,
    recipient: CHIEF,
    officer: { license, firstName: 'Grace', lastName: 'Period' },
    agency: { id: 'MN0900100', name: 'Lakeside Police Department', chiefName: 'Chief Ruth Anders' },
    districts: [{ id: 'ISD900', name: 'Lakeside Public Schools', kind: 'DISTRICT' }],
    status: { ...IN_GRACE, license },
    asOf: d('2026-03-02'),
    ledgerKey: `${alert.key}:to=${CHIEF.email}`,
    generatedAt: '20260302T120000Z',
    ...(consoleUrl === undefined ? {} : { consoleUrl }),
  };
}

/** The HTML part's links, their href attribute values as written (entities left as they are). */
const hrefs = (html: string) => [...html.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1] as string);

describe("alert e-mails with PUBLIC_URL link to the officer's console page", () => {
  it.each(OFFICER_ALERT_KINDS)('%s: the text part shows the URL and the HTML part links it', (kind) => {
    const m = renderAlert(alertInput(kind, '10001', CONSOLE));
    const page = `${CONSOLE}/officers/10001`;
    expect(m.text).toMatch(new RegExp(`^Open the officer's page: ${page.replaceAll('.', '\\.')}$`, 'm'));
    expect(hrefs(m.html)).toEqual([page]);
    // A button (a table cell carrying the color, for Outlook) whose words name where it goes.
    expect(m.html).toMatch(
      new RegExp(
        `<td align="center" bgcolor="#1f4e79"[^>]*><a href="${page.replaceAll('.', '\\.')}"[^>]*>Open the officer(?:&#39;|&#x27;)s page</a></td>`,
      ),
    );
  });

  it.each(OFFICER_ALERT_KINDS)(
    "%s: a license with a space, '/', '#' or '&' is one URL-encoded path segment",
    (kind) => {
      const m = renderAlert(alertInput(kind, 'MN 12/34#5&6', CONSOLE));
      const page = `${CONSOLE}/officers/MN%2012%2F34%235%266`;
      expect(m.text).toContain(page);
      expect(hrefs(m.html)).toEqual([page]);
      expect(m.html).not.toContain('/officers/MN 12');
    },
  );

  it('given PUBLIC_URL with a path and a trailing slash, the page is under that path, with one slash', () => {
    const m = renderAlert(alertInput('DEADLINE_REMINDER', '10001', 'https://intranet.example/sro/'));
    expect(hrefs(m.html)).toEqual(['https://intranet.example/sro/officers/10001']);
  });

  it('the link carries no sign-in token or other query: signing in is the console’s job', () => {
    for (const kind of OFFICER_ALERT_KINDS) {
      for (const href of hrefs(renderAlert(alertInput(kind, '10001', CONSOLE)).html)) {
        expect(new URL(href.replaceAll('&amp;', '&')).search).toBe('');
      }
    }
  });

  it('the deadline e-mails tell the chief to record the course (and to acknowledge a missed one) on the officer page', () => {
    for (const kind of ['DEADLINE_REMINDER', 'DEADLINE_MISSED'] as const) {
      const text = renderAlert(alertInput(kind, '10001', CONSOLE)).text;
      expect(text).toContain(
        "Record the completed course, with a copy of its certificate, on the officer's page in the console (the link below), so the reminders stop.",
      );
      expect(text).not.toContain('in the roster');
    }
    expect(renderAlert(alertInput('DEADLINE_MISSED', '10001', CONSOLE)).text).toContain(
      "Acknowledge the missed deadline on the officer's page (the link below)",
    );
    expect(renderAlert(alertInput('DEADLINE_REMINDER', '10001', CONSOLE)).text).not.toContain('Acknowledge');
    // Without PUBLIC_URL: words that fit a roster kept by import, no link.
    expect(renderAlert(alertInput('DEADLINE_MISSED', '10001')).text).toContain(
      'Have the completed course added to the SRO roster',
    );
  });

  it('a reminder keeps its calendar entry unchanged by the link', () => {
    const without = renderAlert(alertInput('DEADLINE_REMINDER', '10001'));
    const withLink = renderAlert(alertInput('DEADLINE_REMINDER', '10001', CONSOLE));
    expect(withLink.icalEvent).toEqual(without.icalEvent);
    expect(withLink.subject).toBe(without.subject);
    expect(withLink.headers).toEqual(without.headers);
  });
});

describe('alert e-mails without PUBLIC_URL are unchanged and carry no link', () => {
  it.each(OFFICER_ALERT_KINDS)('%s: consoleUrl null or absent renders the same e-mail, with no http', (kind) => {
    const absent = renderAlert(alertInput(kind, '10001'));
    const none = renderAlert(alertInput(kind, '10001', null));
    expect(none).toEqual(absent);
    for (const part of [absent.text, absent.html]) expect(part).not.toMatch(/https?:|<a /i);
    expect(absent.text).not.toContain("Officer's page");
  });

  it('an escalation of officer 10003 without PUBLIC_URL has no link either', () => {
    const m = renderAlert({ ...alertInput('DEADLINE_MISSED', '10003'), status: OVERDUE_10003 });
    expect(m.html).not.toMatch(/https?:|<a /i);
  });
});

const DIGEST_OFFICERS: DigestMailInput['officers'] = [
  {
    officer: { license: '10003', firstName: 'Otto', lastName: 'Verdue' },
    status: OVERDUE_10003,
    issues: [],
  },
  {
    officer: { license: 'MN 7/8', firstName: 'Grace', lastName: 'Period' },
    status: { ...IN_GRACE, license: 'MN 7/8' },
    issues: [],
  },
];

function digestInput(consoleUrl?: string | null): DigestMailInput {
  return {
    recipient: CHIEF,
    scope: { kind: 'AGENCY', id: 'MN0900100', name: 'Lakeside Police Department' },
    asOf: d('2026-03-02'),
    weekOf: d('2026-03-02'),
    ledgerKey: `WEEKLY_DIGEST:2026-03-02:AGENCY:MN0900100:to=${CHIEF.email}`,
    officers: DIGEST_OFFICERS,
    ...(consoleUrl === undefined ? {} : { consoleUrl }),
  };
}

describe('the weekly digest with PUBLIC_URL links the console and each officer', () => {
  it("lists each officer's page in the digest's order (overdue first), then the console's home as a button", () => {
    const m = renderDigest(digestInput(CONSOLE));
    expect(hrefs(m.html)).toEqual([`${CONSOLE}/officers/10003`, `${CONSOLE}/officers/MN%207%2F8`, `${CONSOLE}/`]);
    expect(m.text).toMatch(/^See all your officers: https:\/\/sro\.district\.example\/$/m);
    expect(m.html).toMatch(
      /bgcolor="#1f4e79"[^>]*><a href="https:\/\/sro\.district\.example\/"[^>]*>See all your officers<\/a>/,
    );
    expect(m.text).toMatch(/^Otto Verdue \(#10003\): +https:\/\/sro\.district\.example\/officers\/10003$/m);
    expect(m.text).toMatch(/^Grace Period \(#MN 7\/8\): +https:\/\/sro\.district\.example\/officers\/MN%207%2F8$/m);
    expect(m.html).toContain(escapeHtml('Grace Period (#MN 7/8)'));
  });

  it('keeps its subject and headers', () => {
    const without = renderDigest(digestInput());
    const withLinks = renderDigest(digestInput(CONSOLE));
    expect(withLinks.subject).toBe(without.subject);
    expect(withLinks.headers).toEqual(without.headers);
  });

  it('without PUBLIC_URL, null or absent, renders the same digest with no link', () => {
    const absent = renderDigest(digestInput());
    expect(renderDigest(digestInput(null))).toEqual(absent);
    for (const part of [absent.text, absent.html]) expect(part).not.toMatch(/https?:|<a /i);
    expect(absent.text).not.toContain('In the console');
  });
});
