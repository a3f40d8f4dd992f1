// The roster upload says everything at once (INTERFACE.md "Imports that say everything at once",
// issue 20 item 5): POST /api/imports and the /imports page list every problem of a roster in
// one answer; a dry run lists who would be created, changed and deleted (the page the first
// 200 of each list, and how many more); the page's messages speak of its own boxes, not of the
// command line's flags; and the page offers a CSV template per section. A real console on its
// own database, Redis prefix and SMTP.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFingerprint, queryRows } from '../helpers/db.ts';
import { type ConsoleRig, type WebClient, type WebResponse, startConsoleRig } from '../helpers/console.ts';
import { ADMIN, ALBERT_LEA } from '../helpers/console-fixtures.ts';

const VALID_CSV = join(import.meta.dirname, '..', 'fixtures', 'rosters', 'valid-csv');
const SECTIONS = [
  'agencies',
  'districts',
  'district_contacts',
  'officers',
  'assignments',
  'trainings',
  'policy_reviews',
  'contact_days',
];

let rig: ConsoleRig;
let admin: WebClient;

beforeAll(async () => {
  rig = await startConsoleRig('imports-at-once', { ADMIN_EMAILS: ADMIN, LOGIN_LIMIT_PER_CLIENT: '1000' });
  await rig.load({ agencies: [ALBERT_LEA], officers: [] });
  admin = await rig.signIn(ADMIN);
});
afterAll(async () => {
  await rig?.close();
});

type Upload = { name: string; bytes: Buffer | string };

/** The valid CSV folder's files, those named in `edits` as their function makes them (null: not sent). */
async function files(edits: Record<string, (text: string) => string | null> = {}): Promise<Upload[]> {
  const out: Upload[] = [];
  for (const name of await readdir(VALID_CSV)) {
    const text = await readFile(join(VALID_CSV, name), 'utf8');
    const made = edits[name] ? edits[name](text) : text;
    if (made !== null) out.push({ name, bytes: made });
  }
  return out;
}

/** A multipart POST of `uploads` (each under `roster`, as the page's picker sends them) and `fields` (a list: sent repeated). */
async function upload(
  path: '/api/imports' | '/imports',
  uploads: Upload[],
  fields: Record<string, string | string[]> = {},
): Promise<WebResponse> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) form.append(k, one);
  for (const f of uploads) form.append('roster', new Blob([f.bytes]), f.name);
  const token = await admin.csrfToken();
  const url = new URL(path, admin.baseUrl);
  url.searchParams.set('_csrf', token);
  const res = await fetch(url, {
    method: 'POST',
    headers: { cookie: [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-csrf-token': token },
    body: form,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: <T>() => JSON.parse(text) as T };
}

const threeProblems = () =>
  files({
    'officers.csv': (text) =>
      `${text}45678,Pat,Lund,pat@,MN0240100\n56789,Lee,Berg,,MN9999999\n12345,Dana,Again,,MN0240100\n`,
  });

const officerCount = async () =>
  Number((await queryRows<{ n: string }>(rig.config.databaseUrl, 'SELECT count(*) AS n FROM officer'))[0]!.n);

describe('POST /api/imports and the /imports page list every problem at once', () => {
  it('given a bad e-mail, an unknown agency and a duplicate license, then 400 lists all three as {file, row, field, problem}, and nothing is written', async () => {
    const before = await databaseFingerprint(rig.config.databaseUrl);
    const r = await upload('/api/imports', await threeProblems());
    expect(r.status, r.text).toBe(400);
    const body = r.json<{ errors: Record<string, unknown>[]; totalErrors: number }>();
    expect(body.errors.map(({ file, row, field, problem }) => ({ file, row, field, problem }))).toEqual([
      { file: 'officers.csv', row: 5, field: 'email', problem: '"pat@" is not an e-mail address' },
      {
        file: 'officers.csv',
        row: 6,
        field: 'agency_id',
        problem: 'no agency "MN9999999" in the roster or the database',
      },
      { file: 'officers.csv', row: 7, field: 'license', problem: 'duplicate officer license "12345": same as line 2' },
    ]);
    expect(body.totalErrors).toBe(3);
    expect(await databaseFingerprint(rig.config.databaseUrl)).toEqual(before);
  });

  it('given the same files on the page, then it lists the three lines', async () => {
    const r = await upload('/imports', await threeProblems());
    expect(r.status).toBe(400);
    expect(r.text).toContain('Nothing was imported: 3 errors');
    expect(r.text).toContain('<li><code>officers.csv:5: email: &quot;pat@&quot; is not an e-mail address</code></li>');
    expect(r.text).toContain(
      '<li><code>officers.csv:6: agency_id: no agency &quot;MN9999999&quot; in the roster or the database</code></li>',
    );
    expect(r.text).toContain(
      '<li><code>officers.csv:7: license: duplicate officer license &quot;12345&quot;: same as line 2</code></li>',
    );
  });
});

describe('a dry run lists who would change', () => {
  it('given a dry run through the API, then the answer lists the changes per section beside the counts', async () => {
    const before = await databaseFingerprint(rig.config.databaseUrl);
    const r = await upload('/api/imports', await files(), { dryRun: 'true', replace: 'true' });
    expect(r.status, r.text).toBe(200);
    const body = r.json<{
      counts: Record<string, { created: number }>;
      changes: Record<string, { created: { key: unknown; name?: string }[]; unlisted: object }>;
    }>();
    expect(body.changes.officers!.created).toEqual([
      { key: '12345', name: 'Dana Olson' },
      { key: '23456', name: 'Miguel Reyes' },
      { key: '34567', name: 'Jo Lindqvist' },
    ]);
    expect(body.changes.agencies).toMatchObject({
      created: [{ key: 'MN0240000', name: "Freeborn County Sheriff's Office" }],
      updated: [{ key: 'MN0240100', fields: { chiefName: ['Chief Morgan Ellis', 'Chief Ruth Anders'] } }],
    });
    expect(await databaseFingerprint(rig.config.databaseUrl)).toEqual(before);
  });

  it('given a dry run of 205 new officers on the page, then it shows the first 200 and counts the other 5', async () => {
    const more = Array.from({ length: 205 }, (_, i) => `P${String(i + 1).padStart(3, '0')},Ana,Lund,,MN0240100\n`);
    const r = await upload('/imports', await files({ 'officers.csv': (text) => `${text}${more.join('')}` }), {
      dryRun: 'true',
    });
    expect(r.status, r.text).toBe(200);
    expect(r.text).toContain('<h2 id="import-changes-h">Who would change</h2>');
    expect(r.text).toContain('<summary>Would be created: 208</summary>');
    expect(r.text).toContain('<li>12345 (Dana Olson)</li>');
    expect(r.text).toContain('<li>P197 (Ana Lund)</li>');
    expect(r.text).not.toContain('<li>P198 (Ana Lund)</li>');
    expect(r.text).toContain('And 8 more, not listed (the page lists the first 200).');
    expect(await officerCount()).toBe(0);
  });
});

describe("the page's words are the page's", () => {
  it('given Replace without agencies.csv, then the page says to tick its box, the API names its field, and neither names a flag', async () => {
    const withoutAgencies = await files({ 'agencies.csv': () => null });
    const page = await upload('/imports', withoutAgencies, { replace: 'true', dryRun: 'true' });
    expect(page.status).toBe(400);
    expect(page.text).toContain(
      'agencies.csv: was not sent, so with &#39;Replace&#39; ticked the import would delete the 1 agency in the database; send the file (its header row alone empties the section), or tick &#39;Allow emptying agencies&#39; to empty it',
    );
    expect(page.text).toMatch(
      /<details open>\s*<summary>Let Replace empty a section whose file is not sent<\/summary>/,
    );
    expect(page.text).toContain('<label for="import-allowEmpty-agencies">Allow emptying agencies</label>');
    // No CLI flag in the page's words (the CSRF tokens' random characters may hold '--').
    expect(page.text.replace(/name="_csrf" value="[^"]*"/g, '')).not.toMatch(/--[a-z]/);

    const api = await upload('/api/imports', withoutAgencies, { replace: 'true', dryRun: 'true' });
    expect(api.status).toBe(400);
    const problems = api.json<{ errors: { file: string; problem: string }[] }>().errors;
    expect(problems.find((e) => e.file === 'agencies.csv')!.problem).toContain(
      'or add agencies to the field allowEmpty to empty it',
    );
    expect(api.text).not.toMatch(/--[a-z]/);
  });

  it('given the box ticked, then the dry run goes through and says the agency would be deleted', async () => {
    const r = await upload('/imports', await files({ 'agencies.csv': () => null }), {
      replace: 'true',
      dryRun: 'true',
      allowEmpty: 'agencies',
    });
    // The roster's officers name agencies the roster no longer holds: listed, with the page's words.
    expect(r.status).toBe(400);
    expect(r.text).toContain(
      'no agency &quot;MN0240100&quot; in the roster (with &#39;Replace&#39; ticked, everything referenced must be in the roster)',
    );
    expect(r.text).toMatch(/name="allowEmpty" value="agencies" checked/);
    const api = await upload('/api/imports', [], { allowEmpty: ['agencies', 'no_such_section'] });
    expect(api.status).toBe(400);
    expect(api.json<{ errors: { field: string; problem: string }[] }>().errors).toContainEqual(
      expect.objectContaining({
        field: 'allowEmpty',
        problem: expect.stringContaining('"no_such_section" is not a section'),
      }),
    );
  });
});

describe('CSV templates', () => {
  it('offers a template per section on the page, each its header row and one example row', async () => {
    const page = await admin.get('/imports');
    for (const s of SECTIONS)
      expect(page.text).toContain(`<a href="/imports/templates/${s}.csv" download>${s}.csv</a>`);
    const r = await admin.get('/imports/templates/assignments.csv');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(r.headers.get('content-disposition')).toBe('attachment; filename="assignments.csv"');
    expect(r.text).toBe(
      'license,district_id,school,role,start_date,end_date,training_unavailable\r\n12345,ISD241,Albert Lea High School,REGULAR,8/25/2025,,no\r\n',
    );
    expect((await admin.get('/imports/templates/roster.csv')).status).toBe(404);
  });

  it('given the eight templates uploaded as they are, then they import: one agency, district, contact, officer and their facts', async () => {
    const templates = await Promise.all(
      SECTIONS.map(async (s) => ({ name: `${s}.csv`, bytes: (await admin.get(`/imports/templates/${s}.csv`)).text })),
    );
    const r = await upload('/api/imports', templates, { dryRun: 'true' });
    expect(r.status, r.text).toBe(200);
    const counts = r.json<{ counts: Record<string, { created: number; updated: number; unchanged: number }> }>().counts;
    expect(Object.values(counts).map((c) => c.created + c.updated + c.unchanged)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
  });
});
