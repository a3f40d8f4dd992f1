// Facts recorded in the console (RULES.md 7, INTERFACE.md "Console"): trainings with their
// certificate files, policy reviews, contact days, acknowledgements (RULES.md 6), each
// audited in an append-only log. A real console on its own database, Redis prefix and SMTP.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CivilDate, addDays } from '../../src/domain/civil-date.ts';
import { createPool } from '../../src/db/pool.ts';
import { refreshStatusSnapshot, snapshotIsCurrent } from '../../src/app/status-snapshot.ts';
import { rulesOf } from '../../src/config.ts';
import { civilDateIn } from '../../src/shell/clock.ts';
import { type ConsoleRig, type WebClient, type WebResponse, startConsoleRig } from '../helpers/console.ts';
import { ADMIN, CHIEF, CONTACT, OFFICER, PDF, albertLeaRoster } from '../helpers/console-fixtures.ts';
import { schoolDaysBefore } from '../helpers/facts.ts';

const today = civilDateIn('America/Chicago');
/** Assumed duties 20 days ago, untrained: OVERDUE since the day after (RULES.md 2 rule 4). */
const STARTED = addDays(today, -20);

const ROSTER = albertLeaRoster(STARTED, ['T1', 'T2', 'S1']);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let rig: ConsoleRig;
let pool: pg.Pool;
let admin: WebClient;
let chief: WebClient;
let contact: WebClient;
let officer: WebClient;

/** A multipart POST from a signed-in client (CSRF token in the header, as the API takes it). */
async function postMultipart(
  client: WebClient,
  path: string,
  fields: Record<string, string>,
  file?: { name: string; type: string; bytes: Buffer },
): Promise<WebResponse> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append('certificate', new Blob([file.bytes], { type: file.type }), file.name);
  const headers: Record<string, string> = {
    'x-csrf-token': await client.csrfToken(),
    cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
  };
  const res = await fetch(new URL(path, client.baseUrl), { method: 'POST', headers, body: form, redirect: 'manual' });
  const buf = Buffer.from(await res.arrayBuffer());
  const text = buf.toString('utf8');
  return { status: res.status, headers: res.headers, text, json: <T>() => JSON.parse(text) as T };
}

async function count(table: string): Promise<number> {
  return Number((await pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n);
}

async function auditActions(): Promise<string[]> {
  return (await pool.query(`SELECT action FROM audit_event ORDER BY id`)).rows.map((r) => r.action as string);
}

beforeAll(async () => {
  rig = await startConsoleRig('record-facts', {
    ADMIN_EMAILS: ADMIN,
    LOGIN_LIMIT_PER_CLIENT: '1000',
    LOGIN_LIMIT_PER_ADDRESS: '100',
  });
  await rig.load(ROSTER);
  pool = createPool(rig.config.databaseUrl, 6);
  [admin, chief, contact, officer] = await Promise.all([
    rig.signIn(ADMIN),
    rig.signIn(CHIEF),
    rig.signIn(CONTACT),
    rig.signIn(OFFICER),
  ]);
});
afterAll(async () => {
  await pool?.end();
  await rig?.close();
});

describe('POST /api/officers/:license/trainings: a certificate upload', () => {
  it('given a file of 10 MB + 1 byte, then 413 and nothing is stored', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0x20);
    PDF.copy(big);
    const before = { certificates: await count('certificate'), trainings: await count('training') };
    const r = await postMultipart(
      chief,
      '/api/officers/T1/trainings',
      { kind: 'SRO_MANDATED', completedOn: today },
      { name: 'big.pdf', type: 'application/pdf', bytes: big },
    );
    expect(r.status, r.text).toBe(413);
    expect(r.json<{ error: string }>().error).toMatch(/larger than 10 MB/);
    expect({ certificates: await count('certificate'), trainings: await count('training') }).toEqual(before);
  });

  it('given an executable renamed .pdf (declared application/pdf), then 415 and nothing is stored', async () => {
    const before = { certificates: await count('certificate'), trainings: await count('training') };
    for (const bytes of [
      Buffer.concat([Buffer.from('7f454c46020101000000000000000000', 'hex'), Buffer.alloc(64)]),
      Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1'), Buffer.alloc(64)]),
    ]) {
      const r = await postMultipart(
        chief,
        '/api/officers/T1/trainings',
        { kind: 'SRO_MANDATED', completedOn: today },
        { name: 'certificate.pdf', type: 'application/pdf', bytes },
      );
      expect(r.status, r.text).toBe(415);
      expect(r.json<{ error: string }>().error).toMatch(/PDF, PNG or JPEG/);
    }
    expect({ certificates: await count('certificate'), trainings: await count('training') }).toEqual(before);
  });

  it('given a training dated tomorrow or of an unknown kind, then 400 naming the field, and nothing is written', async () => {
    const before = await count('training');
    const late = await postMultipart(chief, '/api/officers/T1/trainings', {
      kind: 'SRO_MANDATED',
      completedOn: addDays(today, 1),
    });
    expect(late.status).toBe(400);
    expect(late.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toEqual(['completedOn']);
    const kind = await postMultipart(
      chief,
      '/api/officers/T1/trainings',
      { kind: 'SRO_ADVANCED', completedOn: today },
      { name: 'c.pdf', type: 'application/pdf', bytes: PDF },
    );
    expect(kind.status).toBe(400);
    expect(kind.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toEqual(['kind']);
    expect(await count('training')).toBe(before);
    expect(await count('certificate')).toBe(0);
  });

  it('given a district contact, then 403 (in scope, not allowed)', async () => {
    const r = await postMultipart(contact, '/api/officers/T1/trainings', { kind: 'SRO_MANDATED', completedOn: today });
    expect(r.status, r.text).toBe(403);
    expect(r.json<{ error: string }>().error).toMatch(/chief and admins/);
  });

  it('given the officer without a certificate, then 400 naming it (RULES.md 10: a submission carries its certificate)', async () => {
    const r = await postMultipart(officer, '/api/officers/T1/trainings', { kind: 'SRO_MANDATED', completedOn: today });
    expect(r.status, r.text).toBe(400);
    expect(r.json()).toEqual({
      errors: [
        { field: 'certificate', problem: 'choose the certificate file: your chief confirms the training from it' },
      ],
    });
  });

  it('given a valid PDF, then 201 with its SHA-256, stored once however often it comes, and the officer COMPLIANT without CERTIFICATE_MISSING', async () => {
    const r = await postMultipart(
      chief,
      '/api/officers/T1/trainings',
      { kind: 'SRO_MANDATED', completedOn: today, courseNumber: 'SRO-101', provider: 'MN POST' },
      { name: 'scan.PDF', type: 'application/octet-stream', bytes: PDF },
    );
    expect(r.status, r.text).toBe(201);
    const t = r.json<{ id: number; certificateSha256: string; source: string; certificateOnFile: boolean }>();
    expect(t).toMatchObject({
      kind: 'SRO_MANDATED',
      completedOn: today,
      courseNumber: 'SRO-101',
      source: 'CONSOLE',
      certificateOnFile: true,
      certificateSha256: sha256(PDF),
      recordedBy: CHIEF,
    });
    // The same file for another training: one stored file.
    const again = await postMultipart(
      admin,
      '/api/officers/T1/trainings',
      { kind: 'SRO_SUPPLEMENTAL', completedOn: addDays(today, -1) },
      { name: 'copy.pdf', type: 'application/pdf', bytes: PDF },
    );
    expect(again.status, again.text).toBe(201);
    expect(await count('certificate')).toBe(1);

    const detail = (await chief.get('/api/officers/T1')).json<{
      status: string;
      issues: string[];
      facts: { trainings: { source: string; certificateSha256: string | null }[] };
    }>();
    expect(detail.status).toBe('COMPLIANT');
    expect(detail.issues).not.toContain('CERTIFICATE_MISSING');
    expect(detail.facts.trainings.map((x) => x.source)).toEqual(['CONSOLE', 'CONSOLE']);
  });

  it('downloads byte-identical, as an attachment that never renders inline; only to the chief and admins', async () => {
    const path = `/api/officers/T1/certificates/${sha256(PDF)}`;
    for (const c of [chief, admin]) {
      const res = await fetch(new URL(path, rig.url), {
        headers: { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      });
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(PDF)).toBe(true);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      // Named as in the evidence packet: LICENSE-LASTNAME-KIND-DATE.ext, after the latest training holding it.
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="T1-Olson-SRO_MANDATED-${today}.pdf"`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
    }
    expect((await officer.get(path)).status).toBe(403);
    expect((await contact.get(path)).status).toBe(403);
    // Not a file of this officer's trainings: as if it did not exist.
    expect((await chief.get(`/api/officers/T2/certificates/${sha256(PDF)}`)).status).toBe(404);
    expect((await chief.get(`/api/officers/T1/certificates/${'0'.repeat(64)}`)).status).toBe(404);
  });

  it('deletes a CONSOLE training (audited), never a ROSTER one', async () => {
    const facts = (await admin.get('/api/officers/S1')).json<{ facts: { trainings: { id: number }[] } }>().facts;
    const roster = facts.trainings[0]!.id;
    const refused = await chief.post(`/api/officers/S1/trainings/${roster}/delete`, { json: {} });
    expect(refused.status).toBe(409);
    const t1 = (await admin.get('/api/officers/T1')).json<{
      facts: { trainings: { id: number; kind: string }[] };
    }>().facts;
    const supplemental = t1.trainings.find((x) => x.kind === 'SRO_SUPPLEMENTAL')!;
    expect((await contact.post(`/api/officers/T1/trainings/${supplemental.id}/delete`, { json: {} })).status).toBe(403);
    const ok = await chief.post(`/api/officers/T1/trainings/${supplemental.id}/delete`, { json: {} });
    expect(ok.status, ok.text).toBe(200);
    expect((await pool.query(`SELECT 1 FROM training WHERE id = $1`, [supplemental.id])).rowCount).toBe(0);
    expect(await auditActions()).toContain('training.delete');
  });

  it('given a PDF of exactly 10 MB, then it is stored (the limit is the file’s, not the request’s), attached to the roster’s training of the same key, which stays a ROSTER fact', async () => {
    const full = Buffer.alloc(10 * 1024 * 1024, 0x20);
    PDF.copy(full);
    const r = await postMultipart(
      admin,
      '/api/officers/S1/trainings',
      { kind: 'SRO_SUPPLEMENTAL', completedOn: '2024-01-10' },
      { name: 'full.pdf', type: 'application/pdf', bytes: full },
    );
    expect(r.status, r.text).toBe(201);
    expect(r.json()).toMatchObject({ certificateSha256: sha256(full), source: 'ROSTER', certificateOnFile: true });
    const stored = await pool.query(`SELECT size FROM certificate WHERE sha256 = $1`, [
      Buffer.from(sha256(full), 'hex'),
    ]);
    expect(stored.rows[0].size).toBe(full.length);
    // Detached again for the tests below (a certificate kept in the database is not deleted).
    await pool.query(`UPDATE training SET certificate_sha256 = NULL, certificate_on_file = false WHERE license = 'S1'`);
  });
});

describe('POST /api/officers/:license/policy-reviews', () => {
  it('the officer attests their own review (201, CONSOLE); a district contact may not (403)', async () => {
    const r = await officer.post('/api/officers/T1/policy-reviews', { json: { reviewedOn: today } });
    expect(r.status, r.text).toBe(201);
    expect(r.json()).toMatchObject({
      agencyId: 'MN0240100',
      reviewedOn: today,
      source: 'CONSOLE',
      recordedBy: OFFICER,
    });
    expect((await contact.post('/api/officers/T1/policy-reviews', { json: { reviewedOn: today } })).status).toBe(403);
    const future = await chief.post('/api/officers/T1/policy-reviews', { json: { reviewedOn: addDays(today, 3) } });
    expect(future.status).toBe(400);
    expect(future.json<{ errors: { field: string }[] }>().errors[0]!.field).toBe('reviewedOn');
    const detail = (await officer.get('/api/officers/T1')).json<{ facts: { policyReviews: { source: string }[] } }>();
    expect(detail.facts.policyReviews).toEqual([expect.objectContaining({ source: 'CONSOLE', reviewedOn: today })]);
  });
});

describe('POST /api/officers/:license/contact-days', () => {
  it('the district contact records days; duplicates come back as alreadyRecorded', async () => {
    const [d1, d2, d3] = schoolDaysBefore(today, 3) as [CivilDate, CivilDate, CivilDate];
    const first = await contact.post('/api/officers/S1/contact-days', {
      json: { districtId: 'ISD241', dates: [d1, d2, d2] },
    });
    expect(first.status, first.text).toBe(201);
    expect(first.json()).toEqual({ added: [d1, d2], alreadyRecorded: [] });
    const second = await chief.post('/api/officers/S1/contact-days', {
      json: { districtId: 'ISD241', dates: [d2, d3] },
    });
    expect(second.json()).toEqual({ added: [d3], alreadyRecorded: [d2] });
    const bad = await contact.post('/api/officers/S1/contact-days', {
      json: { districtId: 'ISD241', dates: ['2026-02-30'] },
    });
    expect(bad.status).toBe(400);
    expect(bad.json<{ errors: { field: string }[] }>().errors[0]!.field).toBe('dates.0');
    expect(
      (await officer.post('/api/officers/T1/contact-days', { json: { districtId: 'ISD241', dates: [d1] } })).status,
    ).toBe(403);
    expect(await count('contact_day')).toBe(3);
  });
});

describe('POST /api/officers/:license/acknowledgements (RULES.md 6)', () => {
  it('acknowledges an OVERDUE deadline (201) and refuses one that is not OVERDUE today (409)', async () => {
    const detail = (await chief.get('/api/officers/T2')).json<{ status: string; dueDate: string }>();
    expect(detail.status).toBe('OVERDUE');
    const r = await chief.post('/api/officers/T2/acknowledgements', {
      json: {
        dueDate: detail.dueDate,
        note: 'enrolled in the course of next month',
        plannedCompletionOn: addDays(today, 30),
      },
    });
    expect(r.status, r.text).toBe(201);
    expect(r.json()).toMatchObject({
      license: 'T2',
      dueDate: detail.dueDate,
      acknowledgedBy: CHIEF,
      acknowledgedByName: 'Chief Morgan Ellis',
      acknowledgedOn: today,
    });
    const shown = (await chief.get('/api/officers/T2')).json<{ acknowledgements: { note: string }[] }>();
    expect(shown.acknowledgements.map((a) => a.note)).toEqual(['enrolled in the course of next month']);
    // Another date, and an officer who is not OVERDUE (T1 is trained now).
    expect((await chief.post('/api/officers/T2/acknowledgements', { json: { dueDate: '2025-09-01' } })).status).toBe(
      409,
    );
    expect((await chief.post('/api/officers/T1/acknowledgements', { json: { dueDate: detail.dueDate } })).status).toBe(
      409,
    );
    // A district contact who received no overdue notice for it.
    expect(
      (await contact.post('/api/officers/T2/acknowledgements', { json: { dueDate: detail.dueDate } })).status,
    ).toBe(403);
    const long = await chief.post('/api/officers/T2/acknowledgements', {
      json: { dueDate: detail.dueDate, note: 'x'.repeat(501) },
    });
    expect(long.status).toBe(400);
    expect(long.json<{ errors: { field: string }[] }>().errors[0]!.field).toBe('note');
  });
});

describe('the status snapshot (the admin view of a large roster) follows a change at once', () => {
  it('given a current snapshot, when contact days are recorded, then the officer’s row and the counts are replaced and the snapshot stays current', async () => {
    const rules = rulesOf(rig.config);
    // The console's own keeper may be refreshing at the same moment (then this one returns null).
    for (let i = 0; i < 50 && !(await snapshotIsCurrent(pool, today)); i++)
      if (!(await refreshStatusSnapshot(pool, today, rules))) await new Promise((r) => setTimeout(r, 100));
    expect(await snapshotIsCurrent(pool, today)).toBe(true);
    const before = await snapshotRow('S1');
    const r = await contact.post('/api/officers/S1/contact-days', {
      json: { districtId: 'ISD241', dates: schoolDaysBefore(today, 8).slice(0, 1) },
    });
    expect(r.status).toBe(201);
    expect(await snapshotIsCurrent(pool, today)).toBe(true);
    expect((await snapshotRow('S1')).contactDays).toBe(before.contactDays + 1);
    const recount = await pool.query(`SELECT status, count(*)::int AS n FROM officer_status GROUP BY status`);
    const meta = await pool.query(`SELECT counts FROM status_snapshot`);
    expect(meta.rows[0].counts).toEqual(Object.fromEntries(recount.rows.map((x) => [x.status, x.n])));
  });
});

async function snapshotRow(license: string): Promise<{ contactDays: number; status: string }> {
  return (await pool.query(`SELECT report FROM officer_status WHERE license = $1`, [license])).rows[0].report;
}

describe('the audit log', () => {
  it('holds every write, shown to admins at GET /api/audit', async () => {
    const actions = await auditActions();
    for (const a of [
      'training.record',
      'training.delete',
      'policy-review.attest',
      'contact-days.record',
      'acknowledgement.record',
    ])
      expect(actions).toContain(a);
    const r = await admin.get('/api/audit');
    expect(r.status).toBe(200);
    const events = r.json<{ events: { at: string; actor: string; action: string; license?: string }[] }>().events;
    expect(events).toHaveLength(actions.length);
    expect(events[0]).toMatchObject({ actor: CHIEF, action: 'training.record', license: 'T1' });
    const rows = await pool.query(`SELECT client_address, user_agent FROM audit_event`);
    for (const row of rows.rows) expect(row.client_address).toBeTruthy();
    const later = await admin.get(
      `/api/audit?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`,
    );
    expect(later.json<{ events: unknown[] }>().events).toEqual([]);
    expect((await chief.get('/api/audit')).status).toBe(404);
  });

  it('is append-only: a direct UPDATE, DELETE or TRUNCATE is refused by the database', async () => {
    const n = await count('audit_event');
    expect(n).toBeGreaterThan(0);
    await expect(pool.query(`UPDATE audit_event SET actor = 'someone@else.example'`)).rejects.toThrow(/append-only/);
    await expect(pool.query(`DELETE FROM audit_event`)).rejects.toThrow(/append-only/);
    await expect(pool.query(`TRUNCATE audit_event`)).rejects.toThrow(/append-only/);
    expect(await count('audit_event')).toBe(n);
  });
});
