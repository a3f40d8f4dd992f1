// An agency kept in the console (RULES.md 11, INTERFACE.md "Keeping the directory in the
// console"): `GET` and `PATCH /api/agencies/:id` for every role in and out of scope, every
// problem of a change at once, the confirmation before the chief e-mail goes, one audit event
// per change with the agency before and after, every officer of the agency re-evaluated, and a
// chief who hands over to a deputy losing the agency on their next request.
import { describe, expect, it } from 'vitest';
import {
  ADMIN,
  CHIEF,
  DEPUTY,
  ESCALATION,
  OFFICER,
  OTHER_CHIEF,
  OTHER_CONTACT,
  PRIMARY,
  directoryWorld,
} from '../helpers/directory.ts';

const world = directoryWorld('directory-agencies');

const ALBERT_LEA = {
  id: 'AL',
  name: 'Albert Lea Police Department',
  chief: { name: 'Chief Morgan Ellis', email: CHIEF },
  escalationEmails: [ESCALATION],
  source: 'ROSTER',
};

describe('GET /api/agencies/:id: admins, the chief and the escalation addresses of the agency', () => {
  it('answers the agency as INTERFACE.md gives it to an admin, its chief and its escalation address', async () => {
    for (const who of [ADMIN, CHIEF, ESCALATION]) {
      const r = await (await world.as(who)).get('/api/agencies/AL');
      expect(r.status, who).toBe(200);
      expect(r.json(), who).toEqual(ALBERT_LEA);
    }
  });

  it('is 404 out of scope, exactly as for an agency that does not exist', async () => {
    for (const who of [OTHER_CHIEF, PRIMARY, OTHER_CONTACT, OFFICER]) {
      const client = await world.as(who);
      const out = await client.get('/api/agencies/AL');
      const missing = await client.get('/api/agencies/NO-SUCH-AGENCY');
      expect(out.status, who).toBe(404);
      expect(out.text).toBe(missing.text);
    }
    expect((await (await world.as(ADMIN)).get('/api/agencies/NO-SUCH-AGENCY')).status).toBe(404);
  });

  it('is 401 without a session', async () => {
    expect((await world.rig.client().get('/api/agencies/AL')).status).toBe(401);
  });
});

describe('PATCH /api/agencies/:id: admins and the chief of the agency (RULES.md 11)', () => {
  it('given the chief, when they set the escalation e-mails, then the agency answers them and is CONSOLE, recorded by the chief', async () => {
    const chief = await world.as(CHIEF);
    const r = await chief.patch('/api/agencies/AL', {
      json: { escalationEmails: [ESCALATION, 'lieutenant@albert-lea.example'] },
    });
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({
      ...ALBERT_LEA,
      escalationEmails: [ESCALATION, 'lieutenant@albert-lea.example'],
      source: 'CONSOLE',
    });
    expect(await world.sourceOf('agency', 'id = $1', ['AL'])).toMatchObject({
      source: 'CONSOLE',
      recordedBy: CHIEF,
      recordedAt: expect.any(Date),
    });
  });

  it('records one audit event with the agency before and after, and re-evaluates every officer of the agency', async () => {
    const before = (await world.events('agency.update')).length;
    const chief = await world.as(CHIEF);
    expect((await chief.patch('/api/agencies/AL', { json: { escalationEmails: [ESCALATION] } })).status).toBe(200);
    const events = await world.events('agency.update');
    expect(events).toHaveLength(before + 1);
    const e = events.at(-1)!;
    expect(e).toMatchObject({ actor: CHIEF, agencyId: 'AL', license: null });
    expect(e.before).toMatchObject({ escalationEmails: [ESCALATION, 'lieutenant@albert-lea.example'] });
    expect(e.after).toMatchObject({ escalationEmails: [ESCALATION], source: 'CONSOLE' });
    // T1 and T2 are Albert Lea's; U1 is Austin's.
    expect(await world.reevaluationQueued('T1', e.id)).toBe(true);
    expect(await world.reevaluationQueued('T2', e.id)).toBe(true);
    expect(await world.reevaluationQueued('U1', e.id)).toBe(false);
    // The admin's API has the event, naming the agency.
    const audit = (await world.as(ADMIN)).get('/api/audit');
    const listed = (await audit).json<{ events: { action: string; agencyId?: string }[] }>().events;
    expect(listed.filter((x) => x.action === 'agency.update').at(-1)).toMatchObject({ agencyId: 'AL' });
  });

  it('a change that changes nothing answers the agency and writes nothing', async () => {
    const before = (await world.events('agency.update')).length;
    const r = await (await world.as(CHIEF)).patch('/api/agencies/AL', { json: { name: ALBERT_LEA.name } });
    expect(r.status).toBe(200);
    expect(await world.events('agency.update')).toHaveLength(before);
  });

  it('is 403 to the escalation address (in scope, may not), 404 to everyone out of scope', async () => {
    const body = { json: { name: 'Renamed' } };
    expect((await (await world.as(ESCALATION)).patch('/api/agencies/AL', body)).status).toBe(403);
    for (const who of [OTHER_CHIEF, PRIMARY, OFFICER])
      expect((await (await world.as(who)).patch('/api/agencies/AL', body)).status, who).toBe(404);
    expect((await world.rig.client().patch('/api/agencies/AL', body)).status).toBe(401);
    expect((await (await world.as(OTHER_CHIEF)).get('/api/agencies/AU')).json()).toMatchObject({
      name: 'Austin Police Department',
    });
  });

  it('is 403 without the CSRF token, and nothing changes', async () => {
    const r = await (await world.as(CHIEF)).patch('/api/agencies/AL', { json: { name: 'Forged' }, csrf: false });
    expect(r.status).toBe(403);
    expect((await (await world.as(CHIEF)).get('/api/agencies/AL')).json()).toMatchObject({ name: ALBERT_LEA.name });
  });

  it('names every problem at once, by field, and changes nothing (400)', async () => {
    const before = (await world.events('agency.update')).length;
    const r = await (
      await world.as(ADMIN)
    ).patch('/api/agencies/AL', {
      json: {
        name: '',
        chief: { name: 'Chief\u0007 Ellis', email: 'not-an-address' },
        escalationEmails: ['captain@albert-lea.example', 'nope'],
        colour: 'blue',
      },
    });
    expect(r.status).toBe(400);
    const fields = r.json<{ errors: { field: string; problem: string }[] }>().errors.map((e) => e.field);
    expect(new Set(fields)).toEqual(new Set(['colour', 'name', 'chief.name', 'chief.email', 'escalationEmails.1']));
    expect(await world.events('agency.update')).toHaveLength(before);
  });
});

describe('RULES.md 11 and 5 "Nobody to send to": an agency loses its chief e-mail only when confirmed', () => {
  it('refuses with 409 naming the chief e-mail, then does it with "confirmNoContact": true', async () => {
    const admin = await world.as(ADMIN);
    const refused = await admin.patch('/api/agencies/AU', { json: { chief: { name: 'Chief Sam Hall', email: null } } });
    expect(refused.status).toBe(409);
    expect(refused.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toEqual(['chief.email']);
    expect((await admin.get('/api/agencies/AU')).json()).toMatchObject({ chief: { email: OTHER_CHIEF } });

    const done = await admin.patch('/api/agencies/AU', { json: { chief: null, confirmNoContact: true } });
    expect(done.status).toBe(200);
    expect(done.json()).toMatchObject({ chief: { name: null, email: null }, source: 'CONSOLE' });
    // The former chief's next request: the agency is no longer theirs.
    expect((await (await world.as(OTHER_CHIEF)).get('/api/agencies/AU')).status).toBe(404);
    // A new chief needs no confirmation.
    const back = await admin.patch('/api/agencies/AU', {
      json: { chief: { name: 'Chief Sam Hall', email: OTHER_CHIEF } },
    });
    expect(back.status).toBe(200);
    expect((await (await world.as(OTHER_CHIEF)).get('/api/agencies/AU')).status).toBe(200);
  });
});

describe('a chief hands over to a deputy (scopes follow on the next request)', () => {
  it("given the chief sets the deputy as chief, then the old chief's next request is 404 and the deputy's works", async () => {
    const chief = await world.as(CHIEF);
    const officers = await chief.get('/api/officers');
    expect(officers.json<{ officers: unknown[] }>().officers).toHaveLength(2);

    const r = await chief.patch('/api/agencies/AL', { json: { chief: { name: 'Chief Avery Lund', email: DEPUTY } } });
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ chief: { name: 'Chief Avery Lund', email: DEPUTY } });

    // The same session, its next requests: the agency, its officers and their pages are gone.
    expect((await chief.get('/api/agencies/AL')).status).toBe(404);
    expect((await chief.get('/api/officers/T2')).status).toBe(404);
    expect((await chief.get('/api/officers')).json<{ officers: unknown[] }>().officers).toEqual([]);
    expect((await chief.patch('/api/agencies/AL', { json: { chief: { name: 'x', email: CHIEF } } })).status).toBe(404);

    // The deputy signs in (a known address now) and has the agency and its officers.
    const deputy = await world.rig.signIn(DEPUTY);
    expect((await deputy.get('/api/session')).json()).toMatchObject({ roles: [{ role: 'CHIEF', agencyId: 'AL' }] });
    expect((await deputy.get('/api/agencies/AL')).status).toBe(200);
    expect((await deputy.get('/api/officers/T2')).status).toBe(200);
    expect((await deputy.get('/api/officers')).json<{ officers: unknown[] }>().officers).toHaveLength(2);
  });
});
