// RULES.md 8 "A deadline is an obligation; its due date may be corrected": a substitute SRO
// reached the 60th contact day of the school year untrained and was sent the first overdue
// notice (level 1); the district's SRO contact then records a contact day that had been
// forgotten, which moves the 60th day one day earlier. The worker re-evaluates the officer at
// once and must not send a second first overdue notice; the next step (level 2, due seven
// days after the new first overdue day) says the due date was corrected, from what, by which
// recorded fact and by whom. A real console and worker runtime on one database, one Redis
// prefix, one SMTP receiver.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { weeklyDigestJob } from '../../jobs/weekly-digest.ts';
import { runJobToCompletion } from '../../src/worker/run-once.ts';
import { type CivilDate, addDays } from '../../src/domain/civil-date.ts';
import { isBusinessDay } from '../../src/domain/holidays.ts';
import { civilDateIn } from '../../src/shell/clock.ts';
import { silentLogger } from '../../src/shell/log.ts';
import { type RunningConsole, startConsole } from '../../src/web/start.ts';
import { HAS_CHROMIUM, axeViolations, launchChromium, warnWithoutChromium } from '../helpers/browser.ts';
import type { WebClient } from '../helpers/console.ts';
import { type Pipeline, startPipeline } from '../helpers/pipeline.ts';
import { signInByMail } from '../helpers/mail-sign-in.ts';
import type { ReceivedMail } from '../helpers/smtp.ts';

const CHIEF = 'chief@albert-lea.example';
const AGENCY_ESCALATION = 'deputy@albert-lea.example';
const PRIMARY = 'sro@isd241.example';
const SUPERINTENDENT = 'superintendent@isd241.example';

const today = civilDateIn('America/Chicago');

/** The business day before `d` (contact days fall on school days, RULES.md 9). */
function businessDayBefore(d: CivilDate): CivilDate {
  let x = addDays(d, -1);
  while (!isBusinessDay(x)) x = addDays(x, -1);
  return x;
}

// The 60th served day X: the latest business day at least two days ago whose previous day is a
// business day too, so that one more day served before it makes the 60th day X − 1.
let X = addDays(today, -2);
while (!isBusinessDay(X) || !isBusinessDay(addDays(X, -1))) X = addDays(X, -1);
const NEW_DUE = addDays(X, -1);
// 61 business days ending on X; the 31st from the end (FORGOTTEN) was not recorded.
const days: CivilDate[] = [X];
while (days.length < 61) days.unshift(businessDayBefore(days[0]!));
const FORGOTTEN = days[30]!;
const SERVED = days.filter((d) => d !== FORGOTTEN);
// The school year starts before the first day served, whatever day the test runs on.
const FIRST = days[0]!;
const SCHOOL_YEAR_START = addDays(FIRST, -7).slice(5);

const ROSTER = {
  agencies: [
    {
      id: 'MN0240100',
      name: 'Albert Lea Police Department',
      chief: { name: 'Chief Morgan Ellis', email: CHIEF },
      escalationEmails: [AGENCY_ESCALATION],
    },
  ],
  districts: [
    {
      id: 'ISD241',
      name: 'Albert Lea Area Schools',
      kind: 'DISTRICT',
      contacts: [
        { name: 'Pat Reyes', email: PRIMARY, role: 'PRIMARY' },
        { name: 'Dr. Jo Lind', email: SUPERINTENDENT, role: 'ESCALATION' },
      ],
    },
  ],
  officers: [{ license: 'S1', firstName: 'Sam', lastName: 'Vang', email: null, agencyId: 'MN0240100' }],
  assignments: [{ license: 'S1', districtId: 'ISD241', role: 'SUBSTITUTE', startDate: FIRST, endDate: null }],
  contactDays: SERVED.map((date) => ({ license: 'S1', districtId: 'ISD241', date })),
};

warnWithoutChromium('obligation-corrected.test.ts', 'The axe-core check of the corrected due date on the officer page');

let pipeline: Pipeline;
let web: RunningConsole;
let contact: WebClient;
const said = `The due date was corrected from ${X} to ${NEW_DUE}: a contact day on ${FORGOTTEN} was recorded by ${PRIMARY} on ${today}.`;

const overdueNotices = (level: number): ReceivedMail[] =>
  pipeline.smtp.received.filter(
    (m) => m.kind === 'DEADLINE_MISSED' && new RegExp(`escalation level ${level}\\b`).test(m.parsed.subject ?? ''),
  );

const signIn = (email: string): Promise<WebClient> => signInByMail(web.url, pipeline.smtp.received, email);

beforeAll(async () => {
  pipeline = await startPipeline('obligation-corrected', { SCHOOL_YEAR_START });
  await pipeline.load(ROSTER);
  web = await startConsole(
    {
      ...pipeline.config,
      webHost: '127.0.0.1',
      webPort: 0,
      secretKey: randomBytes(32).toString('base64url'),
      adminEmails: [],
    },
    silentLogger,
  );
});
afterAll(async () => {
  await web?.close();
  await pipeline?.close();
});

describe('RULES.md 8: a contact day that moves a substitute’s 60th day', () => {
  it('given level 1 sent for the 60th day, when the district contact records a forgotten day (60th day one day earlier), then no second level 1, and level 2 says the due date was corrected', async () => {
    // Overdue since X + 1: the first overdue notice goes to the chief and the district contact.
    await pipeline.scan(today);
    expect(new Set(overdueNotices(1).map((m) => m.to))).toEqual(new Set([CHIEF, PRIMARY]));
    expect(overdueNotices(1)).toHaveLength(2);
    expect(overdueNotices(1)[0]!.parsed.text).toContain(X);

    contact = await signIn(PRIMARY);
    const recorded = await contact.post('/api/officers/S1/contact-days', {
      json: { districtId: 'ISD241', dates: [FORGOTTEN] },
    });
    expect(recorded.status, recorded.text).toBe(201);
    const detail = (await contact.get('/api/officers/S1')).json<{ dueDate: string; status: string }>();
    expect(detail).toMatchObject({ status: 'OVERDUE', dueDate: NEW_DUE });

    // The re-evaluation at once (the worker's officer scan), then today's scan again: the
    // ladder continues, and level 1 is not sent again for the corrected date.
    await new Promise((r) => setTimeout(r, 3000));
    await pipeline.scan(today);
    expect(overdueNotices(1)).toHaveLength(2);
    const ledger = await pipeline.ledger();
    expect(ledger.filter((r) => r.kind === 'DEADLINE_MISSED' && r.status !== 'SUPERSEDED')).toHaveLength(2);

    // The contact received level 1 for the old date: the deadline is still theirs to acknowledge.
    const ack = await contact.post('/api/officers/S1/acknowledgements', {
      json: { dueDate: NEW_DUE, note: 'Enrolled in the January course' },
    });
    expect(ack.status, ack.text).toBe(201);

    // Level 2 counts from the new first overdue day (X): seven days after it, one day earlier
    // than the old date would have sent it.
    await pipeline.scan(addDays(NEW_DUE, 8));
    const level2 = overdueNotices(2);
    expect(new Set(level2.map((m) => m.to))).toEqual(new Set([CHIEF, AGENCY_ESCALATION, PRIMARY, SUPERINTENDENT]));
    for (const m of level2) {
      expect(m.parsed.text).toContain(said);
      expect(m.parsed.html).toContain(`The due date was corrected from ${X} to ${NEW_DUE}`);
      expect(m.parsed.subject).toContain(NEW_DUE);
      expect(m.parsed.text).toContain(`Acknowledged by Pat Reyes on ${today}: Enrolled in the January course`);
    }
    // Said once: level 3 tells the new date without repeating the correction.
    await pipeline.scan(addDays(NEW_DUE, 31));
    const level3 = overdueNotices(3);
    expect(level3).toHaveLength(4);
    for (const m of level3) expect(m.parsed.text).not.toContain('The due date was corrected');
    expect(overdueNotices(1)).toHaveLength(2);
    expect(overdueNotices(2)).toHaveLength(4);
  });
});

describe('RULES.md 8: the officer page and the digest say so while the correction is recent (30 days)', () => {
  it('the officer page tells the correction near the status', async () => {
    const page = await contact.get('/officers/S1');
    expect(page.status).toBe(200);
    expect(page.text).toContain(said.replace(/'/g, '&#39;'));
    // Every time on the page is in TZ with its abbreviation (INTERFACE.md "Pages for people").
    const times = [...page.text.matchAll(/\b\d{4}-\d{2}-\d{2} \d{2}:\d{2}\b(?: [A-Z]{3,4})?/g)].map((m) => m[0]);
    expect(times.length).toBeGreaterThan(0);
    for (const t of times) expect(t).toMatch(/ C[SD]T$/);
  });

  it('the officer page still tells it as of 29 days after the change, and no longer as of 30 days after', async () => {
    const asOf = async (days: number) => (await contact.get(`/officers/S1?asOf=${addDays(today, days)}`)).text;
    expect(await asOf(29)).toContain(said.replace(/'/g, '&#39;'));
    const later = await asOf(30);
    expect(later).toContain(`Overdue</span> since ${addDays(NEW_DUE, 1)}`);
    expect(later).not.toContain('The due date was corrected');
  });

  it.skipIf(!HAS_CHROMIUM)('the sentence on the officer page passes axe-core at WCAG 2.1 AA', async () => {
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await context.addCookies(
        [...contact.cookies].map(([name, value]) => ({
          name,
          value,
          url: web.url,
          httpOnly: true,
          sameSite: 'Lax' as const,
        })),
      );
      const page = await context.newPage();
      await page.goto(new URL('/officers/S1', web.url).toString());
      expect(await page.locator('.due-date-correction').textContent()).toBe(said);
      if (process.env.SCREENSHOT_DIR)
        await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/officer-corrected.png`, fullPage: false });
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('the weekly digest entry of the officer tells it, and a digest 30 days after the change does not', async () => {
    const never = new AbortController().signal;
    await runJobToCompletion(pipeline.runtime, weeklyDigestJob, { asOf: today }, never);
    const digests = pipeline.smtp.received.filter((m) => m.kind === 'WEEKLY_DIGEST');
    expect(new Set(digests.map((m) => m.to))).toEqual(new Set([CHIEF, PRIMARY]));
    for (const m of digests) expect(m.parsed.text).toContain(said.replace(/\.$/, ''));

    await runJobToCompletion(pipeline.runtime, weeklyDigestJob, { asOf: addDays(today, 30) }, never);
    const later = pipeline.smtp.received.filter((m) => m.kind === 'WEEKLY_DIGEST').slice(digests.length);
    expect(later.length).toBeGreaterThan(0);
    for (const m of later) expect(m.parsed.text).not.toContain('The due date was corrected');
  });
});
