// The officer page's directory forms (RULES.md 11; INTERFACE.md "Keeping the directory in the
// console"): the officer's name and e-mail, a new assignment, an assignment's last day. Each
// does what the API does (a CONSOLE row, an audit event), answers 303 back with a notice, and a
// form that fails comes back (400, or 409 for a key on file) with each problem by its field's
// label, what was typed kept, nothing saved.
import { describe, expect, it } from 'vitest';
import { ADMIN, CHIEF, ESCALATION, OFFICER, OTHER_CONTACT, PRIMARY, directoryWorld } from '../helpers/directory.ts';

const world = directoryWorld('officer-directory-forms');

describe("the officer page's directory forms", () => {
  it('are folded away, the new assignment first: all three to the chief, a contact those of their district, none to the officer', async () => {
    const chief = (await (await world.as(CHIEF)).get('/officers/T1')).text;
    const add = chief.indexOf('action="/officers/T1/assignments"');
    const end = chief.indexOf('action="/officers/T1/assignments/ISD241/2020-08-24/end"');
    const details = chief.indexOf('action="/officers/T1/details"');
    expect(add).toBeGreaterThan(0);
    expect(end).toBeGreaterThan(add);
    expect(details).toBeGreaterThan(end);
    expect(chief).toContain('<summary><h3 id="form-assignment-h">Add an assignment</h3></summary>');
    // Words for people: no specification file is named on the page.
    expect(chief).not.toMatch(/[A-Z]+\.md\b/);
    expect(chief).toContain('id="officer-firstName" name="firstName" autocomplete="off" value="Dana"');
    const contact = (await (await world.as(PRIMARY)).get('/officers/T1')).text;
    expect(contact).not.toContain('action="/officers/T1/details"');
    expect(contact).toContain('action="/officers/T1/assignments/ISD241/2020-08-24/end"');
    expect(contact).toMatch(/<select id="assignment-districtId"[^>]*>\s*<option value="ISD241"/);
    const officer = (await (await world.as(OFFICER)).get('/officers/T1')).text;
    expect(officer).not.toContain('directory-forms-h');
  });

  it('change the name: 303 back with a notice, a CONSOLE row and an audit event', async () => {
    const chief = await world.as(CHIEF);
    const r = await chief.post('/officers/T2/details', { form: { firstName: 'Leigh', lastName: 'Berg', email: '' } });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/officers/T2?done=officer-saved');
    const page = await chief.get('/officers/T2?done=officer-saved');
    expect(page.text).toContain('Leigh Berg');
    expect(page.text).toMatch(/role="status"><p>The officer&#39;s name and e-mail were saved/);
    expect((await world.sourceOf('officer', 'license = $1', ['T2']))?.source).toBe('CONSOLE');
    expect((await world.events('officer.update')).at(-1)).toMatchObject({ actor: CHIEF, license: 'T2' });
  });

  it('a bad e-mail and an empty name come back by label, typed values kept, nothing saved (400)', async () => {
    const before = (await world.events('officer.update')).length;
    const r = await (
      await world.as(CHIEF)
    ).post('/officers/T2/details', {
      form: { firstName: '', lastName: 'Berg', email: 'lee@' },
    });
    expect(r.status).toBe(400);
    expect(r.text).toContain('href="#officer-firstName">First name must not be empty');
    expect(r.text).toContain('href="#officer-email">E-mail: &quot;lee@&quot; is not an e-mail address');
    expect(r.text).not.toMatch(/>firstName:|>email:/);
    expect(r.text).toContain('value="lee@"');
    expect(r.text).toMatch(/<details class="card form" open>\s*<summary><h3 id="form-officer-h">/);
    expect((await world.events('officer.update')).length).toBe(before);
  });

  it('an admin adds an assignment (303), the same one again is 409 at its first day', async () => {
    const admin = await world.as(ADMIN);
    const form = { districtId: 'ISD492', school: 'Austin High', role: 'SUBSTITUTE', startDate: '2026-01-05' };
    const r = await admin.post('/officers/T2/assignments', { form });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/officers/T2?done=assignment-added');
    const page = await admin.get('/officers/T2?done=assignment-added');
    expect(page.text).toContain('The assignment was added');
    expect(page.text).toContain('Austin High');
    const again = await admin.post('/officers/T2/assignments', { form });
    expect(again.status).toBe(409);
    expect(again.text).toContain('href="#assignment-startDate">First day: ');
    expect(again.text).toContain('value="Austin High"');
  });

  it('a new assignment with no district on file and a bad day names both fields (400)', async () => {
    const r = await (
      await world.as(ADMIN)
    ).post('/officers/T2/assignments', {
      form: { districtId: 'ISD999', role: 'REGULAR', startDate: '2026-02-30' },
    });
    expect(r.status).toBe(400);
    expect(r.text).toContain('href="#assignment-districtId">District: ');
    expect(r.text).toContain('href="#assignment-startDate">First day: ');
  });

  it("a contact ends an assignment in their district; a last day before the first is named at that row's input", async () => {
    const contact = await world.as(PRIMARY);
    const page = (await contact.get('/officers/T1')).text;
    const row = /name="row" value="(\d+)"/.exec(page)![1]!;
    const bad = await contact.post('/officers/T1/assignments/ISD241/2020-08-24/end', {
      form: { endDate: '2019-01-01', row },
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain(`href="#end-${row}-endDate">Last day: `);
    expect(bad.text).toContain('value="2019-01-01"');
    const far = `${new Date().getUTCFullYear() + 5}-06-30`;
    const r = await contact.post('/officers/T1/assignments/ISD241/2020-08-24/end', { form: { endDate: far, row } });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/officers/T1?done=assignment-ended');
    expect((await world.events('assignment.update')).at(-1)).toMatchObject({ actor: PRIMARY, license: 'T1' });
  });

  it("another district's contact may not end it (404: the officer is not theirs to see)", async () => {
    const r = await (
      await world.as(OTHER_CONTACT)
    ).post('/officers/T1/assignments/ISD241/2020-08-24/end', {
      form: { endDate: '2030-06-30' },
    });
    expect(r.status).toBe(404);
  });
});

describe("the agency page's new officer form", () => {
  it('the chief adds an officer (303 to the new officer’s page, where the assignment is added next)', async () => {
    const chief = await world.as(CHIEF);
    const page = (await chief.get('/agencies/AL')).text;
    expect(page).toContain('<summary><h2 id="form-officer-h">Add an officer</h2></summary>');
    const r = await chief.post('/agencies/AL/officers', {
      form: { license: 'T9', firstName: 'Kai', lastName: 'Moe', email: 'kai.moe@albert-lea.example' },
    });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/officers/T9?done=officer-added');
    const officer = await chief.get('/officers/T9?done=officer-added');
    expect(officer.text).toContain('Kai Moe');
    expect(officer.text).toContain('Add their assignment below');
    expect((await world.sourceOf('officer', 'license = $1', ['T9']))?.source).toBe('CONSOLE');
  });

  it('names each problem by its label, keeps what was typed; a license on file is 409 at its field', async () => {
    const chief = await world.as(CHIEF);
    const bad = await chief.post('/agencies/AL/officers', { form: { license: '', firstName: 'Kai', email: 'kai@' } });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('href="#new-license">License number: ');
    expect(bad.text).toContain('href="#new-lastName">Last name: ');
    expect(bad.text).toContain('href="#new-email">E-mail: ');
    expect(bad.text).toContain('value="kai@"');
    // The agency's own form keeps the agency's values.
    expect(bad.text).toContain(
      'id="chiefEmail" name="chiefEmail" autocomplete="email" value="chief@albert-lea.example"',
    );
    const taken = await chief.post('/agencies/AL/officers', { form: { license: 'T1', firstName: 'A', lastName: 'B' } });
    expect(taken.status).toBe(409);
    expect(taken.text).toContain('href="#new-license">License number: ');
  });

  it('is not offered to the escalation address, who may not add an officer (403)', async () => {
    const escalation = await world.as(ESCALATION);
    expect((await escalation.get('/agencies/AL')).text).not.toContain('action="/agencies/AL/officers"');
    const r = await escalation.post('/agencies/AL/officers', {
      form: { license: 'T8', firstName: 'A', lastName: 'B' },
    });
    expect(r.status).toBe(403);
  });
});
