// Roster text is data, never markup (STYLE.md habit 12; src/web/views.ts): names with HTML in
// them show as text on every page, and what a request echoes back is escaped too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleRig, type WebClient, startConsoleRig } from '../helpers/console.ts';

const ADMIN = 'admin@console.example';
const CHIEF = 'chief@agency-a.example';

const FIRST = '<img src=x onerror=alert(1)>';
const LAST = '"><script>alert(1)</script>';
const AGENCY = 'Agency <b>A</b> Police';
const DISTRICT = 'District <i>One</i>';
const SCHOOL = "High School' onmouseover='alert(1)";

const ROSTER = {
  agencies: [{ id: 'AGA', name: AGENCY, chief: { name: '<u>Chief</u>', email: CHIEF } }],
  districts: [{ id: 'D1', name: DISTRICT, kind: 'DISTRICT', contacts: [] }],
  officers: [{ license: 'X1', firstName: FIRST, lastName: LAST, email: null, agencyId: 'AGA' }],
  assignments: [{ license: 'X1', districtId: 'D1', school: SCHOOL, role: 'REGULAR', startDate: '2020-08-24' }],
};

/** Every way the hostile text could be live markup in a page, and none of them is. */
function expectEscaped(html: string) {
  expect(html).not.toContain('<img src=x');
  expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  expect(html).not.toContain('<script>alert(1)');
  expect(html).not.toContain('"><script>');
  expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  expect(html).not.toMatch(/<script\b/i);
  expect(html).not.toContain('<b>A</b>');
}

let rig: ConsoleRig;
let admin: WebClient;
let chief: WebClient;
beforeAll(async () => {
  rig = await startConsoleRig('console-escaping', { ADMIN_EMAILS: ADMIN });
  await rig.load(ROSTER);
  [admin, chief] = await Promise.all([rig.signIn(ADMIN), rig.signIn(CHIEF)]);
});
afterAll(() => rig?.close());

describe('roster names with HTML in them show as text', () => {
  for (const who of ['admin', 'chief'] as const) {
    it(`the officer list (/) as ${who}`, async () => {
      const r = await (who === 'admin' ? admin : chief).get('/');
      expect(r.status).toBe(200);
      expectEscaped(r.text);
      // An admin's list names the agency; a chief's names the school instead (its agency is always
      // their own, and a District column shows only when their officers serve in more than one).
      if (who === 'admin') expect(r.text).toContain('Agency &lt;b&gt;A&lt;/b&gt; Police');
      expect(r.text).toMatch(/High School&(?:#39|#x27|apos);/);
      expect(r.text).not.toContain('<i>One</i>');
      expect(r.text).not.toContain("' onmouseover='");
    });

    it(`the officer page (/officers/X1) as ${who}`, async () => {
      const r = await (who === 'admin' ? admin : chief).get('/officers/X1');
      expect(r.status).toBe(200);
      expectEscaped(r.text);
      expect(r.text).toContain('Agency &lt;b&gt;A&lt;/b&gt; Police');
      expect(r.text).not.toContain('<i>One</i>');
      expect(r.text).toContain('District &lt;i&gt;One&lt;/i&gt;');
      expect(r.text).not.toContain("' onmouseover='");
      expect(r.text).toMatch(/High School&(?:#39|#x27|apos);/);
      // The title too (the officer's name is in it).
      const title = /<title>([^]*?)<\/title>/.exec(r.text)?.[1] ?? '';
      expect(title).toContain('&lt;img src=x');
    });
  }

  it('the API gives the names as they are, as JSON that no browser sniffs into HTML', async () => {
    const r = await chief.get('/api/officers/X1');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.json<{ name: string }>().name).toContain(FIRST);
  });
});

describe('what a request echoes back is escaped', () => {
  it('the search box of the officer list', async () => {
    const r = await chief.get(`/?q=${encodeURIComponent('"><img src=x onerror=alert(1)>')}`);
    expect(r.status).toBe(200);
    expect(r.text).not.toContain('<img src=x');
    expect(r.text).toMatch(/name="q" type="search" value="&(?:quot|#34);&gt;&lt;img src=x onerror=alert\(1\)&gt;"/);
  });

  it('a bad asOf in the error page', async () => {
    const r = await chief.get(`/?asOf=${encodeURIComponent('<img src=x onerror=alert(1)>')}`);
    expect(r.status).toBe(400);
    expect(r.text).not.toContain('<img src=x');
    expect(r.text).toContain('&lt;img src=x');
  });

  it('an address that is not one, in the login form', async () => {
    const r = await rig.client().post('/login', { form: { email: '"><img src=x onerror=alert(1)>' } });
    expect(r.status).toBe(400);
    expect(r.text).not.toContain('<img src=x');
    expect(r.text).toContain('&lt;img src=x');
  });
});
