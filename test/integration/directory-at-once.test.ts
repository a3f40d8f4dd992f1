// RULES.md 11 "re-evaluates the officers it touches at once", through the queue and the ledger
// (RULES.md 7): a district contact assigning an untrained officer from today brings the
// reminder owed on the due date to the chief and the district's PRIMARY contact within a
// minute; an agency given a chief e-mail after a scan found nobody to send to (RULES.md 5
// "Nobody to send to") brings the escalation owed to the new chief within a minute. A real
// console and a real worker runtime on one database, one Redis prefix, one SMTP receiver.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/civil-date.ts';
import { civilDateIn } from '../../src/shell/clock.ts';
import { silentLogger } from '../../src/shell/log.ts';
import { type RunningConsole, startConsole } from '../../src/web/start.ts';
import { WebClient, signInMailParts } from '../helpers/console.ts';
import { type Pipeline, startPipeline } from '../helpers/pipeline.ts';
import { until } from '../helpers/mail-sign-in.ts';
import type { ReceivedMail } from '../helpers/smtp.ts';

const ADMIN = 'admin@state.example';
const CHIEF = 'chief@albert-lea.example';
const PRIMARY = 'sro@isd241.example';
const NEW_CHIEF = 'chief@austin.example';

const today = civilDateIn('America/Chicago');

const ROSTER = {
  agencies: [
    { id: 'AL', name: 'Albert Lea Police Department', chief: { name: 'Chief Morgan Ellis', email: CHIEF } },
    // Austin's chief has no e-mail on file.
    { id: 'AU', name: 'Austin Police Department', chief: { name: 'Chief Sam Hall', email: null } },
  ],
  districts: [
    {
      id: 'ISD241',
      name: 'Albert Lea Area Schools',
      kind: 'DISTRICT',
      contacts: [{ name: 'Pat Reyes', email: PRIMARY, role: 'PRIMARY' }],
    },
    { id: 'ISD492', name: 'Austin Public Schools', kind: 'DISTRICT', contacts: [] },
  ],
  officers: [
    { license: 'N1', firstName: 'Noor', lastName: 'Ali', email: null, agencyId: 'AL' },
    { license: 'U1', firstName: 'Uma', lastName: 'Falk', email: null, agencyId: 'AU' },
  ],
  // U1 assumed duties 3 days ago untrained: OVERDUE since the day after (level 1).
  assignments: [{ license: 'U1', districtId: 'ISD492', role: 'REGULAR', startDate: addDays(today, -3), endDate: null }],
};

let pipeline: Pipeline;
let web: RunningConsole;

const alertsOf = (kind: string, license: string): ReceivedMail[] =>
  pipeline.smtp.received.filter((m) => m.kind === kind && (m.key ?? '').includes(`:${license}:`));

async function signIn(email: string): Promise<WebClient> {
  const client = new WebClient(web.url);
  const before = pipeline.smtp.received.length;
  expect((await client.post('/login', { form: { email } })).status).toBe(200);
  const mail = await until<ReceivedMail>(
    `the sign-in e-mail to ${email}`,
    10_000,
    () => pipeline.smtp.received.slice(before).find((m) => m.to === email && !m.kind) ?? null,
  );
  expect((await client.post('/login/verify', { form: { token: signInMailParts(mail).token } })).status).toBe(303);
  return client;
}

beforeAll(async () => {
  pipeline = await startPipeline('directory-at-once');
  await pipeline.load(ROSTER);
  web = await startConsole(
    {
      ...pipeline.config,
      webHost: '127.0.0.1',
      webPort: 0,
      secretKey: randomBytes(32).toString('base64url'),
      adminEmails: [ADMIN],
    },
    silentLogger,
  );
});
afterAll(async () => {
  await web?.close();
  await pipeline?.close();
});

describe('RULES.md 11: a change of the directory re-evaluates the officers it touches at once', () => {
  it("given an untrained officer, when ISD241's contact assigns them there from today, then the reminder owed today reaches the chief and the contact within 60 s", async () => {
    const contact = await signIn(PRIMARY);
    const started = Date.now();
    const r = await contact.post('/api/officers/N1/assignments', {
      json: { districtId: 'ISD241', role: 'REGULAR', startDate: today },
    });
    expect(r.status, r.text).toBe(201);
    const reminders = await until('DEADLINE_REMINDER to the chief and the contact', 60_000, () => {
      const got = alertsOf('DEADLINE_REMINDER', 'N1');
      return got.length >= 2 && got;
    });
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(new Set(reminders.map((m) => m.to))).toEqual(new Set([CHIEF, PRIMARY]));
    expect((await contact.get('/api/officers/N1')).json()).toMatchObject({ status: 'DUE', dueDate: today });
  });

  it('given a scan that found no chief e-mail for an OVERDUE officer, when an admin gives the agency one, then the escalation owed reaches the new chief within 60 s', async () => {
    await pipeline.scan(today);
    const nobody = (await pipeline.ledger()).filter(
      (l) => l.kind === 'DEADLINE_MISSED' && l.alert_key.includes(':U1:'),
    );
    expect(nobody).toMatchObject([{ status: 'FAILED', last_error: expect.stringMatching(/^NO_CONTACT_ON_FILE/) }]);
    expect(alertsOf('DEADLINE_MISSED', 'U1')).toHaveLength(0);

    const admin = await signIn(ADMIN);
    const started = Date.now();
    const r = await admin.patch('/api/agencies/AU', { json: { chief: { name: 'Chief Sam Hall', email: NEW_CHIEF } } });
    expect(r.status, r.text).toBe(200);
    const [missed] = await until('DEADLINE_MISSED to the new chief', 60_000, () => {
      const got = alertsOf('DEADLINE_MISSED', 'U1');
      return got.length >= 1 && got;
    });
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(missed!.to).toBe(NEW_CHIEF);
  });
});
