// A district in an imported roster brings its whole contact list (INTERFACE.md "Configuration",
// issue 19, security 8): a contact it no longer lists stops being one, with or without
// --replace. Before, an import without --replace only added and updated contacts, so someone
// a district had dropped kept the district's scope in the console and kept getting its alerts.
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleRig, type WebClient, startConsoleRig } from '../helpers/console.ts';
import { ADMIN, CONTACT, albertLeaRoster } from '../helpers/console-fixtures.ts';
import { queryRows } from '../helpers/db.ts';
import { runSro } from '../helpers/sro-cli.ts';

const DROPPED = 'deputy@isd241.example';
const VALID_CSV = join(import.meta.dirname, '..', 'fixtures', 'rosters', 'valid-csv');

/** Albert Lea's roster; ISD241 lists Pat Reyes (CONTACT) and, when `withDeputy`, a second PRIMARY contact. */
function roster(withDeputy: boolean) {
  const r = albertLeaRoster('2025-10-01', ['T1', 'T2']);
  const [district] = r.districts;
  return {
    ...r,
    districts: [
      {
        ...district!,
        contacts: [
          ...district!.contacts,
          ...(withDeputy ? [{ name: 'Dee Deputy', email: DROPPED, role: 'PRIMARY' }] : []),
        ],
      },
    ],
  };
}

let rig: ConsoleRig;
let tmp: string;

beforeAll(async () => {
  rig = await startConsoleRig('district-contacts-import', { ADMIN_EMAILS: ADMIN, LOGIN_LIMIT_PER_CLIENT: '1000' });
  tmp = await mkdtemp(join(tmpdir(), 'sro-contacts-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
  await rig?.close();
});

const env = () => ({ DATABASE_URL: rig.database.url });

async function sroImport(path: string, ...flags: string[]) {
  const run = await runSro(['import', path, '--json', ...flags], env());
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as { counts: Record<string, { deleted: number }> };
}

async function importJson(doc: unknown, name: string) {
  const path = join(tmp, name);
  await writeFile(path, JSON.stringify(doc));
  return sroImport(path);
}

/** Every address a scan as of 2026-09-15 would send to (dry run: nothing is sent). */
async function scanRecipients(): Promise<string[]> {
  const run = await runSro(['scan', '--as-of', '2026-09-15', '--dry-run', '--json'], env());
  expect(run.code, run.stderr).toBe(0);
  const { alerts } = JSON.parse(run.stdout) as { alerts: { recipients: string[] }[] };
  return [...new Set(alerts.flatMap((a) => a.recipients))].sort();
}

const contactsOf = async (district: string) =>
  (
    await queryRows<{ email: string }>(
      rig.database.url,
      `SELECT email FROM district_contact WHERE district_id = $1 ORDER BY email`,
      [district],
    )
  ).map((r) => r.email);

describe('sro import without --replace of a roster whose district lists fewer contacts', () => {
  let deputy: WebClient;

  it('given ISD241 with two PRIMARY contacts, both are contacts: the deputy sees ISD241’s officers and is sent its alerts', async () => {
    await importJson(roster(true), 'first.json');
    expect(await contactsOf('ISD241')).toEqual([CONTACT, DROPPED].sort());
    deputy = await rig.signIn(DROPPED);
    expect((await deputy.get('/api/officers/T2')).status).toBe(200);
    expect(await scanRecipients()).toContain(DROPPED);
  });

  it('when the next roster lists only Pat Reyes, the deputy is no contact: counted deleted, out of scope (404), sent nothing', async () => {
    const second = await importJson(roster(false), 'second.json');
    expect(second.counts.districtContacts!.deleted).toBe(1);
    expect(await contactsOf('ISD241')).toEqual([CONTACT]);
    // The session signed in before the import: its scope is read again with the roster.
    expect((await deputy.get('/api/officers/T2')).status).toBe(404);
    expect((await deputy.get('/api/officers')).json<{ officers: unknown[] }>().officers).toEqual([]);
    // A new sign-in e-mail is not sent to an address the roster no longer has.
    const before = rig.smtp.received.length;
    expect((await rig.client().post('/login', { form: { email: DROPPED } })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    expect(rig.smtp.received.slice(before).filter((m) => m.to === DROPPED)).toEqual([]);
    const recipients = await scanRecipients();
    expect(recipients).not.toContain(DROPPED);
    expect(recipients).toContain(CONTACT);
  });
});

describe('the same rule for a CSV folder', () => {
  it('district_contacts.csv without a contact drops it from its district; districts the folder does not list keep theirs', async () => {
    const dir = join(tmp, 'csv');
    await cp(VALID_CSV, dir, { recursive: true });
    await sroImport(dir);
    expect(await contactsOf('ISD241')).toEqual(['sro-liaison@isd241.example', 'superintendent@isd241.example']);
    await writeFile(
      join(dir, 'district_contacts.csv'),
      'district_id,name,email,role\nISD241,Pat Liaison,sro-liaison@isd241.example,PRIMARY\nCHTR4001,Lee Director,director@riverland.example,primary\n',
    );
    const r = await sroImport(dir);
    expect(r.counts.districtContacts!.deleted).toBe(1);
    expect(await contactsOf('ISD241')).toEqual(['sro-liaison@isd241.example']);
    expect(await contactsOf('CHTR4001')).toEqual(['director@riverland.example']);
  });

  it('a folder without district_contacts.csv lists no contacts: its districts keep the ones on file', async () => {
    const dir = join(tmp, 'csv-no-contacts');
    await cp(VALID_CSV, dir, { recursive: true });
    await rm(join(dir, 'district_contacts.csv'));
    const r = await sroImport(dir);
    expect(r.counts.districtContacts!.deleted).toBe(0);
    expect(await contactsOf('ISD241')).toEqual(['sro-liaison@isd241.example']);
    expect(await contactsOf('CHTR4001')).toEqual(['director@riverland.example']);
  });
});
