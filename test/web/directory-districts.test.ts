// A district kept in the console (RULES.md 11, INTERFACE.md "Keeping the directory in the
// console"): `GET` and `PATCH /api/districts/:id` for every role in and out of scope, the
// whole contact list and the district's days without school, every problem at once, the
// confirmation before the last PRIMARY contact goes, the audit event, the officers assigned
// there re-evaluated, and contacts gained or lost taking effect on the next request.
import { describe, expect, it } from 'vitest';
import {
  ADMIN,
  CHIEF,
  ESCALATION,
  OFFICER,
  OTHER_CHIEF,
  OTHER_CONTACT,
  PRIMARY,
  SUPERINTENDENT,
  directoryWorld,
} from '../helpers/directory.ts';

const world = directoryWorld('directory-districts');

const PAT = { name: 'Pat Reyes', email: PRIMARY, role: 'PRIMARY' };
const JO = { name: 'Dr. Jo Lind', email: SUPERINTENDENT, role: 'ESCALATION' };
const NEW_CONTACT = 'kim.vang@isd241.example';
const KIM = { name: 'Kim Vang', email: NEW_CONTACT, role: 'ESCALATION' };

const ISD241 = {
  id: 'ISD241',
  name: 'Albert Lea Area Schools',
  kind: 'DISTRICT',
  contacts: [PAT, JO],
  nonSchoolDays: [],
  source: 'ROSTER',
};

describe('GET /api/districts/:id: admins and the contacts of the district', () => {
  it('answers the district as INTERFACE.md gives it to an admin and to its PRIMARY and ESCALATION contacts', async () => {
    for (const who of [ADMIN, PRIMARY, SUPERINTENDENT]) {
      const r = await (await world.as(who)).get('/api/districts/ISD241');
      expect(r.status, who).toBe(200);
      expect(r.json(), who).toEqual(ISD241);
    }
  });

  it('is 404 out of scope (another district, an agency, an officer), exactly as for one that does not exist', async () => {
    for (const who of [OTHER_CONTACT, CHIEF, ESCALATION, OTHER_CHIEF, OFFICER]) {
      const client = await world.as(who);
      const out = await client.get('/api/districts/ISD241');
      expect(out.status, who).toBe(404);
      expect(out.text).toBe((await client.get('/api/districts/NO-SUCH-DISTRICT')).text);
    }
    expect((await world.rig.client().get('/api/districts/ISD241')).status).toBe(401);
  });
});

describe('PATCH /api/districts/:id: admins and the contacts of the district (RULES.md 11)', () => {
  it("given the PRIMARY contact adds a contact, then the list is the one sent, CONSOLE, and the new contact sees the district's officers on signing in", async () => {
    const pat = await world.as(PRIMARY);
    const r = await pat.patch('/api/districts/ISD241', { json: { contacts: [PAT, JO, KIM] } });
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ ...ISD241, contacts: [PAT, JO, KIM], source: 'CONSOLE' });
    expect(await world.sourceOf('district', 'id = $1', ['ISD241'])).toMatchObject({
      source: 'CONSOLE',
      recordedBy: PRIMARY,
    });

    const kim = await world.rig.signIn(NEW_CONTACT);
    expect((await kim.get('/api/session')).json()).toMatchObject({
      roles: [{ role: 'DISTRICT_CONTACT', districtId: 'ISD241' }],
    });
    expect((await kim.get('/api/districts/ISD241')).status).toBe(200);
    const officers = (await kim.get('/api/officers')).json<{ officers: { license: string }[] }>().officers;
    expect(officers.map((o) => o.license)).toEqual(['T1']);
  });

  it('records one audit event with the district before and after, and re-evaluates the officers assigned there', async () => {
    const events = await world.events('district.update');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: PRIMARY, districtId: 'ISD241', license: null });
    expect(events[0]!.before).toMatchObject({ contacts: [PAT, JO], source: 'ROSTER' });
    expect(events[0]!.after).toMatchObject({ contacts: [PAT, JO, KIM], source: 'CONSOLE' });
    expect(await world.reevaluationQueued('T1', events[0]!.id)).toBe(true);
    expect(await world.reevaluationQueued('U1', events[0]!.id)).toBe(false);
  });

  it('a contact taken off the list loses the district on their next request', async () => {
    const kim = await world.rig.signIn(NEW_CONTACT);
    expect((await kim.get('/api/officers/T1')).status).toBe(200);
    const r = await (await world.as(SUPERINTENDENT)).patch('/api/districts/ISD241', { json: { contacts: [PAT, JO] } });
    expect(r.status).toBe(200);
    expect((await kim.get('/api/districts/ISD241')).status).toBe(404);
    expect((await kim.get('/api/officers/T1')).status).toBe(404);
  });

  it("sets the district's days without school: each once, in order", async () => {
    const r = await (
      await world.as(PRIMARY)
    ).patch('/api/districts/ISD241', {
      json: { nonSchoolDays: ['2026-12-28', '2026-12-24', '2026-12-28'] },
    });
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ nonSchoolDays: ['2026-12-24', '2026-12-28'], contacts: [PAT, JO] });
    expect((await (await world.as(ADMIN)).get('/api/districts/ISD241')).json()).toMatchObject({
      nonSchoolDays: ['2026-12-24', '2026-12-28'],
    });
  });

  it('names every problem at once, by field, and changes nothing (400)', async () => {
    const before = (await world.events('district.update')).length;
    const r = await (
      await world.as(PRIMARY)
    ).patch('/api/districts/ISD241', {
      json: {
        name: 5,
        kind: 'CHARTER',
        contacts: [
          PAT,
          { name: '', email: 'not-an-address', role: 'BOSS' },
          { ...JO, email: SUPERINTENDENT.toUpperCase() },
          JO,
        ],
        nonSchoolDays: ['2026-12-24', '2026-02-30'],
      },
    });
    expect(r.status).toBe(400);
    const fields = r.json<{ errors: { field: string }[] }>().errors.map((e) => e.field);
    expect(new Set(fields)).toEqual(
      new Set([
        'kind',
        'name',
        'contacts.1.name',
        'contacts.1.email',
        'contacts.1.role',
        'contacts.3.email',
        'nonSchoolDays.1',
      ]),
    );
    const duplicate = await (
      await world.as(PRIMARY)
    ).patch('/api/districts/ISD241', {
      json: { contacts: [PAT, JO, { ...JO, email: SUPERINTENDENT.toUpperCase() }] },
    });
    expect(duplicate.status).toBe(400);
    expect(duplicate.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toEqual(['contacts.2.email']);
    expect(await world.events('district.update')).toHaveLength(before);
  });

  it('is 404 to the chief, the agency escalation address, the officer and the other district; 401 signed out', async () => {
    const body = { json: { contacts: [PAT] } };
    for (const who of [CHIEF, ESCALATION, OFFICER, OTHER_CONTACT, OTHER_CHIEF])
      expect((await (await world.as(who)).patch('/api/districts/ISD241', body)).status, who).toBe(404);
    expect((await world.rig.client().patch('/api/districts/ISD241', body)).status).toBe(401);
    expect((await (await world.as(ADMIN)).get('/api/districts/ISD241')).json()).toMatchObject({ contacts: [PAT, JO] });
  });
});

describe('RULES.md 11 and 5 "Nobody to send to": a district loses its last PRIMARY contact only when confirmed', () => {
  it('refuses with 409 naming the contacts, then does it with "confirmNoContact": true', async () => {
    const admin = await world.as(ADMIN);
    const refused = await admin.patch('/api/districts/ISD492', { json: { contacts: [] } });
    expect(refused.status).toBe(409);
    expect(refused.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toEqual(['contacts']);
    // An ESCALATION contact alone leaves no PRIMARY either.
    const escalationOnly = [{ name: 'Ray Dunn', email: OTHER_CONTACT, role: 'ESCALATION' }];
    expect((await admin.patch('/api/districts/ISD492', { json: { contacts: escalationOnly } })).status).toBe(409);
    expect((await (await world.as(OTHER_CONTACT)).get('/api/districts/ISD492')).status).toBe(200);

    const done = await admin.patch('/api/districts/ISD492', { json: { contacts: [], confirmNoContact: true } });
    expect(done.status).toBe(200);
    expect(done.json()).toMatchObject({ contacts: [], source: 'CONSOLE' });
    expect((await (await world.as(OTHER_CONTACT)).get('/api/districts/ISD492')).status).toBe(404);
    // Adding a PRIMARY back needs no confirmation.
    const back = [{ name: 'Ray Dunn', email: OTHER_CONTACT, role: 'PRIMARY' }];
    expect((await admin.patch('/api/districts/ISD492', { json: { contacts: back } })).status).toBe(200);
    expect((await (await world.as(OTHER_CONTACT)).get('/api/districts/ISD492')).status).toBe(200);
  });

  it('a confirmation that is not true or false is a problem of its own', async () => {
    const r = await (
      await world.as(ADMIN)
    ).patch('/api/districts/ISD492', {
      json: { contacts: [], confirmNoContact: 'yes' },
    });
    expect(r.status).toBe(400);
    expect(r.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toEqual(['confirmNoContact']);
  });
});
