// The directory's sources and imports (RULES.md 11, with the source rule of RULES.md 7): a row
// created or changed in the console is CONSOLE, and `sro import --replace` never deletes it
// (nor the roster rows it refers to: an officer holding a CONSOLE assignment, an agency with
// an officer that stays, a district with a CONSOLE assignment, each with what it holds); a
// roster row with the same key takes it over and it becomes ROSTER.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../helpers/db.ts';
import { ADMIN, CHIEF, DIRECTORY_ROSTER, PRIMARY, directoryWorld } from '../helpers/directory.ts';
import { runSro } from '../helpers/sro-cli.ts';

const world = directoryWorld('directory-import');

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'sro-directory-import-'));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

const ALBERT_LEA = DIRECTORY_ROSTER.agencies[0]!;
const AUSTIN = DIRECTORY_ROSTER.agencies[1]!;
const ISD241 = DIRECTORY_ROSTER.districts[0]!;
const ISD492 = DIRECTORY_ROSTER.districts[1]!;
const T1 = DIRECTORY_ROSTER.officers[0]!;
const U1 = DIRECTORY_ROSTER.officers[2]!;
/** What the state's roster holds after the console's changes: Albert Lea, ISD241 and T1 only. */
const ALBERT_LEA_ONLY = {
  agencies: [ALBERT_LEA],
  districts: [ISD241],
  officers: [T1],
  assignments: [DIRECTORY_ROSTER.assignments[0]!],
  trainings: DIRECTORY_ROSTER.trainings,
};

interface SectionCounts {
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
}

/** `sro import PATH --replace --json` on the console's database, as an operator runs it. */
async function importReplacing(roster: unknown): Promise<Record<string, SectionCounts>> {
  const path = join(folder, `roster-${Date.now()}.json`);
  await writeFile(path, JSON.stringify(roster));
  const run = await runSro(['import', path, '--replace', '--json'], {
    DATABASE_URL: world.rig.database.url,
    QUEUE_PREFIX: world.rig.config.queuePrefix,
  });
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout).counts as Record<string, SectionCounts>;
}

const sources = (table: string, key: string) =>
  queryRows<{ key: string; source: string }>(
    world.rig.database.url,
    `SELECT ${key} AS key, source::text AS source FROM ${table} ORDER BY 1`,
  );

describe('RULES.md 11: sro import --replace never deletes a CONSOLE row of the directory', () => {
  it('given rows created or changed in the console, when the roster lacks them, then --replace keeps them and what they refer to', async () => {
    const chief = await world.as(CHIEF);
    const admin = await world.as(ADMIN);
    // A new officer (CONSOLE), a ROSTER officer given a CONSOLE assignment by the district, an
    // agency and a district changed by an admin (CONSOLE, with the district's contact list).
    const n1 = { license: 'N1', firstName: 'Noor', lastName: 'Ali', email: null, agencyId: 'AL' };
    expect((await chief.post('/api/officers', { json: n1 })).status).toBe(201);
    const assigned = await (
      await world.as(PRIMARY)
    ).post('/api/officers/T2/assignments', {
      json: { districtId: 'ISD241', role: 'SUBSTITUTE', startDate: '2026-01-05' },
    });
    expect(assigned.status).toBe(201);
    expect((await admin.patch('/api/agencies/AU', { json: { name: 'Austin Police' } })).status).toBe(200);
    const contacts = [{ name: 'Ray Dunn', email: 'ray.dunn@isd492.example', role: 'PRIMARY' }];
    expect((await admin.patch('/api/districts/ISD492', { json: { contacts } })).status).toBe(200);

    const counts = await importReplacing(ALBERT_LEA_ONLY);

    // Deleted: U1 (ROSTER, an Austin officer no longer listed) and its ROSTER assignment only.
    expect(counts.officers).toMatchObject({ deleted: 1 });
    expect(counts.assignments).toMatchObject({ deleted: 1 });
    expect(counts.agencies).toMatchObject({ deleted: 0 });
    expect(counts.districts).toMatchObject({ deleted: 0 });
    expect(counts.districtContacts).toMatchObject({ deleted: 0 });
    expect(await sources('agency', 'id')).toEqual([
      { key: 'AL', source: 'ROSTER' },
      { key: 'AU', source: 'CONSOLE' },
    ]);
    expect(await sources('district', 'id')).toEqual([
      { key: 'ISD241', source: 'ROSTER' },
      { key: 'ISD492', source: 'CONSOLE' },
    ]);
    // T2 stays with its CONSOLE assignment (the console cannot delete an assignment: Decision).
    expect(await sources('officer', 'license')).toEqual([
      { key: 'N1', source: 'CONSOLE' },
      { key: 'T1', source: 'ROSTER' },
      { key: 'T2', source: 'ROSTER' },
    ]);
    expect(await sources('assignment', "license || '/' || district_id || '/' || start_date")).toEqual([
      { key: 'T1/ISD241/2020-08-24', source: 'ROSTER' },
      { key: 'T2/ISD241/2026-01-05', source: 'CONSOLE' },
    ]);
    // The CONSOLE district keeps the contact list the console gave it.
    expect((await admin.get('/api/districts/ISD492')).json()).toMatchObject({ contacts, source: 'CONSOLE' });
    expect((await chief.get('/api/officers/N1')).status).toBe(200);
  });

  it('a roster row with the same key takes a CONSOLE row over: its fields, and it becomes ROSTER', async () => {
    await world.rig.load({
      ...ALBERT_LEA_ONLY,
      agencies: [ALBERT_LEA, AUSTIN],
      officers: [T1, { license: 'N1', firstName: 'Noor', lastName: 'Ali-Khan', email: null, agencyId: 'AL' }],
    });
    const admin = await world.as(ADMIN);
    expect((await admin.get('/api/agencies/AU')).json()).toMatchObject({
      name: 'Austin Police Department',
      source: 'ROSTER',
    });
    expect((await admin.get('/api/officers/N1')).json()).toMatchObject({ name: 'Noor Ali-Khan' });
    expect((await sources('officer', 'license')).find((o) => o.key === 'N1')).toEqual({ key: 'N1', source: 'ROSTER' });
  });

  it('an agency and a district a CONSOLE row refers to stay when --replace drops them; their ROSTER rows the roster lacks go', async () => {
    // Austin's roster alone: Albert Lea and ISD241 are gone from it, but T2's CONSOLE
    // assignment in ISD241 keeps T2, so Albert Lea and ISD241 (with its contacts) stay.
    const counts = await importReplacing({
      agencies: [AUSTIN],
      districts: [ISD492],
      officers: [U1],
      assignments: [DIRECTORY_ROSTER.assignments[1]!],
    });
    expect(counts.officers).toMatchObject({ created: 1, deleted: 2 }); // U1 back; T1 and N1 (ROSTER) gone
    expect(counts.agencies).toMatchObject({ deleted: 0 });
    expect(counts.districts).toMatchObject({ deleted: 0 });
    // ISD492 is listed: its list is the roster's again (the console's contact goes); ISD241's stay.
    expect(counts.districtContacts).toMatchObject({ created: 1, deleted: 1 });
    expect((await sources('officer', 'license')).map((o) => o.key)).toEqual(['T2', 'U1']);
    expect((await sources('agency', 'id')).map((a) => a.key)).toEqual(['AL', 'AU']);
    const admin = await world.as(ADMIN);
    expect((await admin.get('/api/districts/ISD241')).json()).toMatchObject({ contacts: ISD241.contacts });
    // ISD492 is ROSTER again.
    expect((await admin.get('/api/districts/ISD492')).json()).toMatchObject({
      contacts: ISD492.contacts,
      source: 'ROSTER',
    });
  });
});
