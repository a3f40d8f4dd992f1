// The authorization matrix (INTERFACE.md "Console", "Who sees what"): every row of the route
// table (src/web/routes.ts) × every role × (for `:license` routes) an officer in scope, one
// out of scope and a license that does not exist, each cell with its expected answer. The
// expectations are one table keyed like ROUTES: a route added without its line here fails.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withClient } from '../../support/postgres.ts';
import { ROUTES, type RouteKey } from '../../src/web/routes.ts';
import { type ConsoleRig, type WebClient, type WebResponse, startConsoleRig } from '../helpers/console.ts';

// Dates relative to the real clock (the console's "today" is the real today in TZ): an
// assignment that ended in June of last year, and one that starts in June of next year.
const year = new Date().getUTCFullYear();
const ENDED_LAST_YEAR = `${year - 1}-06-30`;
const STARTS_NEXT_YEAR = `${year + 1}-06-30`;

const ADMIN = 'admin@console.example';
const CHIEF_A = 'chief@agency-a.example';
const CHIEF_B = 'chief@agency-b.example';
const ESCALATION_A = 'deputy@agency-a.example';
const CONTACT_D1 = 'contact@d1.example';
const CONTACT_D2 = 'contact@d2.example';
const OFFICER_A2 = 'officer.a2@agency-a.example';
/** Chief of agency C and ESCALATION contact of D2: the two roles add up. */
const DUAL = 'chief@agency-c.example';

const ROSTER = {
  agencies: [
    {
      id: 'AGA',
      name: 'Agency A Police',
      chief: { name: 'Chief A', email: CHIEF_A },
      escalationEmails: [ESCALATION_A],
    },
    { id: 'AGB', name: 'Agency B Sheriff', chief: { name: 'Chief B', email: CHIEF_B }, escalationEmails: [] },
    { id: 'AGC', name: 'Agency C Police', chief: { name: 'Chief C', email: DUAL }, escalationEmails: [] },
  ],
  districts: [
    {
      id: 'D1',
      name: 'District One',
      kind: 'DISTRICT',
      contacts: [{ name: 'C1', email: CONTACT_D1, role: 'PRIMARY' }],
    },
    {
      id: 'D2',
      name: 'District Two',
      kind: 'DISTRICT',
      contacts: [
        { name: 'C2', email: CONTACT_D2, role: 'PRIMARY' },
        { name: 'Dual', email: DUAL, role: 'ESCALATION' },
      ],
    },
  ],
  officers: [
    { license: 'A1', firstName: 'Ann', lastName: 'One', email: null, agencyId: 'AGA' },
    { license: 'A2', firstName: 'Abe', lastName: 'Two', email: OFFICER_A2, agencyId: 'AGA' },
    { license: 'A3', firstName: 'Ada', lastName: 'Three', email: null, agencyId: 'AGA' },
    { license: 'B1', firstName: 'Bo', lastName: 'One', email: null, agencyId: 'AGB' },
    { license: 'B2', firstName: 'Bea', lastName: 'Two', email: null, agencyId: 'AGB' },
    { license: 'B3', firstName: 'Ben', lastName: 'Three', email: null, agencyId: 'AGB' },
    { license: 'C1', firstName: 'Cy', lastName: 'One', email: null, agencyId: 'AGC' },
  ],
  assignments: [
    // Active today in D1: A1 (agency A) and B3 (agency B).
    { license: 'A1', districtId: 'D1', role: 'REGULAR', startDate: '2020-08-24', endDate: null },
    { license: 'B3', districtId: 'D1', role: 'REGULAR', startDate: '2020-08-24', endDate: null },
    // Not active today in D1: ended last year, and starting next year.
    { license: 'A3', districtId: 'D1', role: 'REGULAR', startDate: '2020-08-24', endDate: ENDED_LAST_YEAR },
    { license: 'B2', districtId: 'D1', role: 'REGULAR', startDate: STARTS_NEXT_YEAR, endDate: null },
    // Active today in D2: B1.
    { license: 'B1', districtId: 'D2', role: 'REGULAR', startDate: '2020-08-24', endDate: null },
  ],
};

const MISSING_LICENSE = 'NO-SUCH-1';

type Role = 'admin' | 'chiefA' | 'chiefB' | 'escalationA' | 'contactD1' | 'contactD2' | 'officer' | 'signedOut';
const ROLES: readonly Role[] = [
  'admin',
  'chiefA',
  'chiefB',
  'escalationA',
  'contactD1',
  'contactD2',
  'officer',
  'signedOut',
];

interface RoleSpec {
  email: string | null;
  /** Exactly the officers the role sees today. */
  sees: string[];
  /** An officer in scope, and one that exists but is out of scope (none for an admin). */
  inScope: string;
  outOfScope: string | null;
  roles: { role: string; agencyId?: string; districtId?: string; license?: string }[];
}

const ROLE: Record<Role, RoleSpec> = {
  admin: {
    email: ADMIN,
    sees: ['A1', 'A2', 'A3', 'B1', 'B2', 'B3', 'C1'],
    inScope: 'B2',
    outOfScope: null,
    roles: [{ role: 'ADMIN' }],
  },
  chiefA: {
    email: CHIEF_A,
    sees: ['A1', 'A2', 'A3'],
    inScope: 'A3',
    outOfScope: 'B1',
    roles: [{ role: 'CHIEF', agencyId: 'AGA' }],
  },
  chiefB: {
    email: CHIEF_B,
    sees: ['B1', 'B2', 'B3'],
    inScope: 'B2',
    outOfScope: 'A1',
    roles: [{ role: 'CHIEF', agencyId: 'AGB' }],
  },
  escalationA: {
    email: ESCALATION_A,
    sees: ['A1', 'A2', 'A3'],
    inScope: 'A1',
    outOfScope: 'B3',
    roles: [{ role: 'AGENCY_ESCALATION', agencyId: 'AGA' }],
  },
  contactD1: {
    email: CONTACT_D1,
    sees: ['A1', 'B3'],
    inScope: 'B3',
    // Assigned in D1 until last year: no longer D1's.
    outOfScope: 'A3',
    roles: [{ role: 'DISTRICT_CONTACT', districtId: 'D1' }],
  },
  contactD2: {
    email: CONTACT_D2,
    sees: ['B1'],
    inScope: 'B1',
    outOfScope: 'B3',
    roles: [{ role: 'DISTRICT_CONTACT', districtId: 'D2' }],
  },
  officer: {
    email: OFFICER_A2,
    sees: ['A2'],
    inScope: 'A2',
    outOfScope: 'A1',
    roles: [{ role: 'OFFICER', license: 'A2' }],
  },
  signedOut: { email: null, sees: [], inScope: 'A1', outOfScope: null, roles: [] },
};

type Target = 'in' | 'out' | 'missing';

interface Expected {
  status: number;
  /** The Location of a redirect. */
  location?: string;
  /** The content type's essence. */
  type?: 'text/html' | 'application/json' | 'text/css' | 'application/pdf' | 'text/csv';
}

interface Line {
  /** The route table's access for the row, restated: a change of access must change this file too. */
  access: (typeof ROUTES)[RouteKey]['access'];
  /** A query string, or the form fields of a POST (the CSRF token is added to every POST). */
  query?: string;
  form?: Record<string, string>;
  /** Form fields by role and license (the pages' forms). */
  formOf?: (role: Role, license: string) => Record<string, string>;
  /** A JSON body of a POST (the API's write routes), by role and license. */
  json?: (role: Role, license: string) => unknown;
  /** The fields of a multipart/form-data POST. */
  multipart?: Record<string, string>;
  /** The path's other parameters (`:id`, `:sha256`), by role and license. */
  params?: (role: Role, license: string) => Record<string, string>;
  expect(role: Role, target: Target | null): Expected;
}

const html = (status: number): Expected => ({ status, type: 'text/html' });
const json = (status: number): Expected => ({ status, type: 'application/json' });
const toLogin: Expected = { status: 303, location: '/login' };
const signInFirst = json(401);

/** Page of a signed-in route: 303 to /login signed out, else the page. */
const signedInPage = (role: Role) => (role === 'signedOut' ? toLogin : html(200));
const signedInApi = (role: Role) => (role === 'signedOut' ? signInFirst : json(200));
/** A :license route: in scope answers, out of scope and missing both 404. */
const scoped = (role: Role, target: Target | null, ok: Expected, notFound: Expected, signedOut: Expected) =>
  role === 'signedOut' ? signedOut : target === 'in' ? ok : notFound;

/**
 * A write route (RULES.md 7, RULES.md 6): signed out 401, out of scope 404 (as a license that
 * does not exist), in scope 403 for a role that may not record it, else `ok`.
 */
const write = (role: Role, target: Target | null, allowed: readonly Role[], ok: Expected | ((r: Role) => Expected)) =>
  role === 'signedOut'
    ? signInFirst
    : target !== 'in'
      ? json(404)
      : allowed.includes(role)
        ? typeof ok === 'function'
          ? ok(role)
          : ok
        : json(403);

/**
 * A form of the officer page (HTML): signed out 303 to /login, out of scope or missing the
 * 404 page, a role in scope that may not the 403 page, else `ok`.
 */
const formWrite = (
  role: Role,
  target: Target | null,
  allowed: readonly Role[],
  ok: Expected | ((r: Role) => Expected),
): Expected =>
  role === 'signedOut'
    ? toLogin
    : target !== 'in'
      ? html(404)
      : allowed.includes(role)
        ? typeof ok === 'function'
          ? ok(role)
          : ok
        : html(403);
/** Back to the officer's page with a confirmation. */
const backTo = (role: Role, done?: string): Expected => ({
  status: 303,
  ...(done ? { location: `/officers/${ROLE[role].inScope}?done=${done}` } : {}),
});

/** Who may record a training, read a certificate, delete a CONSOLE training: the officer's chief, admins. */
const CHIEFS_AND_ADMINS: readonly Role[] = ['admin', 'chiefA', 'chiefB'];
/** A policy review: also the officer themself. */
const REVIEWERS: readonly Role[] = [...CHIEFS_AND_ADMINS, 'officer'];
/** Contact days: also the contacts of the district served (each in-scope officer of theirs is in their district). */
const DAY_RECORDERS: readonly Role[] = [...CHIEFS_AND_ADMINS, 'contactD1', 'contactD2'];
/** The district each officer's contact days are recorded for (one of its assignments). */
const DISTRICT_OF: Record<string, string> = { A1: 'D1', A2: 'D1', A3: 'D1', B1: 'D2', B2: 'D1', B3: 'D1', C1: 'D1' };
const RECORDED_ON = '2026-01-05';

/** The certificate file every officer's CONSOLE trainings carry (inserted before the matrix). */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
const PDF_SHA256 = createHash('sha256').update(PDF).digest('hex');
/** A CONSOLE training and policy review per (role, officer) for the delete cells: `${role}:${license}` → id. */
const deletableTraining = new Map<string, string>();
const deletableReview = new Map<string, string>();
/** The same for the forms' delete buttons. */
const formDeletableTraining = new Map<string, string>();
const formDeletableReview = new Map<string, string>();

const EXPECTATIONS: Record<RouteKey, Line> = {
  livez: { access: 'PUBLIC', expect: () => json(200) },
  readyz: { access: 'PUBLIC', expect: () => json(200) },
  css: { access: 'PUBLIC', expect: () => ({ status: 200, type: 'text/css' }) },
  loginForm: { access: 'PUBLIC', expect: () => html(200) },
  // An address not on file: the same page, and no e-mail to anyone.
  login: { access: 'PUBLIC', form: { email: 'nobody@nowhere.example' }, expect: () => html(200) },
  // A token that was never issued: the link's page says it is not valid.
  verifyForm: { access: 'PUBLIC', query: '?token=never-issued', expect: () => html(400) },
  verify: { access: 'PUBLIC', form: { token: 'never-issued' }, expect: () => html(400) },
  logout: { access: 'PUBLIC', expect: () => ({ status: 303, location: '/login' }) },
  home: { access: 'SIGNED_IN', expect: signedInPage },
  officer: { access: 'OFFICER', expect: (r, t) => scoped(r, t, html(200), html(404), toLogin) },
  apiSession: { access: 'SIGNED_IN', expect: signedInApi },
  apiOfficers: { access: 'SIGNED_IN', expect: signedInApi },
  apiOfficer: { access: 'OFFICER', expect: (r, t) => scoped(r, t, json(200), json(404), signInFirst) },
  apiRecordTraining: {
    access: 'OFFICER',
    multipart: { kind: 'SRO_MANDATED', completedOn: RECORDED_ON },
    expect: (r, t) => write(r, t, CHIEFS_AND_ADMINS, json(201)),
  },
  apiDeleteTraining: {
    access: 'OFFICER',
    json: () => ({}),
    params: (role, license) => ({ id: deletableTraining.get(`${role}:${license}`) ?? '1' }),
    expect: (r, t) => write(r, t, CHIEFS_AND_ADMINS, json(200)),
  },
  apiCertificate: {
    access: 'OFFICER',
    params: () => ({ sha256: PDF_SHA256 }),
    expect: (r, t) => write(r, t, CHIEFS_AND_ADMINS, { status: 200, type: 'application/pdf' }),
  },
  apiRecordPolicyReview: {
    access: 'OFFICER',
    json: () => ({ reviewedOn: RECORDED_ON }),
    expect: (r, t) => write(r, t, REVIEWERS, json(201)),
  },
  apiDeletePolicyReview: {
    access: 'OFFICER',
    json: () => ({}),
    params: (role, license) => ({ id: deletableReview.get(`${role}:${license}`) ?? '1' }),
    expect: (r, t) => write(r, t, REVIEWERS, json(200)),
  },
  apiRecordContactDays: {
    access: 'OFFICER',
    json: (_role, license) => ({ districtId: DISTRICT_OF[license] ?? 'D1', dates: [RECORDED_ON] }),
    expect: (r, t) => write(r, t, DAY_RECORDERS, json(201)),
  },
  apiDeleteContactDays: {
    access: 'OFFICER',
    json: (_role, license) => ({ districtId: DISTRICT_OF[license] ?? 'D1', dates: [RECORDED_ON] }),
    expect: (r, t) => write(r, t, DAY_RECORDERS, json(200)),
  },
  // The matrix's in-scope officers of the roles that may acknowledge are not OVERDUE (409);
  // the others in scope received no overdue notice (403). A 201 is in record-facts.test.ts.
  apiAcknowledge: {
    access: 'OFFICER',
    json: () => ({ dueDate: '2025-09-01' }),
    expect: (r, t) => write(r, t, CHIEFS_AND_ADMINS, json(409)),
  },
  formTraining: {
    access: 'OFFICER',
    multipart: { kind: 'SRO_MANDATED', completedOn: RECORDED_ON },
    expect: (r, t) => formWrite(r, t, CHIEFS_AND_ADMINS, (role) => backTo(role, 'training')),
  },
  formDeleteTraining: {
    access: 'OFFICER',
    form: {},
    params: (role, license) => ({ id: formDeletableTraining.get(`${role}:${license}`) ?? '1' }),
    expect: (r, t) => formWrite(r, t, CHIEFS_AND_ADMINS, (role) => backTo(role, 'training-deleted')),
  },
  // The confirmation depends on whether an earlier cell recorded the same review: not checked.
  formPolicyReview: {
    access: 'OFFICER',
    form: { reviewedOn: RECORDED_ON, attest: 'yes' },
    expect: (r, t) => formWrite(r, t, REVIEWERS, (role) => backTo(role)),
  },
  formDeletePolicyReview: {
    access: 'OFFICER',
    form: {},
    params: (role, license) => ({ id: formDeletableReview.get(`${role}:${license}`) ?? '1' }),
    expect: (r, t) => formWrite(r, t, REVIEWERS, (role) => backTo(role, 'review-deleted')),
  },
  formContactDays: {
    access: 'OFFICER',
    formOf: (_role, license) => ({ districtId: DISTRICT_OF[license] ?? 'D1', dates: RECORDED_ON }),
    expect: (r, t) => formWrite(r, t, DAY_RECORDERS, (role) => backTo(role)),
  },
  formDeleteContactDays: {
    access: 'OFFICER',
    formOf: (_role, license) => ({ districtId: DISTRICT_OF[license] ?? 'D1', dates: RECORDED_ON }),
    expect: (r, t) => formWrite(r, t, DAY_RECORDERS, (role) => backTo(role, 'contact-days-deleted')),
  },
  // As for the API: not OVERDUE (the 409 page) for who may acknowledge, the 403 page for the others.
  formAcknowledge: {
    access: 'OFFICER',
    form: { dueDate: '2025-09-01' },
    expect: (r, t) => formWrite(r, t, CHIEFS_AND_ADMINS, html(409)),
  },
  audit: {
    access: 'ADMIN',
    query: '?action=training',
    expect: (r) => (r === 'signedOut' ? toLogin : r === 'admin' ? html(200) : html(404)),
  },
  auditCsv: {
    access: 'ADMIN',
    query: '?action=training',
    expect: (r) => (r === 'signedOut' ? toLogin : r === 'admin' ? { status: 200, type: 'text/csv' } : html(404)),
  },
  apiAudit: {
    access: 'ADMIN',
    expect: (r) => (r === 'signedOut' ? signInFirst : r === 'admin' ? json(200) : json(404)),
  },
  // A dry run with no file: an admin reaches the import (400: no roster file), nothing is written.
  apiImport: {
    access: 'ADMIN',
    multipart: { dryRun: 'true' },
    expect: (r) => (r === 'signedOut' ? signInFirst : r === 'admin' ? json(400) : json(404)),
  },
  importForm: {
    access: 'ADMIN',
    expect: (r) => (r === 'signedOut' ? toLogin : r === 'admin' ? html(200) : html(404)),
  },
  formImport: {
    access: 'ADMIN',
    multipart: { dryRun: 'true' },
    expect: (r) => (r === 'signedOut' ? toLogin : r === 'admin' ? html(400) : html(404)),
  },
  queues: {
    access: 'ADMIN',
    expect: (r) => (r === 'signedOut' ? toLogin : r === 'admin' ? html(200) : html(404)),
  },
};

/** The targets of a row: the three license cases for a `:license` route, else one cell. */
function targetsOf(url: string, role: Role): (Target | null)[] {
  if (!url.includes(':license')) return [null];
  if (ROLE[role].outOfScope === null) return ['in', 'missing'];
  return ['in', 'out', 'missing'];
}

function licenseOf(role: Role, target: Target | null): string {
  if (target === 'in') return ROLE[role].inScope;
  if (target === 'out') return ROLE[role].outOfScope!;
  return MISSING_LICENSE;
}

/** A page or JSON body with its per-request values (the CSRF token) blanked. */
function normalized(body: string): string {
  return body.replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""').replace(/"csrfToken":"[^"]*"/g, '');
}

let rig: ConsoleRig;
const clients = new Map<Role, WebClient>();

beforeAll(async () => {
  rig = await startConsoleRig('console-authz', {
    ADMIN_EMAILS: ADMIN,
    LOGIN_LIMIT_PER_CLIENT: '1000',
    LOGIN_LIMIT_PER_ADDRESS: '100',
  });
  await rig.load(ROSTER);
  // Console facts to delete and a certificate to read: one training and one policy review per
  // (role, officer), each training carrying the same file.
  await withClient(rig.config.databaseUrl, async (c) => {
    await c.query(
      `INSERT INTO certificate (sha256, content_type, size, bytes) VALUES ($1, 'application/pdf', $2, $3)`,
      [Buffer.from(PDF_SHA256, 'hex'), PDF.length, PDF],
    );
    for (const [i, role] of ROLES.entries())
      for (const o of ROSTER.officers) {
        const day = `2001-01-${String(i + 1).padStart(2, '0')}`;
        const t = await c.query(
          `INSERT INTO training (license, kind, completed_on, certificate_sha256, source, recorded_by, recorded_at)
           VALUES ($1, 'SRO_SUPPLEMENTAL', $2, $3, 'CONSOLE', 'fixture@console.example', now()) RETURNING id`,
          [o.license, day, Buffer.from(PDF_SHA256, 'hex')],
        );
        deletableTraining.set(`${role}:${o.license}`, String(t.rows[0].id));
        const p = await c.query(
          `INSERT INTO policy_review (license, agency_id, reviewed_on, source, recorded_by, recorded_at)
           VALUES ($1, $2, $3, 'CONSOLE', 'fixture@console.example', now()) RETURNING id`,
          [o.license, o.agencyId, day],
        );
        deletableReview.set(`${role}:${o.license}`, String(p.rows[0].id));
        const formDay = `2002-01-${String(i + 1).padStart(2, '0')}`;
        const ft = await c.query(
          `INSERT INTO training (license, kind, completed_on, source, recorded_by, recorded_at)
           VALUES ($1, 'SRO_SUPPLEMENTAL', $2, 'CONSOLE', 'fixture@console.example', now()) RETURNING id`,
          [o.license, formDay],
        );
        formDeletableTraining.set(`${role}:${o.license}`, String(ft.rows[0].id));
        const fp = await c.query(
          `INSERT INTO policy_review (license, agency_id, reviewed_on, source, recorded_by, recorded_at)
           VALUES ($1, $2, $3, 'CONSOLE', 'fixture@console.example', now()) RETURNING id`,
          [o.license, o.agencyId, formDay],
        );
        formDeletableReview.set(`${role}:${o.license}`, String(fp.rows[0].id));
      }
  });
  await Promise.all(
    ROLES.map(async (role) => {
      const email = ROLE[role].email;
      clients.set(role, email ? await rig.signIn(email) : rig.client());
    }),
  );
});
afterAll(() => rig?.close());

async function cell(client: WebClient, key: RouteKey, license: string, role: Role): Promise<WebResponse> {
  const row = ROUTES[key];
  const line = EXPECTATIONS[key];
  let path = row.url.replace(':license', encodeURIComponent(license));
  for (const [name, value] of Object.entries(line.params?.(role, license) ?? {}))
    path = path.replace(`:${name}`, encodeURIComponent(value));
  path += line.query ?? '';
  if (row.method === 'POST' && line.multipart) return postMultipart(client, path, line.multipart);
  if (row.method === 'POST' && line.json) return client.post(path, { json: line.json(role, license) });
  if (row.method === 'POST') return client.post(path, { form: line.formOf?.(role, license) ?? line.form ?? {} });
  return client.get(path);
}

/** A multipart/form-data POST from the client's cookie jar, its CSRF token in the header. */
async function postMultipart(client: WebClient, path: string, fields: Record<string, string>): Promise<WebResponse> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const token = await client.csrfToken();
  const headers: Record<string, string> = { 'x-csrf-token': token };
  if (client.cookies.size) headers.cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(new URL(path, client.baseUrl), { method: 'POST', headers, body: form, redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: <T>() => JSON.parse(text) as T };
}

describe('the authorization matrix (ROUTES × roles × in scope, out of scope, missing)', () => {
  it('has exactly one expectation line per row of the route table', () => {
    expect(new Set(Object.keys(EXPECTATIONS))).toEqual(new Set(Object.keys(ROUTES)));
    for (const [key, row] of Object.entries(ROUTES))
      expect(EXPECTATIONS[key as RouteKey]?.access, `${key}: the access in ROUTES`).toBe(row.access);
  });

  for (const [key, row] of Object.entries(ROUTES) as [RouteKey, (typeof ROUTES)[RouteKey]][]) {
    describe(`${row.method} ${row.url} (${row.access})`, () => {
      for (const role of ROLES) {
        for (const target of targetsOf(row.url, role)) {
          it(`${role}${target ? `, ${target === 'in' ? 'in scope' : target === 'out' ? 'out of scope' : 'no such license'}` : ''}`, async () => {
            const line = EXPECTATIONS[key];
            expect(line, `no expectation for the route ${key}`).toBeDefined();
            const expected = line.expect(role, target);
            // Logging out ends the session: that cell gets a session of its own.
            const email = ROLE[role].email;
            const client = key === 'logout' && email ? await rig.signIn(email) : clients.get(role)!;
            const license = licenseOf(role, target);
            const r = await cell(client, key, license, role);
            expect(r.status, `${row.method} ${row.url} as ${role} (${license}): ${r.text.slice(0, 200)}`).toBe(
              expected.status,
            );
            if (expected.location !== undefined) expect(r.headers.get('location')).toBe(expected.location);
            if (expected.type !== undefined)
              expect(r.headers.get('content-type')?.split(';')[0]?.trim()).toBe(expected.type);
            if (target === 'missing' && ROLE[role].outOfScope !== null) {
              // A license that does not exist answers exactly like one out of scope.
              const out = await cell(client, key, ROLE[role].outOfScope!, role);
              expect(out.status).toBe(r.status);
              expect(out.headers.get('content-type')).toBe(r.headers.get('content-type'));
              expect(normalized(out.text)).toBe(normalized(r.text));
            }
            if (key === 'logout' && email) expect((await client.get('/api/session')).status).toBe(401);
          });
        }
      }
    });
  }
});

describe('what each role sees', () => {
  for (const role of ROLES.filter((r) => r !== 'signedOut')) {
    it(`${role}: /api/officers lists exactly its officers, /api/session its roles`, async () => {
      const client = clients.get(role)!;
      const list = await client.get('/api/officers');
      expect(list.status).toBe(200);
      const licenses = list.json<{ officers: { license: string }[] }>().officers.map((o) => o.license);
      expect(new Set(licenses)).toEqual(new Set(ROLE[role].sees));
      expect(licenses).toHaveLength(ROLE[role].sees.length);
      const session = await client.get('/api/session');
      expect(session.json()).toEqual({
        email: ROLE[role].email,
        roles: ROLE[role].roles,
        csrfToken: expect.any(String),
      });
    });
  }

  it('an address with two roles (chief of C, escalation contact of D2) sees the union', async () => {
    const dual = await rig.signIn(DUAL);
    const session = await dual.get('/api/session');
    expect(session.json<{ roles: unknown[] }>().roles).toEqual(
      expect.arrayContaining([
        { role: 'CHIEF', agencyId: 'AGC' },
        { role: 'DISTRICT_CONTACT', districtId: 'D2' },
      ]),
    );
    expect(session.json<{ roles: unknown[] }>().roles).toHaveLength(2);
    const licenses = (await dual.get('/api/officers'))
      .json<{ officers: { license: string }[] }>()
      .officers.map((o) => o.license);
    expect(new Set(licenses)).toEqual(new Set(['C1', 'B1']));
    expect((await dual.get('/officers/C1')).status).toBe(200);
    expect((await dual.get('/officers/B1')).status).toBe(200);
    expect((await dual.get('/api/officers/B1')).status).toBe(200);
    expect((await dual.get('/officers/B3')).status).toBe(404);
    expect((await dual.get('/api/officers/A1')).status).toBe(404);
  });
});

describe('the queue dashboard under /admin/queues (admins, read-only)', () => {
  it('answers its JSON API to an admin, 404 to a chief, 303 signed out', async () => {
    const admin = await clients.get('admin')!.get('/admin/queues/api/queues');
    expect(admin.status).toBe(200);
    expect(admin.headers.get('content-type')).toMatch(/^application\/json/);
    expect(admin.json<{ queues: unknown[] }>().queues.length).toBeGreaterThan(0);
    expect((await clients.get('chiefA')!.get('/admin/queues/api/queues')).status).toBe(404);
    expect((await clients.get('contactD1')!.get('/admin/queues/api/queues')).status).toBe(404);
    const out = await clients.get('signedOut')!.get('/admin/queues/api/queues');
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/login');
  });

  it('refuses every change, even an admin’s (405)', async () => {
    const admin = clients.get('admin')!;
    const queues = (await admin.get('/admin/queues/api/queues')).json<{ queues: { name: string }[] }>().queues;
    const name = encodeURIComponent(queues[0]!.name);
    for (const [method, path] of [
      ['PUT', '/admin/queues/api/queues/pause'],
      ['PUT', `/admin/queues/api/queues/${name}/retry/failed`],
      ['PUT', `/admin/queues/api/queues/${name}/clean/completed`],
      ['POST', `/admin/queues/api/queues/${name}/add`],
    ] as const) {
      const r = await admin.request(method, path, { json: { name: 'x', data: {} } });
      expect(r.status, `${method} ${path}`).toBe(405);
    }
    const after = (await admin.get('/admin/queues/api/queues')).json<{ queues: { isPaused?: boolean }[] }>().queues;
    expect(after.every((q) => !q.isPaused)).toBe(true);
    // A chief learns nothing about the dashboard, not even that it refuses changes.
    expect((await clients.get('chiefA')!.request('PUT', '/admin/queues/api/queues/pause')).status).toBe(404);
  });
});
