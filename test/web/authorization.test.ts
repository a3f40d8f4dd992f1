// The authorization matrix (INTERFACE.md "Console", "Who sees what"; RULES.md 11): every row of
// the route table (src/web/routes.ts) × every role × (for `:license` routes) an officer in
// scope, one out of scope and a license that does not exist (for the directory's agency and
// district routes: an agency or district in scope, one out of it, one that does not exist),
// each cell with its expected answer. The
// expectations are one table keyed like ROUTES: a route added without its line here fails.
// The world (roster, roles, fixtures) is test/helpers/authorization.ts; what each role sees
// and the queue dashboard are authorization-scopes.test.ts; the officer page's forms against
// the API are authorization-forms.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type RouteKey } from '../../src/web/routes.ts';
import {
  ASSIGNMENT_OF,
  DIRECTORY_SCOPE,
  MISSING_LICENSE,
  PDF_SHA256,
  ROSTER,
  ROLE,
  ROLES,
  type Role,
  deletableReview,
  deletableTraining,
  formDeletableReview,
  formDeletableTraining,
  postMultipart,
  startAuthorizationWorld,
} from '../helpers/authorization.ts';
import type { ConsoleRig, WebClient, WebResponse } from '../helpers/console.ts';

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
  formOf?: (role: Role, license: string) => Record<string, string | string[]>;
  /** A JSON body of a POST or PATCH (the API's write routes), by role and license (or agency, district id), and target. */
  json?: (role: Role, subject: string, target: Target | null) => unknown;
  /** The subject of a directory row whose path names none (the body's agency): its targets are that kind's. */
  subject?: 'agency' | 'district';
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

/** A directory route (RULES.md 11): signed out 401, out of scope or missing 404, in scope `ok` for `allowed`, else 403. */
const directoryWrite = (
  role: Role,
  target: Target | null,
  allowed: readonly Role[],
  ok: Expected,
  notFound: Expected = json(404),
): Expected =>
  role === 'signedOut' ? signInFirst : target !== 'in' ? notFound : allowed.includes(role) ? ok : json(403);
/** A directory page or its form: signed out 303 to /login, out of scope or missing the 404 page, in scope `ok` for `allowed`, else the 403 page. */
const directoryPage = (role: Role, target: Target | null, allowed: readonly Role[], ok: Expected): Expected =>
  role === 'signedOut' ? toLogin : target !== 'in' ? html(404) : allowed.includes(role) ? ok : html(403);
/** Who may change an agency, add an officer to it: its chief and admins. */
const AGENCY_CHANGERS: readonly Role[] = ['admin', 'chiefA', 'chiefB'];
const DISTRICT_CONTACTS: readonly Role[] = ['admin', 'contactD1', 'contactD2'];
/** The district a role is a contact of (none for the others). */
const CONTACT_DISTRICT: Partial<Record<Role, string>> = { contactD1: 'D1', contactD2: 'D2' };
/** A new assignment's start (next year, so no scope changes today): one per role and target. */
const newStart = (role: Role, target: Target | null) =>
  `${new Date().getUTCFullYear() + 1}-0${1 + ROLES.indexOf(role)}-1${['in', 'out', 'missing'].indexOf(target ?? 'in')}`;
/**
 * A new assignment (the body's district: a contact's own, else the officer's): the chief and
 * admins in scope, a contact in their district even for an officer out of scope (policy.ts's
 * decision), 403 in scope to the others, 404 out of scope to the others and for no such license.
 */
function newAssignment(role: Role, target: Target | null): Expected {
  if (role === 'signedOut') return signInFirst;
  if (target === 'missing') return json(404);
  if (role === 'contactD1' || role === 'contactD2') return json(201);
  if (target === 'out') return json(404);
  return CHIEFS_AND_ADMINS.includes(role) ? json(201) : json(403);
}

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
  // The directory (RULES.md 11). Each change is scope-neutral: the matrix's world stays as it is.
  apiDirectory: {
    access: 'ADMIN',
    expect: (r) => (r === 'signedOut' ? signInFirst : r === 'admin' ? json(200) : json(404)),
  },
  apiAgency: { access: 'AGENCY', expect: (r, t) => directoryWrite(r, t, ROLES, json(200)) },
  apiChangeAgency: {
    access: 'AGENCY',
    json: (role, id) => ({ name: `Agency ${id}, renamed by ${role}` }),
    expect: (r, t) => directoryWrite(r, t, AGENCY_CHANGERS, json(200)),
  },
  apiDistrict: { access: 'DISTRICT', expect: (r, t) => directoryWrite(r, t, ROLES, json(200)) },
  apiChangeDistrict: {
    access: 'DISTRICT',
    json: (role) => ({ nonSchoolDays: [`2026-12-${String(21 + ROLES.indexOf(role)).padStart(2, '0')}`] }),
    expect: (r, t) => directoryWrite(r, t, DISTRICT_CONTACTS, json(200)),
  },
  // The agency is the body's: one the role may not see is named like one not on file (400, by field).
  apiCreateOfficer: {
    access: 'SIGNED_IN',
    subject: 'agency',
    json: (role, agencyId, target) => ({
      license: `NEW-${role}-${target}`,
      firstName: 'New',
      lastName: 'Officer',
      agencyId,
    }),
    expect: (r, t) => directoryWrite(r, t, AGENCY_CHANGERS, json(201), json(400)),
  },
  apiChangeOfficer: {
    access: 'OFFICER',
    json: (role) => ({ lastName: `Changed by ${role}` }),
    expect: (r, t) => write(r, t, CHIEFS_AND_ADMINS, json(200)),
  },
  directoryPage: {
    access: 'ADMIN',
    expect: (r) => (r === 'signedOut' ? toLogin : r === 'admin' ? html(200) : html(404)),
  },
  agencyPage: { access: 'AGENCY', expect: (r, t) => directoryPage(r, t, ROLES, html(200)) },
  // The form sends the agency's chief and escalation e-mails as they are (no scope changes).
  formAgency: {
    access: 'AGENCY',
    formOf: (role, id) => {
      const a = ROSTER.agencies.find((x) => x.id === id);
      return {
        name: `Agency ${id}, renamed by ${role}`,
        chiefName: a?.chief.name ?? '',
        chiefEmail: a?.chief.email ?? '',
        escalationEmails: a?.escalationEmails.join('\n') ?? '',
      };
    },
    expect: (r, t) =>
      directoryPage(r, t, AGENCY_CHANGERS, {
        status: 303,
        location: `/agencies/${DIRECTORY_SCOPE[r].agency.in}?done=saved`,
      }),
  },
  districtPage: { access: 'DISTRICT', expect: (r, t) => directoryPage(r, t, ROLES, html(200)) },
  // The form sends the district's contacts as they are (no scope changes).
  formDistrict: {
    access: 'DISTRICT',
    formOf: (_role, id) => {
      const contacts = ROSTER.districts.find((x) => x.id === id)?.contacts ?? [];
      return {
        name: `District ${id}`,
        contactName: contacts.map((c) => c.name),
        contactEmail: contacts.map((c) => c.email),
        contactRole: contacts.map((c) => c.role),
        nonSchoolDays: '2026-12-24',
      };
    },
    expect: (r, t) =>
      directoryPage(r, t, DISTRICT_CONTACTS, {
        status: 303,
        location: `/districts/${DIRECTORY_SCOPE[r].district.in}?done=saved`,
      }),
  },
  apiCreateAssignment: {
    access: 'OFFICER_ON_FILE',
    json: (role, license, target) => ({
      districtId:
        role === 'contactD1' ? 'D1' : role === 'contactD2' ? 'D2' : (ASSIGNMENT_OF[license]?.districtId ?? 'D1'),
      role: 'REGULAR',
      startDate: newStart(role, target),
    }),
    expect: newAssignment,
  },
  apiChangeAssignment: {
    access: 'OFFICER_IN_DISTRICT',
    params: (_role, license) => ASSIGNMENT_OF[license] ?? { districtId: 'D1', startDate: '2020-08-24' },
    json: (role) => ({ school: `School of ${role}` }),
    // A contact corrects an assignment in their district even of an officer out of their scope
    // today (one that ended or has not started: policy.ts's decision).
    expect: (r, t) =>
      t === 'out' && ASSIGNMENT_OF[ROLE[r].outOfScope!]?.districtId === CONTACT_DISTRICT[r]
        ? json(200)
        : write(r, t, [...CHIEFS_AND_ADMINS, 'contactD1', 'contactD2'], json(200)),
  },
};

/** What a row's targets are: officers (`:license`), agencies or districts (`:id`, or the body's), or none. */
function kindOf(key: RouteKey): 'officer' | 'agency' | 'district' | null {
  const url = ROUTES[key].url;
  if (url.includes(':license')) return 'officer';
  if (/^(\/api)?\/agencies\//.test(url)) return 'agency';
  if (/^(\/api)?\/districts\//.test(url)) return 'district';
  return EXPECTATIONS[key].subject ?? null;
}

/** The targets of a row: in scope (when the role has one), out of scope (when there is one), and missing; else one cell. */
function targetsOf(key: RouteKey, role: Role): (Target | null)[] {
  const kind = kindOf(key);
  if (kind === null) return [null];
  const scope =
    kind === 'officer' ? { in: ROLE[role].inScope, out: ROLE[role].outOfScope } : DIRECTORY_SCOPE[role][kind];
  return [...(scope.in !== null ? ['in' as const] : []), ...(scope.out !== null ? ['out' as const] : []), 'missing'];
}

/** The license, agency or district id of a cell. */
function subjectOf(key: RouteKey, role: Role, target: Target | null): string {
  const kind = kindOf(key);
  if (kind === 'agency' || kind === 'district') {
    const scope = DIRECTORY_SCOPE[role][kind];
    return target === 'in' ? scope.in! : target === 'out' ? scope.out! : `NO-SUCH-${kind.toUpperCase()}`;
  }
  if (target === 'in') return ROLE[role].inScope;
  if (target === 'out') return ROLE[role].outOfScope!;
  return MISSING_LICENSE;
}

/** A page or JSON body with its per-request values (the CSRF token) blanked. */
function normalized(body: string): string {
  return body.replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""').replace(/"csrfToken":"[^"]*"/g, '');
}

let rig: ConsoleRig;
let clients: Map<Role, WebClient>;

beforeAll(async () => {
  ({ rig, clients } = await startAuthorizationWorld('console-authz'));
});
afterAll(() => rig?.close());

async function cell(
  client: WebClient,
  key: RouteKey,
  license: string,
  role: Role,
  target: Target | null,
): Promise<WebResponse> {
  const row = ROUTES[key];
  const line = EXPECTATIONS[key];
  let path = row.url.includes(':license')
    ? row.url.replace(':license', encodeURIComponent(license))
    : row.url.replace(':id', encodeURIComponent(license));
  for (const [name, value] of Object.entries(line.params?.(role, license) ?? {}))
    path = path.replace(`:${name}`, encodeURIComponent(value));
  path += line.query ?? '';
  if (row.method === 'POST' && line.multipart) return postMultipart(client, path, line.multipart);
  if (row.method === 'PATCH') return client.patch(path, { json: line.json?.(role, license, target) ?? {} });
  if (row.method === 'POST' && line.json) return client.post(path, { json: line.json(role, license, target) });
  if (row.method === 'POST') return client.post(path, { form: line.formOf?.(role, license) ?? line.form ?? {} });
  return client.get(path);
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
        for (const target of targetsOf(key, role)) {
          it(`${role}${target ? `, ${target === 'in' ? 'in scope' : target === 'out' ? 'out of scope' : 'no such license'}` : ''}`, async () => {
            const line = EXPECTATIONS[key];
            expect(line, `no expectation for the route ${key}`).toBeDefined();
            const expected = line.expect(role, target);
            // Logging out ends the session: that cell gets a session of its own.
            const email = ROLE[role].email;
            const client = key === 'logout' && email ? await rig.signIn(email) : clients.get(role)!;
            const license = subjectOf(key, role, target);
            const r = await cell(client, key, license, role, target);
            expect(r.status, `${row.method} ${row.url} as ${role} (${license}): ${r.text.slice(0, 200)}`).toBe(
              expected.status,
            );
            if (expected.location !== undefined) expect(r.headers.get('location')).toBe(expected.location);
            if (expected.type !== undefined)
              expect(r.headers.get('content-type')?.split(';')[0]?.trim()).toBe(expected.type);
            if (
              target === 'missing' &&
              targetsOf(key, role).includes('out') &&
              line.expect(role, 'out').status === 404
            ) {
              // A license (agency, district) that does not exist answers exactly like one out of scope.
              const out = await cell(client, key, subjectOf(key, role, 'out'), role, 'out');
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
