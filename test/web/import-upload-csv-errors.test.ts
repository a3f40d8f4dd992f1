// The roster upload (POST /api/imports) of CSV files csv-parse cannot read (issue 19, security
// 6 and 7): the same file that hung `sro import` in COPY used to leave the request without an
// answer, its transaction holding the import lock. Each is now 400 with the list of
// {file, row, field, problem}, at once, nothing written, and the next upload imports.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFingerprint } from '../helpers/db.ts';
import { type ConsoleRig, type WebClient, type WebResponse, startConsoleRig } from '../helpers/console.ts';
import { ADMIN, ALBERT_LEA } from '../helpers/console-fixtures.ts';

const VALID_CSV = join(import.meta.dirname, '..', 'fixtures', 'rosters', 'valid-csv');
const MIGUEL = '23456,Miguel,Reyes,,MN0240100';
const BOUND_MS = 15_000;

let rig: ConsoleRig;
let admin: WebClient;

beforeAll(async () => {
  rig = await startConsoleRig('import-upload-csv-errors', { ADMIN_EMAILS: ADMIN, LOGIN_LIMIT_PER_CLIENT: '1000' });
  await rig.load({ agencies: [ALBERT_LEA], officers: [] });
  admin = await rig.signIn(ADMIN);
});
afterAll(async () => {
  await rig?.close();
});

type Upload = { name: string; bytes: Buffer };

/** The fixture folder's files, officers.csv as `edit` makes it. */
async function filesWith(edit: (officers: string) => string | Buffer): Promise<Upload[]> {
  return Promise.all(
    (await readdir(VALID_CSV)).map(async (name) => {
      const bytes = await readFile(join(VALID_CSV, name));
      return { name, bytes: name === 'officers.csv' ? Buffer.from(edit(bytes.toString('utf8'))) : bytes };
    }),
  );
}

/** POST /api/imports of `files` as the page's picker sends them; aborted past BOUND_MS (a hang). */
async function upload(files: Upload[]): Promise<WebResponse & { ms: number }> {
  const form = new FormData();
  for (const f of files) form.append('roster', new Blob([f.bytes]), f.name);
  const token = await admin.csrfToken(); // first: it may set the CSRF cookie the request carries
  const started = Date.now();
  const res = await fetch(new URL('/api/imports', rig.url), {
    method: 'POST',
    headers: { cookie: [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-csrf-token': token },
    body: form,
    signal: AbortSignal.timeout(BOUND_MS),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: <T>() => JSON.parse(text) as T,
    ms: Date.now() - started,
  };
}

const miguel = (row: string) => (text: string) => text.replace(MIGUEL, row);

const CASES: { name: string; edit: (text: string) => string | Buffer; error: Record<string, unknown> }[] = [
  {
    name: 'a quote inside an unquoted cell',
    edit: miguel('23456,Miguel,O"Reyes,,MN0240100'),
    error: {
      file: 'officers.csv',
      row: 3,
      field: 'last_name',
      problem: expect.stringMatching(/^is not valid CSV: a quote \("\) inside a cell/),
    },
  },
  {
    name: 'an undoubled quote inside a quoted cell',
    edit: miguel('23456,Miguel,"O"Reyes",,MN0240100'),
    error: {
      file: 'officers.csv',
      row: 3,
      field: 'last_name',
      problem: expect.stringMatching(/goes on after its closing quote/),
    },
  },
  {
    name: 'a quote never closed',
    edit: miguel('23456,Miguel,"Reyes,,MN0240100'),
    error: {
      file: 'officers.csv',
      field: null,
      problem: expect.stringMatching(/a quoted cell is still open at the end of the file/),
    },
  },
  {
    name: 'a stray quote in the header',
    edit: (text) => text.replace('last_name', 'last"name'),
    error: { file: 'officers.csv', row: 1, field: null, problem: expect.stringMatching(/a quote \("\) inside a cell/) },
  },
  {
    name: 'Latin-1 bytes',
    edit: (text) => Buffer.from(text.replace('Reyes', 'Nuñez'), 'latin1'),
    error: { file: 'officers.csv', row: 3, field: null, problem: expect.stringMatching(/^is not UTF-8 text/) },
  },
];

describe('POST /api/imports of a CSV folder csv-parse cannot read', () => {
  it.each(CASES)('$name: 400 with the error list at once, nothing written', async (c) => {
    const before = await databaseFingerprint(rig.config.databaseUrl);
    const r = await upload(await filesWith(c.edit));
    expect(r.status, r.text).toBe(400);
    expect(r.ms).toBeLessThan(BOUND_MS);
    expect(r.json<{ errors: unknown[] }>().errors).toEqual([expect.objectContaining(c.error)]);
    expect(await databaseFingerprint(rig.config.databaseUrl)).toEqual(before);
  });

  it('then the mended folder imports (the import lock was freed)', async () => {
    const r = await upload(await filesWith(miguel('23456,Miguel,"O""Reyes",,MN0240100')));
    expect(r.status, r.text).toBe(200);
    expect(r.json<{ counts: { officers: { created: number } } }>().counts.officers.created).toBe(3);
  });
});
