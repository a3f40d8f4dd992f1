// The roster upload (INTERFACE.md `POST /api/imports`, issue 14 item 7): admins send a JSON
// roster or a roster folder's CSV files; the same streamed, all-or-nothing import as
// `sro import`, audited with the admin as actor; and its page, without JavaScript. A real
// console on its own database, Redis prefix and SMTP.
import { readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../../src/db/pool.ts';
import { databaseFingerprint } from '../helpers/db.ts';
import { type ConsoleRig, type WebClient, type WebResponse, startConsoleRig } from '../helpers/console.ts';
import { ADMIN, ALBERT_LEA, CHIEF } from '../helpers/console-fixtures.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'rosters');

/** The console's own roster: an admin and a chief who can sign in. */
const ROSTER = {
  agencies: [ALBERT_LEA],
  officers: [{ license: 'T1', firstName: 'Dana', lastName: 'Olson', email: null, agencyId: 'MN0240100' }],
};

let rig: ConsoleRig;
let pool: pg.Pool;
let admin: WebClient;
let chief: WebClient;

type Upload = { name: string; bytes: Buffer | string };

/**
 * A multipart POST of `files` (each under the field `roster`, as the page's picker sends them)
 * and `fields`; the CSRF token in the header (the API), the body's first field (the page's form),
 * the query (refused: a token never travels in an address) or nowhere.
 */
async function upload(
  client: WebClient,
  path: string,
  files: Upload[],
  fields: Record<string, string> = {},
  csrf: 'header' | 'field' | 'query' | 'none' = 'header',
): Promise<WebResponse> {
  const form = new FormData();
  const token = await client.csrfToken();
  if (csrf === 'field') form.append('_csrf', token);
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of files) form.append('roster', new Blob([f.bytes]), f.name);
  const headers: Record<string, string> = { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
  if (csrf === 'header') headers['x-csrf-token'] = token;
  const url = new URL(path, client.baseUrl);
  if (csrf === 'query') url.searchParams.set('_csrf', token);
  const res = await fetch(url, { method: 'POST', headers, body: form, redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: <T>() => JSON.parse(text) as T };
}

const validJson = async (): Promise<Upload> => ({
  name: 'valid.json',
  bytes: await readFile(join(FIXTURES, 'valid.json')),
});
const validCsv = async (): Promise<Upload[]> => {
  const dir = join(FIXTURES, 'valid-csv');
  return Promise.all((await readdir(dir)).map(async (name) => ({ name, bytes: await readFile(join(dir, name)) })));
};

const officers = async () =>
  (await pool.query<{ license: string }>('SELECT license FROM officer ORDER BY license')).rows.map((r) => r.license);
const importEvents = async () =>
  (
    await pool.query<{ actor: string; action: string; after: { path: string; replace: boolean } }>(
      `SELECT actor, action, after FROM audit_event WHERE action LIKE 'import%' ORDER BY id`,
    )
  ).rows;
/** Upload folders left in the temporary folder (each is removed after its request). */
const uploadDirs = async () => (await readdir(tmpdir())).filter((n) => n.startsWith('sro-upload-'));

beforeAll(async () => {
  rig = await startConsoleRig('imports', {
    ADMIN_EMAILS: ADMIN,
    LOGIN_LIMIT_PER_CLIENT: '1000',
    LOGIN_LIMIT_PER_ADDRESS: '100',
  });
  await rig.load(ROSTER);
  pool = createPool(rig.config.databaseUrl);
  admin = await rig.signIn(ADMIN);
  chief = await rig.signIn(CHIEF);
});
afterAll(async () => {
  await pool?.end();
  await rig?.close();
});

describe('POST /api/imports (admins)', () => {
  it('given a dry run of a JSON roster, then 200 with the counts it would make, and nothing is written', async () => {
    const before = await databaseFingerprint(rig.config.databaseUrl);
    const r = await upload(admin, '/api/imports', [await validJson()], { dryRun: 'true', replace: 'false' });
    expect(r.status, r.text).toBe(200);
    const body = r.json<{ path: string; replace: boolean; dryRun: boolean; counts: Record<string, unknown> }>();
    expect(body).toMatchObject({ path: 'valid.json', replace: false, dryRun: true });
    expect(body.counts.officers).toEqual({ created: 3, updated: 0, unchanged: 0, deleted: 0 });
    expect(Object.keys(body.counts)).toEqual([
      'agencies',
      'districts',
      'districtContacts',
      'officers',
      'assignments',
      'trainings',
      'policyReviews',
      'contactDays',
    ]);
    expect(await databaseFingerprint(rig.config.databaseUrl)).toEqual(before);
  });

  it('given the CSV files of a roster folder, then they are imported (200, counts as sro import --json), audited with the admin as actor, and the upload folder is gone', async () => {
    const r = await upload(admin, '/api/imports', await validCsv());
    expect(r.status, r.text).toBe(200);
    const body = r.json<{ dryRun: boolean; counts: Record<string, { created: number }> }>();
    expect(body.dryRun).toBe(false);
    expect(body.counts.officers!.created).toBe(3);
    expect(await officers()).toEqual(['12345', '23456', '34567', 'T1']);
    const events = await importEvents();
    expect(events.at(-1)).toMatchObject({ actor: ADMIN, action: 'import', after: { replace: false } });
    expect(events.at(-1)!.after.path).toContain('officers.csv');
    expect(await uploadDirs()).toEqual([]);
  });

  it('given a CSV file with a bad row, then 400 with file, row and field, and nothing is written', async () => {
    const before = await databaseFingerprint(rig.config.databaseUrl);
    const files = await validCsv();
    const officersCsv = files.find((f) => f.name === 'officers.csv')!;
    officersCsv.bytes = `${officersCsv.bytes.toString().trimEnd()}\n45678,Pat,Lund,pat@,MN0240100\n`;
    const r = await upload(admin, '/api/imports', files, { replace: 'true' });
    expect(r.status, r.text).toBe(400);
    expect(r.json<{ errors: unknown[] }>().errors).toEqual([
      expect.objectContaining({
        file: 'officers.csv',
        row: 5,
        field: 'email',
        problem: expect.stringContaining('pat@'),
      }),
    ]);
    expect(await databaseFingerprint(rig.config.databaseUrl)).toEqual(before);
  });

  it('given no file, a .txt file, or a JSON roster beside CSV files, then 400 naming the upload', async () => {
    const none = await upload(admin, '/api/imports', [], { dryRun: 'true' });
    expect(none.status).toBe(400);
    expect(none.json<{ errors: { field: string; problem: string }[] }>().errors[0]).toMatchObject({
      field: 'roster',
      problem: expect.stringContaining('no roster file'),
    });
    const txt = await upload(admin, '/api/imports', [{ name: 'roster.txt', bytes: 'x' }]);
    expect(txt.status).toBe(400);
    expect(txt.json<{ errors: { file: string }[] }>().errors[0]!.file).toBe('roster.txt');
    const both = await upload(admin, '/api/imports', [await validJson(), ...(await validCsv())]);
    expect(both.status).toBe(400);
    const flag = await upload(admin, '/api/imports', [await validJson()], { dryRun: 'yes' });
    expect(flag.status).toBe(400);
    expect(flag.json<{ errors: { field: string }[] }>().errors[0]!.field).toBe('dryRun');
  });

  it('given another import holding the import lock, then 409 saying so, and nothing is written', async () => {
    const c = new pg.Client({ connectionString: rig.config.databaseUrl });
    await c.connect();
    try {
      await c.query('BEGIN');
      await c.query('SELECT pg_advisory_xact_lock(4626848, 2)');
      const r = await upload(admin, '/api/imports', [await validJson()]);
      expect(r.status, r.text).toBe(409);
      expect(r.json<{ error: string }>().error).toContain('another import is running');
    } finally {
      await c.query('ROLLBACK');
      await c.end();
    }
  });

  it('given a chief, then 404 (as for a page that does not exist), and nothing is written', async () => {
    const before = await databaseFingerprint(rig.config.databaseUrl);
    const r = await upload(chief, '/api/imports', [await validJson()]);
    expect(r.status).toBe(404);
    expect(await databaseFingerprint(rig.config.databaseUrl)).toEqual(before);
    expect((await chief.get('/imports')).status).toBe(404);
  });

  it('given no CSRF token, then 403 and nothing is written', async () => {
    const before = await databaseFingerprint(rig.config.databaseUrl);
    const r = await upload(admin, '/api/imports', [await validJson()], {}, 'none');
    expect(r.status).toBe(403);
    const page = await upload(admin, '/imports', [await validJson()], {}, 'none');
    expect(page.status).toBe(403);
    expect(await databaseFingerprint(rig.config.databaseUrl)).toEqual(before);
  });
});

describe('the /imports page (admins)', () => {
  it('shows a file picker (several .json or .csv files), replace and dry-run checkboxes, in a multipart form whose first field is the CSRF token (never in its address)', async () => {
    const r = await admin.get('/imports');
    expect(r.status).toBe(200);
    expect(r.text).toContain('type="file" id="import-roster" name="roster" multiple');
    expect(r.text).toContain('accept=".json,.csv');
    expect(r.text).toContain('name="replace" value="true"');
    expect(r.text).toMatch(/name="dryRun" value="true" checked/);
    expect(r.text).toMatch(
      /action="\/imports" enctype="multipart\/form-data" novalidate>\s*<input type="hidden" name="_csrf" value="[^"]+">/,
    );
    expect(r.text).not.toContain('_csrf=');
    expect(r.text).toContain('enctype="multipart/form-data"');
  });

  it('given the token in the address instead of the form, then 403 and nothing is written', async () => {
    const before = await databaseFingerprint(rig.config.databaseUrl);
    const r = await upload(admin, '/imports', [await validJson()], { dryRun: 'false', replace: 'false' }, 'query');
    expect(r.status).toBe(403);
    expect(await databaseFingerprint(rig.config.databaseUrl)).toEqual(before);
  });

  it('given a dry run posted as the form does (token its first field), then the page shows the counts table, and nothing is written', async () => {
    const before = await databaseFingerprint(rig.config.databaseUrl);
    const r = await upload(admin, '/imports', [await validJson()], { dryRun: 'true', replace: 'true' }, 'field');
    expect(r.status, r.text).toBe(200);
    expect(r.text).toContain('Dry run of valid.json (replace)');
    expect(r.text).toMatch(/<th scope="row" data-label="Section">officers<\/th><td data-label="Created">0<\/td>/);
    expect(r.text).toMatch(/<th scope="row" data-label="Section">district contacts<\/th>/);
    // T1 (the console's own roster) is not in valid.json: it would be deleted.
    expect(r.text).toMatch(
      /officers<\/th><td data-label="Created">0<\/td><td data-label="Updated">0<\/td><td data-label="Unchanged">3<\/td><td data-label="Deleted">1<\/td>/,
    );
    expect(await databaseFingerprint(rig.config.databaseUrl)).toEqual(before);
  });

  it('given a bad roster, then the page lists every error as FILE:ROW: FIELD: problem (400), escaped', async () => {
    const r = await upload(
      admin,
      '/imports',
      [{ name: 'three-errors.json', bytes: await readFile(join(FIXTURES, 'three-errors.json')) }],
      {},
      'field',
    );
    expect(r.status).toBe(400);
    expect(r.text).toContain('Nothing was imported: 3 errors');
    expect(r.text).toMatch(/<li><code>three-errors\.json:\d+: [a-zA-Z]+\[\d+\]\.\w+: /);
    const evil = await upload(
      admin,
      '/imports',
      [{ name: 'x.json', bytes: '{"officers": [{"license": "<img src=x>"}]}' }],
      {},
      'field',
    );
    expect(evil.status).toBe(400);
    expect(evil.text).not.toContain('<img src=x>');
  });
});
