// RULES.md 9 in the console (INTERFACE.md "Keeping the directory in the console", contact days):
// `POST /api/officers/:license/contact-days` answers 400 naming each Saturday, Sunday, legal
// holiday or day the district lists without school, unless the body has
// `"confirmNonSchoolDays": true`; the officer page's form names the days, keeps what was typed
// and asks again with a box that records them anyway. Real PostgreSQL, Redis and HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { civilDateIn } from '../../src/shell/clock.ts';
import { addDays } from '../../src/domain/civil-date.ts';
import { type ConsoleRig, type WebClient, startConsoleRig } from '../helpers/console.ts';
import { ADMIN, CHIEF, CONTACT, albertLeaRoster } from '../helpers/console-fixtures.ts';
import { queryRows } from '../helpers/db.ts';

const today = civilDateIn('America/Chicago');

let rig: ConsoleRig;
let admin: WebClient;
let chief: WebClient;
let contact: WebClient;

const days = async (license: string) =>
  (
    await queryRows<{ date: string }>(
      rig.config.databaseUrl,
      `SELECT to_char(date, 'YYYY-MM-DD') AS date FROM contact_day WHERE license = '${license}' ORDER BY date`,
    )
  ).map((r) => r.date);

beforeAll(async () => {
  rig = await startConsoleRig('non-school-days', { ADMIN_EMAILS: ADMIN, LOGIN_LIMIT_PER_CLIENT: '1000' });
  await rig.load(albertLeaRoster(addDays(today, -20), ['T1', 'T2', 'S1']));
  [admin, chief, contact] = await Promise.all([rig.signIn(ADMIN), rig.signIn(CHIEF), rig.signIn(CONTACT)]);
  // The district's own days without school, kept through the directory (RULES.md 11).
  const r = await admin.patch('/api/districts/ISD241', { json: { nonSchoolDays: ['2026-12-28', '2026-12-29'] } });
  expect(r.status, r.text).toBe(200);
});
afterAll(async () => {
  await rig?.close();
});

describe('RULES.md 9: POST /api/officers/:license/contact-days', () => {
  it('given a Saturday, a holiday and a district day among school days, then 400 names each day by its field and nothing is recorded', async () => {
    const r = await contact.post('/api/officers/S1/contact-days', {
      json: { districtId: 'ISD241', dates: ['2026-12-04', '2026-12-05', '2026-12-25', '2026-12-28'] },
    });
    expect(r.status, r.text).toBe(400);
    expect(r.json()).toEqual({
      errors: [
        {
          field: 'dates.1',
          problem: 'Saturday 2026-12-05 is not a school day; send "confirmNonSchoolDays": true to record it anyway',
        },
        {
          field: 'dates.2',
          problem:
            'Friday 2026-12-25 is Christmas Day, a legal holiday, not a school day; send "confirmNonSchoolDays": true to record it anyway',
        },
        {
          field: 'dates.3',
          problem:
            'Monday 2026-12-28 is a day without school in Albert Lea Area Schools; send "confirmNonSchoolDays": true to record it anyway',
        },
      ],
    });
    expect(await days('S1')).toEqual([]);
  });

  it('given the same days with "confirmNonSchoolDays": true, then 201 and every day is recorded', async () => {
    const r = await chief.post('/api/officers/S1/contact-days', {
      json: {
        districtId: 'ISD241',
        dates: ['2026-12-04', '2026-12-05', '2026-12-25', '2026-12-28'],
        confirmNonSchoolDays: true,
      },
    });
    expect(r.status, r.text).toBe(201);
    expect(r.json()).toEqual({ added: ['2026-12-04', '2026-12-05', '2026-12-25', '2026-12-28'], alreadyRecorded: [] });
    expect(await days('S1')).toEqual(['2026-12-04', '2026-12-05', '2026-12-25', '2026-12-28']);
  });

  it('given "confirmNonSchoolDays": "yes", then 400 names the field; a weekday alone needs no confirmation', async () => {
    const bad = await contact.post('/api/officers/T2/contact-days', {
      json: { districtId: 'ISD241', dates: ['2026-12-06'], confirmNonSchoolDays: 'yes' },
    });
    expect(bad.status).toBe(400);
    expect(bad.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toEqual(['confirmNonSchoolDays']);
    const weekday = await contact.post('/api/officers/T2/contact-days', {
      json: { districtId: 'ISD241', dates: ['2026-12-30'] },
    });
    expect(weekday.status, weekday.text).toBe(201);
    expect(await days('T2')).toEqual(['2026-12-30']);
  });

  it('deleting a contact day on a Saturday asks nothing', async () => {
    const r = await chief.post('/api/officers/S1/contact-days/delete', {
      json: { districtId: 'ISD241', dates: ['2026-12-05'] },
    });
    expect(r.status, r.text).toBe(200);
    expect(await days('S1')).not.toContain('2026-12-05');
  });
});

describe('RULES.md 9: the contact-days form asks again', () => {
  it('names the days without school next to their inputs, keeps what was typed, and shows the box; ticked, it records them', async () => {
    // S1, a substitute: the page offers the contact-days form for substitutes only.
    const before = await days('S1');
    const form = { districtId: 'ISD241', dates: ['2026-12-07', '', '2026-12-12', '2026-12-29'] };
    const first = await contact.post('/officers/S1/contact-days', { form });
    expect(first.status).toBe(400);
    // Each day named in words next to the input it was typed in (Day 3 and Day 4), the values kept.
    expect(first.text).toContain(
      'id="days-dates-2-error"><span class="visually-hidden">Error: </span>Saturday 2026-12-12 is not a school day</p>',
    );
    expect(first.text).toContain('Tuesday 2026-12-29 is a day without school in Albert Lea Area Schools');
    expect(first.text).toMatch(/id="days-dates-0"[^>]*value="2026-12-07"/);
    expect(first.text).toMatch(/id="days-dates-3"[^>]*value="2026-12-29"/);
    expect(first.text).toMatch(/<a href="#days-dates-2">Day 3: Saturday 2026-12-12 is not a school day<\/a>/);
    expect(first.text).toMatch(
      /<input type="checkbox" id="days-confirmNonSchoolDays" name="confirmNonSchoolDays" value="yes"/,
    );
    expect(first.text).toContain('Record these days anyway: the officer did serve on them');
    expect(await days('S1')).toEqual(before);

    const again = await contact.post('/officers/S1/contact-days', { form: { ...form, confirmNonSchoolDays: 'yes' } });
    expect(again.status, again.text).toBe(303);
    expect(again.headers.get('location')).toBe('/officers/S1?done=contact-days&added=3&already=0');
    expect(await days('S1')).toEqual([...before, '2026-12-07', '2026-12-12', '2026-12-29'].sort());
  });

  it('a form with school days only records them at once, with no box', async () => {
    const r = await contact.post('/officers/S1/contact-days', { form: { districtId: 'ISD241', dates: '2026-12-08' } });
    expect(r.status).toBe(303);
    const page = await contact.get('/officers/S1');
    expect(page.text).not.toContain('days-confirmNonSchoolDays');
  });
});
