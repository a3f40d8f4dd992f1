// The officer list (INTERFACE.md "Console": `/`, the officers in scope with counts by status and
// filters): the columns each viewer needs, a substitute's days, the counts in urgency order,
// columns sorted by links, and "Download CSV" of the list as filtered, on the demo roster.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleRig, type WebClient, startConsoleRig } from '../helpers/console.ts';
import { DEMO_ROSTER_JSON } from '../helpers/roster-database.ts';

const AS_OF = '2026-03-02';
const CHIEF = 'chief.ellis@albertlea-pd.example';
/** Albert Lea Area Schools' contact: some of the district's officers serve in ISD242 too. */
const ONE_DISTRICT_CONTACT = 'jhalvorson@isd241.example';
const FORMULA_NAME = '=HYPERLINK("http://evil.example")';

let rig: ConsoleRig;
let chief: WebClient;
beforeAll(async () => {
  rig = await startConsoleRig('officer-list', { ADMIN_EMAILS: 'admin@example.org' });
  const roster = JSON.parse(readFileSync(DEMO_ROSTER_JSON, 'utf8')) as {
    officers: { license: string; firstName: string }[];
  };
  // A name a spreadsheet would run as a formula: the CSV must defuse it.
  roster.officers.find((o) => o.license === '24101')!.firstName = FORMULA_NAME;
  await rig.load(roster);
  chief = await rig.signIn(CHIEF);
}, 60_000);
afterAll(() => rig?.close());

/** The table's column headings, in order. */
const headings = (html: string) =>
  [...(/<thead>([\s\S]*?)<\/thead>/.exec(html)?.[1] ?? '').matchAll(/<th scope="col"[^>]*>([\s\S]*?)<\/th>/g)].map(
    (m) =>
      m[1]!
        .replace(/<span class="visually-hidden">[\s\S]*?<\/span>/g, '')
        .replace(/<[^>]+>/g, '')
        .replace(/[▲▼]/g, '')
        .trim(),
  );
/** The licenses of the table's rows, in order. */
const licenses = (html: string) => [...html.matchAll(/<span class="license">#([^<]+)<\/span>/g)].map((m) => m[1]!);

describe("a chief's list", () => {
  it('given the Albert Lea chief, shows District and School, not their own agency', async () => {
    const r = await chief.get(`/?asOf=${AS_OF}`);
    expect(r.status).toBe(200);
    expect(headings(r.text)).toEqual([
      'Officer',
      'District',
      'School',
      'Status',
      'Due',
      'Days left or served',
      'Open issues',
    ]);
    expect(r.text).toContain('<td data-label="School">Lakeview Elementary</td>');
    expect(r.text).not.toContain('data-label="Agency"');
  });

  it('a substitute shows the contact days served of the 59 allowed', async () => {
    const r = await chief.get(`/?asOf=${AS_OF}&status=EXEMPT_SUBSTITUTE`);
    expect(r.text).toMatch(/\d+ of 59 days served/);
  });

  it('a substitute whose scheduled days reach the 60th shows that day: Jo Lindqvist, 54 of 59 served, 60th day 2026-03-10', async () => {
    const r = await chief.get(`/?asOf=${AS_OF}&status=EXEMPT_SUBSTITUTE`);
    const row = /<tr[^>]*>(?:(?!<\/tr>)[\s\S])*?#24113(?:(?!<\/tr>)[\s\S])*<\/tr>/.exec(r.text)?.[0] ?? '';
    expect(row).toContain('54 of 59 days served; 60th day <span class="date">2026-03-10</span>');
    const csv = await chief.get(`/officers.csv?asOf=${AS_OF}&status=EXEMPT_SUBSTITUTE`);
    expect(csv.text.split('\r\n').find((l) => l.includes('24113'))).toContain('2026-03-10');
  });

  it('counts the statuses in urgency order: overdue first, compliant last', async () => {
    const r = await chief.get(`/?asOf=${AS_OF}`);
    const order = [...r.text.matchAll(/<span class="label">([^<]+)<\/span>/g)].map((m) => m[1]);
    expect(order[0]).toBe('Overdue');
    expect(order.at(-1)).toBe('Compliant');
    expect(order).toHaveLength(6);
  });
});

describe('a district contact with one district', () => {
  it('gets no district filter, and an Agency column but no District column', async () => {
    const contact = await rig.signIn(ONE_DISTRICT_CONTACT);
    const r = await contact.get(`/?asOf=${AS_OF}`);
    expect(r.status).toBe(200);
    expect(r.text).not.toContain('id="f-district"');
    expect(headings(r.text)).not.toContain('District');
    expect(headings(r.text)).toContain('School');
  });
});

describe('columns sorted by links', () => {
  it('the Officer heading sorts by name, and again the other way', async () => {
    const first = await chief.get(`/?asOf=${AS_OF}`);
    const link = /<a href="([^"]*sort=name[^"]*)">Officer/.exec(first.text)?.[1]?.replace(/&amp;/g, '&');
    expect(link).toBeDefined();
    const byName = await chief.get(link!);
    expect(byName.status).toBe(200);
    expect(byName.text).toContain('aria-sort="ascending"');
    const names = [...byName.text.matchAll(/<th scope="row"><a [^>]*>([^<]+)<\/a>/g)].map((m) =>
      m[1]!.replace(/&quot;/g, '"').replace(/&#39;/g, "'"),
    );
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })));
    const back = /<a href="([^"]*sort=name[^"]*order=desc[^"]*)">Officer/
      .exec(byName.text)?.[1]
      ?.replace(/&amp;/g, '&');
    expect(back).toBeDefined();
    const desc = await chief.get(back!);
    expect(licenses(desc.text)).toEqual([...licenses(byName.text)].reverse());
  });

  it('the Due heading puts officers without a due date last', async () => {
    const r = await chief.get(`/?asOf=${AS_OF}&sort=due`);
    const dues = [...r.text.matchAll(/<td data-label="Due" class="date( empty)?">([^<]*)<\/td>/g)].map((m) => m[2]!);
    const dated = dues.filter((x) => x !== '—');
    expect(dated).toEqual([...dated].sort());
    expect(dues.slice(dated.length).every((x) => x === '—')).toBe(true);
  });

  it('a sort the list does not know is refused (400), naming the parameter', async () => {
    const r = await chief.get(`/?sort=salary`);
    expect(r.status).toBe(400);
    expect(r.text).toContain('is not a column the list sorts by');
    expect((await chief.get(`/?sort=name&order=sideways`)).status).toBe(400);
  });
});

describe('Download CSV', () => {
  it('is the list as filtered and sorted, with a formula cell defused', async () => {
    const page = await chief.get(`/?asOf=${AS_OF}&status=COMPLIANT&sort=name`);
    const href = /<a href="([^"]+)" download>Download CSV<\/a>/.exec(page.text)?.[1]?.replace(/&amp;/g, '&');
    expect(href).toMatch(/^\/officers\.csv\?/);
    const csv = await chief.get(href!);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toContain(`officers-${AS_OF}.csv`);
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      '"Officer","License","District","School","Status","Due date","Days left or served","Scheduled 60th day","Open issues"',
    );
    const rows = lines.slice(1);
    expect(rows.map((l) => /^"(?:[^"]|"")*","([^"]*)"/.exec(l)?.[1])).toEqual(licenses(page.text));
    expect(rows.every((l) => l.includes('"Compliant"'))).toBe(true);
    // 24101's first name starts with '=': the cell starts with an apostrophe, its quotes doubled.
    expect(csv.text).toContain(`"'=HYPERLINK(""http://evil.example"") Johnson","24101"`);
  });

  it('signed out, sends the person to sign in first', async () => {
    const r = await rig.client().get('/officers.csv');
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/login');
  });
});
