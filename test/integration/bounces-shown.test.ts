// RULES.md 12 "Accepted is not delivered", as people and scripts read it: a chief's reminder
// bounces (a DSN through `sro bounces`' receiver, test/helpers/bounces.ts), then `sro alerts`,
// the officer page, the agency's page and API, `sro report` and the weekly digest each say so.
// One roster, one ledger, real PostgreSQL, Redis and SMTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanJob } from '../../jobs/scan.ts';
import { weeklyDigestJob } from '../../jobs/weekly-digest.ts';
import type { BounceReceiver } from '../../src/bounces/receiver.ts';
import { runJobToCompletion } from '../../src/worker/run-once.ts';
import type { Runtime } from '../../src/worker/runtime.ts';
import { AGENCY_ESCALATION, CHIEF, PRIMARY } from '../fixtures/pipeline-roster.ts';
import { BOUNCE_ADMIN as ADMIN, type BouncedRoster, startBouncedRoster } from '../helpers/bounced-roster.ts';
import { deliverBounce, dsn } from '../helpers/bounces.ts';
import type { ConsoleRig } from '../helpers/console.ts';
import { runSro } from '../helpers/sro-cli.ts';

/** An instant as the console shows it: in TZ (America/Chicago here) with its abbreviation, never UTC. */
const IN_TZ = String.raw`\d{4}-\d{2}-\d{2} \d{2}:\d{2} C[SD]T`;

let bounced: BouncedRoster;
let rig: ConsoleRig;
let worker: Runtime;
let receiver: BounceReceiver;
let bouncedKey: string;

const never = new AbortController().signal;

/** What a reader sees of a page: its text, tags and entities undone, spaces collapsed. */
function visibleText(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** INTERFACE.md "Pages for people" (as test/web/wording.test.ts checks every page): no field code, no UTC time. */
function expectPeopleWords(text: string): void {
  expect(text).not.toMatch(/\b[a-z]+(?:[A-Z][a-z0-9]*)+:|\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+:/);
  expect(text).not.toMatch(/\bUTC\b|\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|\b\d{2}:\d{2}(?::\d{2})?Z\b/);
  expect(text).not.toMatch(/RULES\.md|INTERFACE\.md/);
}

beforeAll(async () => {
  bounced = await startBouncedRoster('bounceshown');
  ({ rig, worker, receiver, bouncedKey } = bounced);
}, 60_000);

afterAll(async () => {
  await bounced?.close();
});

describe('INTERFACE.md "Bounces": sro alerts shows BOUNCED with the bounce', () => {
  it('--json: the bounced row is BOUNCED with "bounce": { status, diagnostic, at }; a delivered row has no bounce', async () => {
    const r = await runSro(['alerts', '--officer', '10001', '--json'], { DATABASE_URL: rig.database.url });
    expect(r.code, r.stderr).toBe(0);
    const rows = (JSON.parse(r.stdout) as { alerts: Record<string, unknown>[] }).alerts;
    const bounced = rows.find((x) => x.key === bouncedKey);
    expect(bounced).toMatchObject({
      status: 'BOUNCED',
      recipient: CHIEF,
      bounce: { status: '5.1.1', diagnostic: expect.stringContaining('User unknown') },
    });
    const at = (bounced!.bounce as { at: string }).at;
    expect(at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Math.abs(Date.parse(at) - Date.now())).toBeLessThan(5 * 60_000);
    // The e-mail that carried its step to the agency's escalation address names it.
    expect(rows.filter((x) => x.standsInFor === bouncedKey).map((x) => x.recipient)).toEqual([AGENCY_ESCALATION]);
    const delivered = rows.filter((x) => x.status === 'SENT');
    expect(delivered.length).toBeGreaterThan(0);
    for (const x of delivered) expect(x.bounce).toBeNull();
  });

  it('the table: the bounced row reads BOUNCED, with the status code first in its detail', async () => {
    const r = await runSro(['alerts', '--officer', '10001'], { DATABASE_URL: rig.database.url });
    expect(r.code, r.stderr).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.includes(CHIEF) && l.includes('BOUNCED'));
    expect(line).toBeDefined();
    expect(line).toMatch(
      /BOUNCED\s+DEADLINE_REMINDER\s+10001\s+chief@lakeside-pd\.example\s+1\s+bounced 5\.1\.1 \d{4}-/,
    );
    expect(r.stdout.split('\n').filter((l) => / SENT /.test(l)).length).toBeGreaterThan(0);
  });
});

describe("RULES.md 12: the officer page's alert list says an e-mail bounced, in words", () => {
  it('to an admin: "Bounced: the address does not exist (5.1.1) on <time in TZ>", apart from the e-mails sent', async () => {
    const admin = await rig.signIn(ADMIN);
    const r = await admin.get('/officers/10001');
    expect(r.status).toBe(200);
    const text = visibleText(r.text);
    expect(text).toMatch(
      new RegExp(`chief@lakeside-pd\\.example Bounced: the address does not exist \\(5\\.1\\.1\\) on ${IN_TZ}`),
    );
    expect(text).toContain(
      'deputy-chief@lakeside-pd.example Sent (in place of the e-mail to chief@lakeside-pd.example, which bounced)',
    );
    expectPeopleWords(text);
  });
});

describe('INTERFACE.md "Keeping the directory in the console": the undeliverable mark in the API', () => {
  it('GET /api/agencies/:id: the chief has "undeliverable" (since, status, diagnostic, at)', async () => {
    const chief = await rig.signIn(CHIEF);
    const r = await chief.get('/api/agencies/MN0900100');
    expect(r.status).toBe(200);
    const body = JSON.parse(r.text);
    expect(body.chief).toEqual({
      name: 'Chief Ruth Anders',
      email: CHIEF,
      undeliverable: {
        since: '2026-03-02',
        status: '5.1.1',
        diagnostic: expect.stringContaining('User unknown'),
        at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      },
    });
    expect(body.escalationEmails).toEqual([AGENCY_ESCALATION]);
  });

  it('GET /api/districts/:id: the primary contact that bounced has "undeliverable"; the escalation contact not', async () => {
    const contact = await rig.signIn(PRIMARY);
    const body = JSON.parse((await contact.get('/api/districts/ISD900')).text);
    expect(body.contacts).toEqual([
      {
        name: 'Pat Liaison',
        email: PRIMARY,
        role: 'PRIMARY',
        undeliverable: {
          since: '2026-03-02',
          status: '5.2.1',
          diagnostic: '550 5.2.1 mailbox disabled',
          at: expect.any(String),
        },
      },
      { name: 'Dr. Sam Super', email: 'superintendent@isd900.example', role: 'ESCALATION' },
    ]);
  });
});

describe("RULES.md 12: the agency's and the district's pages show the mark, and complaints to admins only", () => {
  it("the agency's page tells the chief which address, since when, why, and who receives the alerts meanwhile", async () => {
    const chief = await rig.signIn(CHIEF);
    const text = visibleText((await chief.get('/agencies/MN0900100')).text);
    expect(text).toMatch(
      new RegExp(
        `The chief's e-mail, chief@lakeside-pd\\.example, is marked undeliverable\\. Bounced on ${IN_TZ}: the address does not exist \\(5\\.1\\.1\\)\\. Until the chief's e-mail is changed here, the chief's alerts also go to the escalation e-mails\\.`,
      ),
    );
    expect(text).toContain('The receiving mail server answered: “550 5.1.1');
    // Complaints are the admins' (the policy module): the chief's page has none.
    expect(text).not.toContain('Complaints about alert e-mails');
    expectPeopleWords(text);
  });

  it("the district's page names the contact whose address bounced", async () => {
    const contact = await rig.signIn('superintendent@isd900.example');
    const text = visibleText((await contact.get('/districts/ISD900')).text);
    expect(text).toMatch(
      new RegExp(
        `The e-mail of Pat Liaison, sro-liaison@isd900\\.example, is marked undeliverable\\. Bounced on ${IN_TZ}: the mailbox is disabled \\(5\\.2\\.1\\)\\. Until this address is changed here, the district's alerts also go to its escalation contacts\\.`,
      ),
    );
    expect(text).not.toContain('Complaints about alert e-mails');
    expectPeopleWords(text);
  });

  it("an admin sees the complaint on the agency's page: when, from whom, about which e-mail; none on the district's; the directory marks both addresses", async () => {
    const admin = await rig.signIn(ADMIN);
    const agency = visibleText((await admin.get('/agencies/MN0900100')).text);
    expect(agency).toMatch(
      new RegExp(
        `Complaints about alert e-mails .* ${IN_TZ} deputy-chief@lakeside-pd\\.example Deadline reminder about officer #10001 abuse report`,
      ),
    );
    expectPeopleWords(agency);
    const directory = visibleText((await admin.get('/directory')).text);
    expect(directory).toContain('chief@lakeside-pd.example · bounced on 2026-03-02');
    expect(directory).toContain('sro-liaison@isd900.example · bounced on 2026-03-02');
    const district = visibleText((await admin.get('/districts/ISD900')).text);
    expect(district).toContain('Complaints about alert e-mails None: nobody at these addresses has reported');
  });
});

describe('RULES.md 12: sro report shows the mark as the issue ADDRESS_UNDELIVERABLE', () => {
  it("--json: each active officer whose chief's or primary contact's address bounced has it, in the sorted issues", async () => {
    const r = await runSro(['report', '--as-of', '2026-03-02', '--json'], { DATABASE_URL: rig.database.url });
    expect(r.code, r.stderr).toBe(0);
    const officers = (JSON.parse(r.stdout) as { officers: { license: string; issues: string[] }[] }).officers;
    const issues = Object.fromEntries(officers.map((o) => [o.license, o.issues]));
    expect(issues).toEqual({
      '10001': ['ADDRESS_UNDELIVERABLE'],
      '10002': ['ADDRESS_UNDELIVERABLE', 'CERTIFICATE_MISSING'],
      '10003': ['ADDRESS_UNDELIVERABLE'],
    });
  });

  it("the table says 'bounced' among the officer's issues", async () => {
    const r = await runSro(['report', '--as-of', '2026-03-02'], { DATABASE_URL: rig.database.url });
    expect(r.code, r.stderr).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.includes('10002'));
    expect(line).toMatch(/bounced/);
    expect(line).toMatch(/no cert/);
  });

  it("the officer page lists it among the officer's issues, in words", async () => {
    const admin = await rig.signIn(ADMIN);
    const text = visibleText((await admin.get('/officers/10002')).text);
    expect(text).toContain('An e-mail address this officer’s alerts go to bounced');
    expectPeopleWords(text);
  });
});

describe('RULES.md 12: the weekly digest says which address bounced, when and why', () => {
  beforeAll(async () => {
    await runJobToCompletion(worker, weeklyDigestJob, { asOf: '2026-03-02' }, never);
  }, 30_000);

  const digestTo = (to: string, scope: string) => {
    const m = rig.smtp.received.find(
      (x) => x.to === to && (x.key ?? '').startsWith(`WEEKLY_DIGEST:2026-03-02:${scope}`),
    );
    if (!m) throw new Error(`no digest to ${to}`);
    return m.parsed.text ?? '';
  };

  it('the agency\'s digest: "The chief\'s address, …, bounced on …" with the reason in words, once', () => {
    const text = digestTo(CHIEF, 'AGENCY:MN0900100');
    const sentence =
      "The chief's address, chief@lakeside-pd.example, bounced on 2026-03-02 (Monday, March 2, 2026): the address does not exist (5.1.1). Until it is corrected in the SRO roster, the chief's alerts also go to the agency's escalation e-mails (to the administrators where there are none).";
    expect(text).toContain(sentence);
    expect(text.split(sentence)).toHaveLength(2);
    expect(text).toContain(
      'The address of the primary SRO contact of Lakeside Public Schools, sro-liaison@isd900.example, bounced on 2026-03-02 (Monday, March 2, 2026): the mailbox is disabled (5.2.1).',
    );
    expectPeopleWords(text);
  });

  it("the district's digest names the agency whose chief's address bounced", () => {
    const text = digestTo(PRIMARY, 'DISTRICT:ISD900');
    expect(text).toContain(
      'The address of the chief of Lakeside Police Department, chief@lakeside-pd.example, bounced on 2026-03-02 (Monday, March 2, 2026): the address does not exist (5.1.1).',
    );
    expectPeopleWords(text);
  });
});

describe('RULES.md 12: the officer list follows the marks, also one made without a roster change', () => {
  const NEW_CHIEF = 'chief.new@lakeside-pd.example';
  const NEW_PRIMARY = 'sro-new@isd900.example';
  const openIssues = (html: string) =>
    [...html.matchAll(/data-label="Open issues"[^>]*>([^<]*)</g)].map((m) => m[1]!.replace(/&#39;/g, "'"));

  it('corrected addresses clear the marks; a bounce of the new chief shows in the list at once', async () => {
    const admin = await rig.signIn(ADMIN);
    expect(openIssues((await admin.get('/')).text).every((x) => x.includes('an alert address bounced'))).toBe(true);
    const agency = await admin.patch('/api/agencies/MN0900100', {
      json: { chief: { name: 'Chief Rae Newman', email: NEW_CHIEF } },
    });
    expect(agency.status).toBe(200);
    expect(JSON.parse(agency.text).chief).toEqual({ name: 'Chief Rae Newman', email: NEW_CHIEF });
    const district = await admin.patch('/api/districts/ISD900', {
      json: {
        contacts: [
          { name: 'Robin New', email: NEW_PRIMARY, role: 'PRIMARY' },
          { name: 'Dr. Sam Super', email: 'superintendent@isd900.example', role: 'ESCALATION' },
        ],
      },
    });
    expect(district.status).toBe(200);
    expect(JSON.parse(district.text).contacts.some((c: object) => 'undeliverable' in c)).toBe(false);
    const cleared = openIssues((await admin.get('/')).text);
    expect(cleared).toHaveLength(3);
    expect(cleared.some((x) => x.includes('bounced'))).toBe(false);

    // The next reminder goes to the new chief and comes back: no roster change, a new mark.
    await runJobToCompletion(worker, scanJob, { asOf: '2026-03-20' }, never);
    const reminder = rig.smtp.received.find((m) => m.to === NEW_CHIEF && (m.key ?? '').startsWith('DEADLINE_REMINDER'));
    if (!reminder) throw new Error('no reminder reached the new chief');
    const answer = await deliverBounce(
      receiver.port,
      reminder.from,
      dsn({ to: reminder.from, recipient: NEW_CHIEF, action: 'failed', status: '5.1.1', diagnostic: 'User unknown' }),
    );
    expect(answer.accepted).toBe(true);
    const marked = openIssues((await admin.get('/')).text);
    expect(marked).toHaveLength(3);
    expect(marked.every((x) => x.includes('an alert address bounced'))).toBe(true);
  });
});
