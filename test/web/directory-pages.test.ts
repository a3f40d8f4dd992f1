// The directory's pages (INTERFACE.md "Keeping the directory in the console": each request has
// a page doing the same): the admins' list, an agency's page for its chief, a district's page
// for its contacts, reached from the officer page; each form shown exactly when its request is
// allowed, doing what the API does; a form that fails keeps what was typed and names each
// problem by its field's label (never a field code).
import { describe, expect, it } from 'vitest';
import { hiddenField } from '../helpers/console.ts';
import {
  ADMIN,
  CHIEF,
  DEPUTY,
  ESCALATION,
  OFFICER,
  OTHER_CONTACT,
  PRIMARY,
  SUPERINTENDENT,
  directoryWorld,
} from '../helpers/directory.ts';

const world = directoryWorld('directory-pages');

describe('the admins’ directory list', () => {
  it('lists every agency and district with a link to its page; the navigation offers it to admins only', async () => {
    const page = await (await world.as(ADMIN)).get('/directory');
    expect(page.status).toBe(200);
    for (const href of ['/agencies/AL', '/agencies/AU', '/districts/ISD241', '/districts/ISD492'])
      expect(page.text).toContain(`href="${href}"`);
    expect(page.text).toContain('href="/directory"');
    const home = await (await world.as(CHIEF)).get('/');
    expect(home.text).not.toContain('href="/directory"');
    expect((await (await world.as(CHIEF)).get('/directory')).status).toBe(404);
  });
});

describe('the officer page links to the pages the viewer may open', () => {
  it('the chief to the agency, the district contact to the district, the officer to neither', async () => {
    const chief = (await (await world.as(CHIEF)).get('/officers/T1')).text;
    expect(chief).toContain('href="/agencies/AL"');
    expect(chief).not.toContain('href="/districts/ISD241"');
    const contact = (await (await world.as(PRIMARY)).get('/officers/T1')).text;
    expect(contact).toContain('href="/districts/ISD241"');
    expect(contact).not.toContain('href="/agencies/AL"');
    const officer = (await (await world.as(OFFICER)).get('/officers/T1')).text;
    expect(officer).not.toMatch(/href="\/(agencies|districts)\//);
  });
});

describe("an agency's page", () => {
  it('shows the form to the chief, and to the escalation address only who may change it', async () => {
    const chief = await (await world.as(CHIEF)).get('/agencies/AL');
    expect(chief.status).toBe(200);
    expect(chief.text).toContain('action="/agencies/AL"');
    const escalation = await (await world.as(ESCALATION)).get('/agencies/AL');
    expect(escalation.status).toBe(200);
    expect(escalation.text).not.toContain('action="/agencies/AL"');
    expect(escalation.text).toContain('Only the agency&#39;s chief and admins may change');
    expect((await (await world.as(PRIMARY)).get('/agencies/AL')).status).toBe(404);
  });

  it('sends a bad address back with its problem by label, what was typed kept, nothing saved (400)', async () => {
    const chief = await world.as(CHIEF);
    const r = await chief.post('/agencies/AL', {
      form: {
        name: 'Albert Lea Police Department',
        chiefName: 'Chief Morgan Ellis',
        chiefEmail: 'morgan@',
        escalationEmails: '',
      },
    });
    expect(r.status).toBe(400);
    expect(r.text).toContain('Chief&#39;s e-mail: ');
    expect(r.text).not.toContain('chief.email');
    expect(r.text).toContain('value="morgan@"');
    expect(r.text).toContain('aria-invalid="true"');
    expect((await world.events('agency.update')).length).toBe(0);
  });

  it('asks for the confirmation before the chief e-mail goes (409), and saves with it', async () => {
    const admin = await world.as(ADMIN);
    const form = {
      name: 'Austin Police Department',
      chiefName: 'Chief Sam Hall',
      chiefEmail: '',
      escalationEmails: '',
    };
    const refused = await admin.post('/agencies/AU', { form });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('Confirmation: ');
    const done = await admin.post('/agencies/AU', { form: { ...form, confirmNoContact: 'yes' } });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/agencies/AU?done=saved');
    expect((await admin.get('/api/agencies/AU')).json()).toMatchObject({ chief: { email: null } });
  });

  it('hands the agency over: the chief saves the deputy as chief, lands on their officers with a notice, and loses the page', async () => {
    const chief = await world.as(CHIEF);
    const page = await chief.get('/agencies/AL');
    const r = await chief.post('/agencies/AL', {
      form: {
        name: 'Albert Lea Police Department',
        chiefName: 'Chief Avery Lund',
        chiefEmail: DEPUTY,
        escalationEmails: ESCALATION,
        _csrf: hiddenField(page.text, '_csrf'),
      },
      csrf: false,
    });
    // Not the agency's page (no longer theirs: a 404), but their officers with a notice.
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/?done=handed-over');
    const home = await chief.get('/?done=handed-over');
    expect(home.status).toBe(200);
    expect(home.text).toContain('handed over');
    expect((await chief.get('/agencies/AL')).status).toBe(404);
    const deputy = await world.rig.signIn(DEPUTY);
    const saved = await deputy.get('/agencies/AL?done=saved');
    expect(saved.status).toBe(200);
    expect(saved.text).toContain('The agency was saved');
    expect(saved.text).toContain(DEPUTY);
  });
});

describe("a district's page", () => {
  it('a contact adds a contact in a blank row; the list is saved whole', async () => {
    const pat = await world.as(PRIMARY);
    const page = await pat.get('/districts/ISD241');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Contact 3 (new)');
    const r = await pat.post('/districts/ISD241', {
      form: {
        name: 'Albert Lea Area Schools',
        contactName: ['Pat Reyes', 'Dr. Jo Lind', 'Kim Vang', ''],
        contactEmail: [PRIMARY, SUPERINTENDENT, 'kim.vang@isd241.example', ''],
        contactRole: ['PRIMARY', 'ESCALATION', 'ESCALATION', 'PRIMARY'],
        nonSchoolDays: '2026-12-24\n2026-12-28',
      },
    });
    expect(r.status).toBe(303);
    expect((await pat.get('/api/districts/ISD241')).json()).toMatchObject({
      contacts: [
        { email: PRIMARY },
        { email: SUPERINTENDENT },
        { email: 'kim.vang@isd241.example', role: 'ESCALATION' },
      ],
      nonSchoolDays: ['2026-12-24', '2026-12-28'],
    });
  });

  it('names a bad row by its number and label, keeps every row as typed (400)', async () => {
    const pat = await world.as(PRIMARY);
    const r = await pat.post('/districts/ISD241', {
      form: {
        name: 'Albert Lea Area Schools',
        contactName: ['Pat Reyes', '', 'Kim Vang'],
        contactEmail: [PRIMARY, '', 'kim.vang@'],
        contactRole: ['PRIMARY', 'PRIMARY', 'ESCALATION'],
        nonSchoolDays: '2026-02-30',
      },
    });
    expect(r.status).toBe(400);
    expect(r.text).toContain('Contact 3, e-mail: ');
    expect(r.text).toContain('Days without school: ');
    expect(r.text).toContain('value="kim.vang@"');
    expect(r.text).toContain('2026-02-30</textarea>');
    expect(r.text).not.toMatch(/contacts\.\d/);
  });

  it('is 404 to a chief and another district’s contact; no form for them', async () => {
    for (const who of [CHIEF, OTHER_CONTACT])
      expect((await (await world.as(who)).get('/districts/ISD241')).status, who).toBe(404);
  });
});
