// The outbox (no SMTP_URL): each message's HTML part is written beside its .eml so it opens
// in a browser, index.html links both, names the alert kinds in words and escapes what it
// shows. Real renderer, real transport, real files in a temporary directory.
import { appendFile, mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, Recipient } from '../../src/domain/alert-types.ts';
import { civilDate as d } from '../../src/domain/civil-date.ts';
import { type AlertMailInput, renderAlert } from '../../src/mail/render-alert.ts';
import { alertKindInWords } from '../../src/mail/format.ts';
import { type OutgoingMail, createOutboxTransport } from '../../src/mail/transport.ts';
import { OFFICER_ALERT_KINDS } from '../helpers/alert-fixtures.ts';
import { OVERDUE_10003 } from '../helpers/officer-status.ts';

const CHIEF: Recipient = {
  email: 'chief@lakeside-pd.example',
  name: 'Chief Ruth Anders',
  role: 'CHIEF',
  districtId: null,
};
const HOSTILE_FIRST = '<script>alert(1)</script>';
const HOSTILE_LAST = `O'Brien & "Sons"`;

function missedInput(level: number, recipient: Recipient): AlertMailInput {
  const alert: Alert = {
    kind: 'DEADLINE_MISSED',
    license: '10003',
    key: `DEADLINE_MISSED:10003:2026-01-05:level=${level}`,
    dueDate: d('2026-01-05'),
    lead: null,
    level,
    threshold: null,
    schoolYear: null,
    recipients: [recipient],
  };
  return {
    alert,
    recipient,
    officer: { license: '10003', firstName: HOSTILE_FIRST, lastName: HOSTILE_LAST },
    agency: { id: 'MN0900100', name: 'Lakeside Police Department', chiefName: 'Chief Ruth Anders' },
    districts: [{ id: 'ISD900', name: 'Lakeside Public Schools', kind: 'DISTRICT' }],
    status: OVERDUE_10003,
    asOf: d('2026-01-19'),
    ledgerKey: `${alert.key}:to=${recipient.email}`,
    generatedAt: '20260119T120000Z',
  };
}

let dir = '';
const sent: OutgoingMail[] = [];
let index = '';
let files: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sro-outbox-transport-'));
  // An entry an earlier version wrote: no .html beside its .eml.
  await mkdir(dir, { recursive: true });
  await appendFile(
    join(dir, 'index.jsonl'),
    `${JSON.stringify({ file: '2026-01-01T00-00-00-000Z-000000000000.eml', to: 'old@x.example', subject: 'an older e-mail', kind: 'SUBSTITUTE_NEARING_LIMIT', writtenAt: '2026-01-01T00:00:00.000Z' })}\n`,
  );
  const transport = createOutboxTransport(dir);
  const rendered = renderAlert(missedInput(2, CHIEF));
  // The address with its display name, as a hostile roster could make it.
  const mails: OutgoingMail[] = [
    {
      from: 'SRO Compliance <no-reply@localhost>',
      to: `"${HOSTILE_LAST} <b>" <chief@lakeside-pd.example>`,
      ...rendered,
    },
    {
      from: 'SRO Compliance <no-reply@localhost>',
      to: 'sro-liaison@isd900.example',
      ...renderAlert(missedInput(3, { ...CHIEF, email: 'sro-liaison@isd900.example', role: 'DISTRICT_PRIMARY' })),
    },
  ];
  for (const m of mails) {
    await transport.send(m);
    sent.push(m);
  }
  await transport.close();
  index = await readFile(join(dir, 'index.html'), 'utf8');
  files = await readdir(dir);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the outbox transport', () => {
  it('writes an .html beside every .eml, holding exactly the HTML part of that message', async () => {
    const emls = files.filter((f) => f.endsWith('.eml')).sort();
    expect(emls).toHaveLength(2);
    for (const eml of emls) {
      const html = eml.replace(/\.eml$/, '.html');
      expect(files).toContain(html);
      const page = await readFile(join(dir, html), 'utf8');
      const parsed = await simpleParser(await readFile(join(dir, eml)));
      expect(page).toBe(parsed.html);
      expect(sent.map((m) => m.html)).toContain(page);
      expect(page).toMatch(/^<!DOCTYPE html>/);
      // Our own escaped rendering: the hostile name is text, not markup.
      expect(page).not.toContain(HOSTILE_FIRST);
      expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('index.html links each message twice: its .html (under the subject) and its .eml', () => {
    for (const eml of files.filter((f) => f.endsWith('.eml'))) {
      expect(index).toContain(`href="${eml.replace(/\.eml$/, '.html')}"`);
      expect(index).toContain(`href="${eml}"`);
    }
    // The entry written before .html files existed keeps its .eml link and links no .html.
    expect(index).toContain('href="2026-01-01T00-00-00-000Z-000000000000.eml"');
    expect(index).not.toContain('2026-01-01T00-00-00-000Z-000000000000.html');
    expect(index).toContain('3 e-mails, newest first');
  });

  it('index.html names the kinds in words, with the escalation level, not as codes', () => {
    expect(index).toContain('<td>Deadline missed (level 2)</td>');
    expect(index).toContain('<td>Deadline missed (level 3)</td>');
    expect(index).toContain('<td>Substitute nearing the 60-day limit</td>');
    expect(index).not.toMatch(/DEADLINE_MISSED|SUBSTITUTE_NEARING_LIMIT/);
  });

  it('index.html escapes the subjects and recipients it shows', () => {
    expect(index).not.toContain(HOSTILE_FIRST);
    expect(index).not.toContain('<b>');
    expect(index).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(index).toContain('O&#39;Brien &amp; &quot;Sons&quot; &lt;b&gt;');
    // The only elements are the page's own.
    const tags = new Set([...index.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => (m[1] as string).toLowerCase()));
    expect([...tags].sort()).toEqual([
      'a',
      'body',
      'h1',
      'head',
      'html',
      'meta',
      'p',
      'style',
      'table',
      'tbody',
      'td',
      'th',
      'thead',
      'title',
      'tr',
    ]);
  });
});

describe('alertKindInWords', () => {
  it('names every kind', () => {
    expect(([...OFFICER_ALERT_KINDS, 'WEEKLY_DIGEST'] as const).map((k) => alertKindInWords(k))).toEqual([
      'Deadline reminder',
      'Deadline missed',
      'Substitute nearing the 60-day limit',
      'Certificate missing',
      'Policy review missing',
      'Resolved',
      'Weekly digest',
    ]);
    expect(alertKindInWords('DEADLINE_MISSED', 2)).toBe('Deadline missed (level 2)');
    expect(alertKindInWords('', null)).toBe('');
    expect(alertKindInWords('toString', null)).toBe('toString');
  });
});
