// The officer page's forms and the audit page over plain HTTP, as a browser without
// JavaScript sends them (INTERFACE.md "Console": pages work without JavaScript; every form
// carries its CSRF token): 303 back with a confirmation, 400 with the page again and the
// field named, 403 without a token and nothing written, the audit log's CSV export.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/civil-date.ts';
import { civilDateIn } from '../../src/shell/clock.ts';
import { type ConsoleRig, type WebClient, type WebResponse, hiddenField, startConsoleRig } from '../helpers/console.ts';
import { ADMIN, CHIEF, CONTACT, OFFICER, PDF, albertLeaRoster } from '../helpers/console-fixtures.ts';
import { queryRows } from '../helpers/db.ts';

const today = civilDateIn('America/Chicago');
const STARTED = addDays(today, -20);

const ROSTER = albertLeaRoster(STARTED, ['T1', 'T2', 'S1']);

let rig: ConsoleRig;
let admin: WebClient;
let chief: WebClient;
let contact: WebClient;
let officer: WebClient;

beforeAll(async () => {
  rig = await startConsoleRig('console-forms', {
    ADMIN_EMAILS: ADMIN,
    LOGIN_LIMIT_PER_CLIENT: '1000',
    LOGIN_LIMIT_PER_ADDRESS: '100',
  });
  await rig.load(ROSTER);
  [admin, chief, contact, officer] = await Promise.all([
    rig.signIn(ADMIN),
    rig.signIn(CHIEF),
    rig.signIn(CONTACT),
    rig.signIn(OFFICER),
  ]);
});
afterAll(() => rig?.close());

/** The officer page's CSRF token (the hidden field its forms carry). */
async function pageToken(client: WebClient, license: string): Promise<string> {
  return hiddenField((await client.get(`/officers/${license}`)).text, '_csrf');
}

/** The training form as the browser sends it: multipart, the token its first field (or none). */
async function postTrainingForm(
  client: WebClient,
  license: string,
  fields: Record<string, string>,
  options: { token?: string | false; file?: { name: string; type: string; bytes: Buffer }; userAgent?: string } = {},
): Promise<WebResponse> {
  const token = options.token === undefined ? await pageToken(client, license) : options.token;
  const form = new FormData();
  if (token) form.append('_csrf', token);
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append(
    'certificate',
    options.file ? new Blob([options.file.bytes], { type: options.file.type }) : new Blob([]),
    options.file?.name ?? '',
  );
  const headers: Record<string, string> = { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
  if (options.userAgent) headers['user-agent'] = options.userAgent;
  const res = await fetch(new URL(`/officers/${license}/trainings`, rig.url), {
    method: 'POST',
    headers,
    body: form,
    redirect: 'manual',
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: <T>() => JSON.parse(text) as T };
}

/** A urlencoded form with repeated fields (several `dates`), the page's token in `_csrf`. */
async function postPairs(client: WebClient, path: string, pairs: [string, string][]): Promise<WebResponse> {
  const body = new URLSearchParams([...pairs, ['_csrf', await client.csrfToken()]]).toString();
  const headers = {
    'content-type': 'application/x-www-form-urlencoded',
    cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
  };
  const res = await fetch(new URL(path, rig.url), { method: 'POST', headers, body, redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: <T>() => JSON.parse(text) as T };
}

async function state(): Promise<string> {
  const rows = await queryRows<{ s: string }>(
    rig.database.url,
    `SELECT concat_ws('|', (SELECT count(*) FROM training), (SELECT count(*) FROM policy_review),
       (SELECT count(*) FROM contact_day), (SELECT count(*) FROM certificate),
       (SELECT count(*) FROM acknowledgement), (SELECT count(*) FROM audit_event)) AS s`,
  );
  return rows[0]!.s;
}

describe('the forms refuse a POST without the CSRF token (403, nothing written)', () => {
  it('the training form (multipart) without the token, or with another client’s', async () => {
    const before = await state();
    for (const token of [false, await rig.client().csrfToken()] as const) {
      const r = await postTrainingForm(
        chief,
        'T1',
        { kind: 'SRO_MANDATED', completedOn: today },
        { token, file: { name: 'c.pdf', type: 'application/pdf', bytes: PDF } },
      );
      expect(r.status).toBe(403);
      expect(r.headers.get('content-type')).toMatch(/^text\/html/);
      expect(r.text).toMatch(/CSRF token/);
    }
    expect(await state()).toBe(before);
  });

  it('the policy review, contact days and acknowledgement forms without _csrf', async () => {
    const before = await state();
    for (const [path, form] of [
      ['/officers/T1/policy-reviews', { reviewedOn: today }],
      ['/officers/T1/contact-days', { districtId: 'ISD241', dates: today }],
      ['/officers/T1/acknowledgements', { dueDate: addDays(STARTED, 1), note: 'x' }],
    ] as const) {
      const r = await admin.post(path, { form, csrf: false });
      expect(r.status, path).toBe(403);
    }
    expect(await state()).toBe(before);
  });
});

describe('invalid input: the page again (400), the field named next to it, the values kept', () => {
  it('a training completed tomorrow', async () => {
    const before = await state();
    const tomorrow = addDays(today, 1);
    const r = await postTrainingForm(chief, 'T1', {
      kind: 'SRO_MANDATED',
      completedOn: tomorrow,
      courseNumber: 'POST-1234',
    });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    expect(r.text).toMatch(/<title>Error: /);
    const input = /<input type="date" id="training-completedOn"[^>]*>/.exec(r.text)?.[0] ?? '';
    expect(input).toContain('aria-invalid="true"');
    expect(input).toContain(`value="${tomorrow}"`);
    expect(input).toMatch(/aria-describedby="training-completedOn-hint training-completedOn-error"/);
    expect(r.text).toMatch(
      new RegExp(
        `id="training-completedOn-error"><span class="visually-hidden">Error: </span>${tomorrow} is after today`,
      ),
    );
    expect(r.text).toMatch(/id="training-courseNumber"[^>]*value="POST-1234"/);
    expect(r.text).toMatch(/<option value="SRO_MANDATED" selected>/);
    expect(await state()).toBe(before);
  });

  it('a contact day that is not a date names its input; the officer must tick the attestation', async () => {
    const bad = await postPairs(contact, '/officers/S1/contact-days', [
      ['districtId', 'ISD241'],
      ['dates', ''],
      ['dates', '2026-02-30'],
    ]);
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/id="days-dates-1"[^>]*aria-invalid="true"/);
    expect(bad.text).toMatch(/id="days-dates-1-error"/);
    const unticked = await officer.post('/officers/T1/policy-reviews', { form: { reviewedOn: today } });
    expect(unticked.status).toBe(400);
    expect(unticked.text).toMatch(/id="review-attest"[^>]*aria-invalid="true"/);
    expect(unticked.text).toContain('I have reviewed the SRO policy of Albert Lea Police Department and will comply');
  });
});

describe('a form that goes through: 303 back to the officer with a confirmation', () => {
  it('the chief records a training with its certificate; the page says so and shows it COMPLIANT', async () => {
    const r = await postTrainingForm(
      chief,
      'T2',
      { kind: 'SRO_MANDATED', completedOn: today, provider: 'MN POST Board' },
      { file: { name: 'certificate.pdf', type: 'application/pdf', bytes: PDF } },
    );
    expect(r.status, r.text.slice(0, 300)).toBe(303);
    expect(r.headers.get('location')).toBe('/officers/T2?done=training-certificate');
    const page = await chief.get('/officers/T2?done=training-certificate');
    expect(page.text).toMatch(/role="status"><p>The training and its certificate were recorded/);
    expect(page.text).toMatch(/class="badge tone-success">Compliant</);
    expect(page.text).toMatch(/on file \(download\)/);
  });

  it('a district contact may not record a training (403 page), and a file that is not a PDF is 415', async () => {
    const before = await state();
    const refused = await postTrainingForm(contact, 'T1', { kind: 'SRO_MANDATED', completedOn: today });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toMatch(/^text\/html/);
    expect(refused.text).toMatch(/Only the officer&#39;s chief and admins may record (or delete )?a training/);
    const exe = Buffer.concat([Buffer.from('7f454c46020101000000000000000000', 'hex'), Buffer.alloc(64)]);
    const wrong = await postTrainingForm(
      chief,
      'T1',
      { kind: 'SRO_MANDATED', completedOn: today },
      { file: { name: 'certificate.pdf', type: 'application/pdf', bytes: exe } },
    );
    expect(wrong.status).toBe(415);
    expect(wrong.headers.get('content-type')).toMatch(/^text\/html/);
    expect(wrong.text).toMatch(/The certificate must be a PDF, PNG or JPEG file/);
    expect(await state()).toBe(before);
  });
});

describe('the audit log: /audit and its CSV export', () => {
  it('the CSV is an attachment, and a cell a spreadsheet would read as a formula is defused', async () => {
    const evil = '=HYPERLINK("http://evil.example","click")';
    const r = await postTrainingForm(
      chief,
      'T1',
      { kind: 'SRO_SUPPLEMENTAL', completedOn: addDays(today, -1), courseNumber: '+1+1' },
      { userAgent: evil },
    );
    expect(r.status, r.text.slice(0, 300)).toBe(303);
    const csv = await admin.get('/audit.csv?license=T1&action=training');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('"at","actor","action","license","clientAddress","userAgent","before","after"');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(lines[1]).not.toMatch(/(^|,)"=/);
    expect(lines[1]).toContain(`"${CHIEF}","training.record","T1"`);
    // Only admins.
    expect((await chief.get('/audit.csv')).status).toBe(404);
  });

  it('the page lists the events newest first, filtered', async () => {
    const page = await admin.get(`/audit?actor=${encodeURIComponent('CHIEF@albert')}`);
    expect(page.status).toBe(200);
    // The log reads as sentences: the two trainings the chief recorded, and nothing else.
    const happened = [...page.text.matchAll(/<td data-label="What happened">([\s\S]*?)<\/td>/g)].map((m) =>
      (m[1] ?? '')
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .trim(),
    );
    expect(happened).toHaveLength(2);
    for (const line of happened) expect(line).toMatch(/ recorded (the|a) .+ for .+\. \(chief@albert-lea\.example\)$/i);
    expect(page.text).toMatch(/href="\/audit\.csv\?actor=CHIEF%40albert"/);
    expect((await admin.get('/audit?since=yesterday')).status).toBe(400);
    expect((await admin.get('/audit?license=NOBODY')).text).toMatch(/No event matches these filters/);
  });
});
