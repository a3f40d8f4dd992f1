// A certificate file is kept exactly as long as a training refers to it (issue 19, security 8):
// deleting the last CONSOLE training that held it, attaching another file in its place, or an
// import --replace dropping the ROSTER training it was attached to removes the file in the
// same transaction. Before, the file stayed in the database with
// nothing pointing to it: a copy of a person's certificate nobody could see or delete.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/civil-date.ts';
import { civilDateIn } from '../../src/shell/clock.ts';
import { type ConsoleRig, type WebClient, type WebResponse, startConsoleRig } from '../helpers/console.ts';
import { ADMIN, CHIEF, PDF, albertLeaRoster } from '../helpers/console-fixtures.ts';

const today = civilDateIn('America/Chicago');
/** T1 and T2 untrained; S1 a substitute whose supplemental training (2024-01-10) is on the roster. */
const ROSTER = albertLeaRoster(addDays(today, -20), ['T1', 'T2', 'S1']);
/** Two PDFs of different content (a comment after the end marker). */
const pdf = (n: number) => Buffer.concat([PDF, Buffer.from(`%certificate ${n}\n`)]);
const hex = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let rig: ConsoleRig;
let pool: pg.Pool;
let chief: WebClient;

beforeAll(async () => {
  rig = await startConsoleRig('certificate-files', { ADMIN_EMAILS: ADMIN, LOGIN_LIMIT_PER_CLIENT: '1000' });
  await rig.load(ROSTER);
  pool = new pg.Pool({ connectionString: rig.database.url, max: 2 });
  chief = await rig.signIn(CHIEF);
});
afterAll(async () => {
  await pool?.end();
  await rig?.close();
});

/** The chief records a CONSOLE training of `license` with `file` as its certificate; its id. */
async function recordWith(license: string, completedOn: string, file: Buffer, kind = 'SRO_MANDATED'): Promise<number> {
  const form = new FormData();
  form.append('kind', kind);
  form.append('completedOn', completedOn);
  form.append('certificate', new Blob([file], { type: 'application/pdf' }), 'certificate.pdf');
  const token = await chief.csrfToken();
  const res = await fetch(new URL(`/api/officers/${license}/trainings`, rig.url), {
    method: 'POST',
    headers: { 'x-csrf-token': token, cookie: [...chief.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    body: form,
  });
  const text = await res.text();
  expect([200, 201], text).toContain(res.status);
  return (JSON.parse(text) as { id: number }).id;
}

async function remove(license: string, id: number): Promise<WebResponse> {
  return chief.post(`/api/officers/${license}/trainings/${id}/delete`, { json: {} });
}

/** The certificate files held, by hex SHA-256. */
async function files(): Promise<string[]> {
  const r = await pool.query<{ sha: string }>(`SELECT encode(sha256, 'hex') AS sha FROM certificate ORDER BY 1`);
  return r.rows.map((x) => x.sha);
}

describe('a certificate file goes with the last training that holds it', () => {
  it('given a CONSOLE training with its certificate, when the chief deletes it, then the file is gone too', async () => {
    const id = await recordWith('T1', addDays(today, -3), pdf(1));
    expect(await files()).toEqual([hex(pdf(1))]);
    const r = await remove('T1', id);
    expect(r.status, r.text).toBe(200);
    expect(await files()).toEqual([]);
  });

  it('given one file on two officers’ trainings, deleting one training keeps it, deleting the other removes it', async () => {
    const a = await recordWith('T1', addDays(today, -4), pdf(2));
    const b = await recordWith('T2', addDays(today, -4), pdf(2));
    expect(await files()).toEqual([hex(pdf(2))]);
    expect((await remove('T1', a)).status).toBe(200);
    expect(await files()).toEqual([hex(pdf(2))]);
    // The other officer's chief still downloads it.
    expect((await chief.get(`/api/officers/T2/certificates/${hex(pdf(2))}`)).status).toBe(200);
    expect((await remove('T2', b)).status).toBe(200);
    expect(await files()).toEqual([]);
  });

  it('given a training with a certificate, when another file is attached in its place, then the first file is gone', async () => {
    const day = addDays(today, -5);
    const id = await recordWith('T1', day, pdf(3));
    expect(await recordWith('T1', day, pdf(4))).toBe(id);
    expect(await files()).toEqual([hex(pdf(4))]);
    expect((await remove('T1', id)).status).toBe(200);
    expect(await files()).toEqual([]);
  });

  it('given a certificate on a ROSTER training, when sro import --replace drops the training, then the file goes with it', async () => {
    // Attached in the console to the roster's training of the same key, which stays ROSTER (RULES.md 7).
    await recordWith('S1', '2024-01-10', pdf(5), 'SRO_SUPPLEMENTAL');
    expect(await files()).toEqual([hex(pdf(5))]);
    const { trainings: _dropped, ...withoutTrainings } = ROSTER;
    await rig.load(withoutTrainings, true);
    expect((await pool.query(`SELECT 1 FROM training WHERE license = 'S1'`)).rowCount).toBe(0);
    expect(await files()).toEqual([]);
  });
});
