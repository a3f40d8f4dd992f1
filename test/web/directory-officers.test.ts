// Officers and assignments kept in the console (RULES.md 11, INTERFACE.md "Keeping the
// directory in the console"): `POST /api/officers`, `PATCH /api/officers/:license`, `POST
// /api/officers/:license/assignments` and `PATCH …/assignments/:districtId/:startDate` for
// every role in and out of scope; every problem at once; 409 for a key on file; the audit
// events; and a new assignment today of an untrained officer: DUE at once (RULES.md 2), seen
// by the district's contact, its re-evaluation queued.
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/civil-date.ts';
import {
  ADMIN,
  CHIEF,
  ESCALATION,
  OFFICER,
  OTHER_CHIEF,
  OTHER_CONTACT,
  PRIMARY,
  directoryWorld,
  today,
} from '../helpers/directory.ts';

const world = directoryWorld('directory-officers');

const fieldsOf = (r: { json<T>(): T }) => r.json<{ errors: { field: string }[] }>().errors.map((e) => e.field);
const NEW = { firstName: 'Noor', lastName: 'Ali', email: 'noor.ali@albert-lea.example', agencyId: 'AL' };

describe('POST /api/officers: a new officer of an agency, by its chief and admins', () => {
  it('given the chief, then 201 with the officer, CONSOLE, one audit event, its re-evaluation queued', async () => {
    const r = await (await world.as(CHIEF)).post('/api/officers', { json: { license: 'N1', ...NEW } });
    expect(r.status).toBe(201);
    expect(r.json()).toEqual({ license: 'N1', ...NEW, source: 'CONSOLE' });
    expect(await world.sourceOf('officer', 'license = $1', ['N1'])).toMatchObject({
      source: 'CONSOLE',
      recordedBy: CHIEF,
    });
    const [e] = await world.events('officer.create');
    expect(e).toMatchObject({ actor: CHIEF, license: 'N1', agencyId: 'AL', before: null });
    expect(e!.after).toEqual({ license: 'N1', ...NEW, source: 'CONSOLE' });
    expect(await world.reevaluationQueued('N1', e!.id)).toBe(true);
    expect((await (await world.as(CHIEF)).get('/api/officers/N1')).status).toBe(200);
  });

  it('is 409 for a license on file, whoever holds it', async () => {
    const r = await (await world.as(CHIEF)).post('/api/officers', { json: { license: 'U1', ...NEW } });
    expect(r.status).toBe(409);
    expect(fieldsOf(r)).toEqual(['license']);
  });

  it('names an agency the viewer may not see as one not on file (400), and is 403 to its escalation address', async () => {
    const otherAgency = await (
      await world.as(CHIEF)
    ).post('/api/officers', {
      json: { license: 'N9', ...NEW, agencyId: 'AU' },
    });
    const noAgency = await (
      await world.as(CHIEF)
    ).post('/api/officers', {
      json: { license: 'N9', ...NEW, agencyId: 'NO-SUCH' },
    });
    expect([otherAgency.status, noAgency.status]).toEqual([400, 400]);
    expect(fieldsOf(otherAgency)).toEqual(['agencyId']);
    expect(fieldsOf(noAgency)).toEqual(['agencyId']);
    for (const who of [PRIMARY, OFFICER, OTHER_CHIEF])
      expect((await (await world.as(who)).post('/api/officers', { json: { license: 'N9', ...NEW } })).status, who).toBe(
        400,
      );
    expect((await (await world.as(ESCALATION)).post('/api/officers', { json: { license: 'N9', ...NEW } })).status).toBe(
      403,
    );
    expect((await world.rig.client().post('/api/officers', { json: { license: 'N9', ...NEW } })).status).toBe(401);
    const admin = await (
      await world.as(ADMIN)
    ).post('/api/officers', { json: { license: 'N2', ...NEW, agencyId: 'AU' } });
    expect(admin.status).toBe(201);
    expect((await world.events('officer.create')).map((e) => e.license)).toEqual(['N1', 'N2']);
  });

  it('names every problem at once, as a roster row would have them (400)', async () => {
    const r = await (
      await world.as(CHIEF)
    ).post('/api/officers', {
      json: { license: 'N 3', firstName: '', email: 'nope', agencyId: 'AL', badge: 7 },
    });
    expect(r.status).toBe(400);
    expect(new Set(fieldsOf(r))).toEqual(new Set(['badge', 'license', 'firstName', 'lastName', 'email']));
  });
});

describe("PATCH /api/officers/:license: an officer's name and e-mail, by the chief and admins", () => {
  it('given the chief, then 200 with the officer, CONSOLE, one audit event with before and after', async () => {
    const r = await (
      await world.as(CHIEF)
    ).patch('/api/officers/T2', {
      json: { lastName: 'Berg-Lund', email: 'lee.berg@albert-lea.example' },
    });
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({
      license: 'T2',
      firstName: 'Lee',
      lastName: 'Berg-Lund',
      email: 'lee.berg@albert-lea.example',
      agencyId: 'AL',
      source: 'CONSOLE',
    });
    const [e] = await world.events('officer.update');
    expect(e).toMatchObject({ license: 'T2', before: { lastName: 'Berg', email: null, source: 'ROSTER' } });
    expect(e!.after).toMatchObject({ lastName: 'Berg-Lund', source: 'CONSOLE' });
    expect(await world.reevaluationQueued('T2', e!.id)).toBe(true);
    // The officer's new address signs in to their own record.
    const lee = await world.rig.signIn('lee.berg@albert-lea.example');
    expect((await lee.get('/api/officers/T2')).status).toBe(200);
  });

  it('is 403 in scope to those who may not (escalation, the district contact, the officer), 404 out of scope', async () => {
    const body = { json: { firstName: 'Dan' } };
    for (const who of [ESCALATION, PRIMARY, OFFICER])
      expect((await (await world.as(who)).patch('/api/officers/T1', body)).status, who).toBe(403);
    for (const who of [OTHER_CHIEF, OTHER_CONTACT])
      expect((await (await world.as(who)).patch('/api/officers/T1', body)).status, who).toBe(404);
    expect((await (await world.as(ADMIN)).patch('/api/officers/NO-SUCH', body)).status).toBe(404);
  });

  it('names every problem at once (400), including a field the console does not change here', async () => {
    const r = await (
      await world.as(ADMIN)
    ).patch('/api/officers/T1', {
      json: { firstName: '', email: 'x@', agencyId: 'AU' },
    });
    expect(r.status).toBe(400);
    expect(new Set(fieldsOf(r))).toEqual(new Set(['agencyId', 'firstName', 'email']));
  });
});

describe('POST /api/officers/:license/assignments: the chief, admins, the contacts of the district', () => {
  it("given an untrained new officer, when ISD241's contact assigns them there from today, then they are DUE today, the contact sees them, and their re-evaluation is queued", async () => {
    const contact = await world.as(PRIMARY);
    expect((await contact.get('/api/officers/N1')).status).toBe(404);
    const r = await contact.post('/api/officers/N1/assignments', {
      json: {
        districtId: 'ISD241',
        school: 'Southwest Middle',
        role: 'REGULAR',
        startDate: today(),
        trainingUnavailable: false,
      },
    });
    expect(r.status).toBe(201);
    expect(r.json()).toEqual({
      license: 'N1',
      districtId: 'ISD241',
      school: 'Southwest Middle',
      role: 'REGULAR',
      startDate: today(),
      endDate: null,
      trainingUnavailable: false,
      source: 'CONSOLE',
    });
    // RULES.md 2 rule 4: untrained on the day they assume SRO duties, due that day.
    const seen = await contact.get('/api/officers/N1');
    expect(seen.status).toBe(200);
    expect(seen.json()).toMatchObject({ status: 'DUE', dueDate: today(), daysRemaining: 0 });
    const list = (await contact.get('/api/officers')).json<{ officers: { license: string }[] }>().officers;
    expect(list.map((o) => o.license).sort()).toEqual(['N1', 'T1']);
    const [e] = await world.events('assignment.create');
    expect(e).toMatchObject({ actor: PRIMARY, license: 'N1', districtId: 'ISD241', before: null });
    expect(await world.reevaluationQueued('N1', e!.id)).toBe(true);
    expect(await world.sourceOf('assignment', 'license = $1', ['N1'])).toMatchObject({ source: 'CONSOLE' });
  });

  it('is 409 for the same officer, district and start day again', async () => {
    const r = await (
      await world.as(CHIEF)
    ).post('/api/officers/N1/assignments', {
      json: { districtId: 'ISD241', role: 'REGULAR', startDate: today() },
    });
    expect(r.status).toBe(409);
    expect(fieldsOf(r)).toEqual(['startDate']);
  });

  it("decides on the body's district: 403 in scope, 404 out of scope, as for a license not on file", async () => {
    const later = addDays(today(), 30);
    const into = (districtId: string) => ({ json: { districtId, role: 'SUBSTITUTE', startDate: later } });
    // ISD241's contact sees T1 but may not assign them in Austin's district.
    expect((await (await world.as(PRIMARY)).post('/api/officers/T1/assignments', into('ISD492'))).status).toBe(403);
    // Austin's contact neither sees T1 nor may assign in ISD241: as for no such officer.
    const out = await (await world.as(OTHER_CONTACT)).post('/api/officers/T1/assignments', into('ISD241'));
    const missing = await (await world.as(OTHER_CONTACT)).post('/api/officers/NO-SUCH/assignments', into('ISD241'));
    expect([out.status, missing.status]).toEqual([404, 404]);
    expect(out.text).toBe(missing.text);
    expect((await (await world.as(OTHER_CHIEF)).post('/api/officers/T1/assignments', into('ISD492'))).status).toBe(404);
    for (const who of [ESCALATION, OFFICER])
      expect((await (await world.as(who)).post('/api/officers/T1/assignments', into('ISD241'))).status, who).toBe(403);
    // The chief anywhere; Austin's contact brings T1 into their own district.
    expect((await (await world.as(CHIEF)).post('/api/officers/T1/assignments', into('ISD492'))).status).toBe(201);
    const other = await (await world.as(OTHER_CONTACT)).post('/api/officers/T2/assignments', into('ISD492'));
    expect(other.status).toBe(201);
  });

  it('names every problem at once (400): the district not on file, the role, the dates', async () => {
    const r = await (
      await world.as(CHIEF)
    ).post('/api/officers/T2/assignments', {
      json: { districtId: 'NO-SUCH', role: 'BOSS', startDate: '2026-02-30', endDate: '2020-01-01', extra: true },
    });
    expect(r.status).toBe(400);
    expect(new Set(fieldsOf(r))).toEqual(new Set(['extra', 'districtId', 'role', 'startDate']));
    const ended = await (
      await world.as(CHIEF)
    ).post('/api/officers/T2/assignments', {
      json: { districtId: 'ISD241', role: 'REGULAR', startDate: '2026-01-05', endDate: '2026-01-04' },
    });
    expect(fieldsOf(ended)).toEqual(['endDate']);
  });
});

describe('PATCH /api/officers/:license/assignments/:districtId/:startDate', () => {
  it("given ISD241's contact ends T1's assignment there, then 200, CONSOLE, the audit event before and after", async () => {
    const r = await (
      await world.as(PRIMARY)
    ).patch('/api/officers/T1/assignments/ISD241/2020-08-24', {
      json: { endDate: today(), school: 'Albert Lea High' },
    });
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ endDate: today(), school: 'Albert Lea High', source: 'CONSOLE' });
    const [e] = await world.events('assignment.update');
    expect(e).toMatchObject({ license: 'T1', districtId: 'ISD241' });
    expect(e!.before).toMatchObject({ endDate: null, school: null, source: 'ROSTER' });
    expect(e!.after).toMatchObject({ endDate: today(), source: 'CONSOLE' });
    expect(await world.reevaluationQueued('T1', e!.id)).toBe(true);
  });

  it('moves the start day, unless another assignment of the officer there starts that day (409)', async () => {
    const chief = await world.as(CHIEF);
    // N1 serves ISD241 from today (above); an earlier assignment there, ended:
    const earlier = await chief.post('/api/officers/N1/assignments', {
      json: { districtId: 'ISD241', role: 'REGULAR', startDate: '2021-01-04', endDate: '2021-06-30' },
    });
    expect(earlier.status).toBe(201);
    const moved = await chief.patch('/api/officers/N1/assignments/ISD241/2021-01-04', {
      json: { startDate: '2021-01-11' },
    });
    expect(moved.status).toBe(200);
    expect(moved.json()).toMatchObject({ startDate: '2021-01-11', endDate: '2021-06-30' });
    const taken = await chief.patch('/api/officers/N1/assignments/ISD241/2021-01-11', {
      json: { startDate: today(), endDate: null },
    });
    expect(taken.status).toBe(409);
    expect(fieldsOf(taken)).toEqual(['startDate']);
  });

  it('is 400 for an end before the start, 404 for an assignment not there, 403 and 404 by role', async () => {
    const chief = await world.as(CHIEF);
    const bad = await chief.patch('/api/officers/T1/assignments/ISD241/2020-08-24', {
      json: { endDate: '2019-01-01' },
    });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad)).toEqual(['endDate']);
    expect((await chief.patch('/api/officers/T1/assignments/ISD241/2021-08-24', { json: {} })).status).toBe(404);
    expect((await chief.patch('/api/officers/T1/assignments/ISD241/2021-02-30', { json: {} })).status).toBe(404);
    const body = { json: { school: 'X' } };
    for (const who of [ESCALATION, OFFICER])
      expect((await (await world.as(who)).patch('/api/officers/T1/assignments/ISD241/2020-08-24', body)).status).toBe(
        403,
      );
    expect(
      (await (await world.as(OTHER_CHIEF)).patch('/api/officers/T1/assignments/ISD241/2020-08-24', body)).status,
    ).toBe(404);
    expect((await world.rig.client().patch('/api/officers/T1/assignments/ISD241/2020-08-24', body)).status).toBe(401);
  });
});
