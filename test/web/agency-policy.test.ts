// The agency's SRO policy as a PDF (RULES.md 10): the chief uploads it on the agency's page
// (a PDF only, recognized by its content), the upload is audited, and the officer reads it
// from their own page, linked in the review form before the attestation. A real console on
// its own database, Redis prefix and SMTP.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/civil-date.ts';
import { createPool } from '../../src/db/pool.ts';
import { civilDateIn } from '../../src/shell/clock.ts';
import { type ConsoleRig, type WebClient, type WebResponse, startConsoleRig } from '../helpers/console.ts';
import { ADMIN, CHIEF, CONTACT, OFFICER, PDF, albertLeaRoster } from '../helpers/console-fixtures.ts';

const today = civilDateIn('America/Chicago');
const ROSTER = albertLeaRoster(addDays(today, -20), ['T1', 'T2']);

let rig: ConsoleRig;
let pool: pg.Pool;
let chief: WebClient;
let officer: WebClient;
let contact: WebClient;

async function upload(client: WebClient, file: { name: string; type: string; bytes: Buffer } | null) {
  const form = new FormData();
  form.append('_csrf', await client.csrfToken());
  if (file) form.append('policy', new Blob([file.bytes], { type: file.type }), file.name);
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(new URL('/agencies/MN0240100/policy', client.baseUrl), {
    method: 'POST',
    headers: { cookie },
    body: form,
    redirect: 'manual',
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) } as WebResponse;
}

async function download(client: WebClient, path: string): Promise<{ status: number; type: string; bytes: Buffer }> {
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(new URL(path, client.baseUrl), { headers: { cookie }, redirect: 'manual' });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    bytes: Buffer.from(await res.arrayBuffer()),
  };
}

beforeAll(async () => {
  rig = await startConsoleRig('agency-policy', { ADMIN_EMAILS: ADMIN, LOGIN_LIMIT_PER_ADDRESS: '100' });
  await rig.load(ROSTER);
  pool = createPool(rig.config.databaseUrl, 2);
  [chief, officer, contact] = await Promise.all([rig.signIn(CHIEF), rig.signIn(OFFICER), rig.signIn(CONTACT)]);
});
afterAll(async () => {
  await pool?.end();
  await rig?.close();
});

describe("RULES.md 10: the agency's SRO policy", () => {
  it('given no policy uploaded, then the officer is told to ask the chief for a copy, and the download is 404', async () => {
    const page = await officer.get('/officers/T1');
    expect(page.text).toContain('has not been put in the console yet: ask your chief for a copy');
    expect((await download(officer, '/officers/T1/policy.pdf')).status).toBe(404);
  });

  it('given a PNG named policy.pdf, then 415 and nothing is stored', async () => {
    const png = Buffer.from(
      '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f9d3e20000000049454e44ae426082',
      'hex',
    );
    const r = await upload(chief, { name: 'policy.pdf', type: 'application/pdf', bytes: png });
    expect(r.status).toBe(415);
    expect(r.text).toContain('The policy must be a PDF file');
    expect((await pool.query('SELECT count(*)::int AS n FROM agency_policy_file')).rows[0].n).toBe(0);
  });

  it('given no file chosen, then the page says to choose one (400)', async () => {
    const r = await upload(chief, null);
    expect(r.status).toBe(400);
    expect(r.text).toContain('choose the policy file');
  });

  it('when the chief uploads the PDF, then it is audited, the agency page offers it, and the officer reads it before attesting', async () => {
    const r = await upload(chief, { name: 'SRO policy 507.5.pdf', type: 'application/pdf', bytes: PDF });
    expect(r.status, r.text).toBe(303);
    expect(r.headers.get('location')).toBe('/agencies/MN0240100?done=policy');
    const agency = await chief.get('/agencies/MN0240100?done=policy');
    expect(agency.text).toContain('The SRO policy was uploaded');
    expect(agency.text).toContain('href="/agencies/MN0240100/policy.pdf"');

    const audit = await pool.query(
      `SELECT actor, action, agency_id AS "agencyId", after FROM audit_event WHERE action = 'agency-policy.upload'`,
    );
    expect(audit.rows).toMatchObject([{ actor: CHIEF, agencyId: 'MN0240100', after: { size: PDF.length } }]);

    const page = await officer.get('/officers/T1');
    const link = page.text.indexOf('href="/officers/T1/policy.pdf"');
    expect(link).toBeGreaterThan(0);
    // The link comes before the attestation's box, in the review form.
    expect(link).toBeLessThan(page.text.indexOf('id="review-attest"'));
    const file = await download(officer, '/officers/T1/policy.pdf');
    expect(file).toMatchObject({ status: 200, type: 'application/pdf' });
    expect(file.bytes.equals(PDF)).toBe(true);
  });

  it("given the district's contact, then the agency's policy is not theirs to read (403)", async () => {
    expect((await download(contact, '/officers/T1/policy.pdf')).status).toBe(403);
  });
});
