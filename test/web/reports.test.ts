// The console's reports (INTERFACE.md "Reports for the board and the auditor"): a chief reaches
// the Reports page from a "Reports" link on /, downloads the compliance report and the evidence
// packet of their agency; a certificate uploaded through the console comes back in the packet
// byte for byte, its manifest entry matching; a district contact gets their district's; a scope
// out of the viewer's or not on the roster answers 404; each download is an audit event.
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/civil-date.ts';
import { civilDateIn } from '../../src/shell/clock.ts';
import { type ConsoleRig, type WebClient, startConsoleRig } from '../helpers/console.ts';
import { ADMIN, CHIEF, CONTACT, OFFICER, PDF, albertLeaRoster } from '../helpers/console-fixtures.ts';
import { queryRows } from '../helpers/db.ts';
import { readPdf } from '../helpers/pdf.ts';
import { readZip } from '../helpers/zip.ts';

const today = civilDateIn('America/Chicago');
const ROSTER = albertLeaRoster(addDays(today, -20), ['T1', 'T2', 'S1']);
const CERTIFICATE = Buffer.concat([PDF, Buffer.from('%the chief’s copy of T1’s certificate\n')]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let rig: ConsoleRig;
let chief: WebClient;
let dir = '';

/** GET as bytes, with the client's cookies. */
async function download(
  client: WebClient,
  path: string,
): Promise<{ status: number; type: string; disposition: string; body: Buffer }> {
  const res = await fetch(new URL(path, rig.url), {
    headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    redirect: 'manual',
  });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    disposition: res.headers.get('content-disposition') ?? '',
    body: Buffer.from(await res.arrayBuffer()),
  };
}

beforeAll(async () => {
  rig = await startConsoleRig('reports', { ADMIN_EMAILS: ADMIN, LOGIN_LIMIT_PER_CLIENT: '1000' });
  await rig.load(ROSTER);
  chief = await rig.signIn(CHIEF);
  dir = await mkdtemp(join(tmpdir(), 'sro-reports-'));
  // The chief records T1's course with its certificate, as the officer page's form does.
  const form = new FormData();
  form.append('kind', 'SRO_MANDATED');
  form.append('completedOn', addDays(today, -2));
  form.append('courseNumber', 'POST-SRO-2026-001');
  form.append('certificate', new Blob([CERTIFICATE], { type: 'application/pdf' }), 'scan.pdf');
  const res = await fetch(new URL('/api/officers/T1/trainings', rig.url), {
    method: 'POST',
    headers: {
      'x-csrf-token': await chief.csrfToken(),
      cookie: [...chief.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    },
    body: form,
  });
  expect(res.status, await res.text()).toBe(201);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rig?.close();
});

describe('INTERFACE.md "Reports for the board and the auditor": the console', () => {
  it('offers "Reports" on / to a chief and a district contact, not to an officer', async () => {
    expect((await chief.get('/')).text).toContain('<a href="/reports">Reports</a>');
    const contact = await rig.signIn(CONTACT);
    expect((await contact.get('/')).text).toContain('<a href="/reports">Reports</a>');
    const officer = await rig.signIn(OFFICER);
    expect((await officer.get('/')).text).not.toContain('/reports');
    expect((await officer.get('/reports')).status).toBe(404);
  });

  it("the Reports page offers the chief their agency and today's date", async () => {
    const page = await chief.get('/reports');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Albert Lea Police Department (agency MN0240100)');
    expect(page.text).toContain(`value="${today}"`);
    expect(page.text).toContain('formaction="/reports/evidence.zip"');
  });

  it("the chief downloads their agency's report: a PDF of its officers as of the day asked", async () => {
    const r = await download(chief, '/reports/compliance.pdf?scope=agency%3AMN0240100&asOf=' + today);
    expect(r.status).toBe(200);
    expect(r.type).toBe('application/pdf');
    expect(r.disposition).toBe(`attachment; filename="sro-compliance-MN0240100-${today}.pdf"`);
    const pdf = await readPdf(r.body);
    for (const name of ['Dana Olson T1', 'Lee Berg T2', 'Sam Sub S1']) expect(pdf.text).toContain(name);
    expect(pdf.text).toContain('Course POST-SRO-2026-001');
    expect(pdf.text).toMatch(/by chief@albert-lea\.example/);
  });

  it('the evidence packet holds the certificate uploaded in the console, byte for byte, as the manifest says', async () => {
    const r = await download(chief, `/reports/evidence.zip?agency=MN0240100&asOf=${today}`);
    expect(r.status).toBe(200);
    expect(r.type).toBe('application/zip');
    await writeFile(join(dir, 'packet.zip'), r.body);
    const entries = await readZip(join(dir, 'packet.zip'));
    const name = `T1-Olson-SRO_MANDATED-${addDays(today, -2)}.pdf`;
    expect(entries.get(name)?.equals(CERTIFICATE)).toBe(true);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString()) as {
      files: { name: string; sha256: string; bytes: number }[];
    };
    expect(manifest.files.find((f) => f.name === name)).toEqual({
      name,
      sha256: sha(CERTIFICATE),
      bytes: CERTIFICATE.length,
    });
    for (const f of manifest.files) expect(sha(entries.get(f.name)!), f.name).toBe(f.sha256);
  });

  it("a district contact gets their district's report; another's, or one not on the roster, is not found", async () => {
    const contact = await rig.signIn(CONTACT);
    expect((await download(contact, '/reports/compliance.pdf?district=ISD241')).status).toBe(200);
    expect((await download(contact, '/reports/compliance.pdf?agency=MN0240100')).status).toBe(404);
    expect((await download(chief, '/reports/evidence.zip?district=ISD241')).status).toBe(404);
    expect((await download(chief, '/reports/compliance.pdf')).status).toBe(404);
    const admin = await rig.signIn(ADMIN);
    expect((await download(admin, '/reports/compliance.pdf')).status).toBe(200);
    expect((await download(admin, '/reports/compliance.pdf?agency=NO-SUCH')).status).toBe(404);
    const both = await admin.get('/reports/compliance.pdf?agency=MN0240100&district=ISD241');
    expect(both.status).toBe(400);
    expect(both.text).toContain('give an agency or a district, not both');
  });

  it('records every report made: who, the scope, as of', async () => {
    const rows = await queryRows<{ actor: string; action: string; agency_id: string | null; after: { asOf: string } }>(
      rig.database.url,
      `SELECT actor, action, agency_id, after FROM audit_event WHERE action LIKE 'report.%' ORDER BY id`,
    );
    expect(rows.slice(0, 2)).toMatchObject([
      { actor: CHIEF, action: 'report.pdf', agency_id: 'MN0240100', after: { asOf: today } },
      { actor: CHIEF, action: 'report.evidence', agency_id: 'MN0240100', after: { asOf: today } },
    ]);
  });
});
