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
  ENDED_LAST_YEAR,
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
import {
  AGENCY_CHANGERS,
  backTo,
  CHIEFS_AND_ADMINS,
  CONTACT_DISTRICT,
  DAY_RECORDERS,
  directoryPage,
  directoryWrite,
  DISTRICT_CONTACTS,
  DISTRICT_OF,
  type Expected,
  formWrite,
  html,
  json,
  newAssignment,
  newStart,
  missingReportScope,
  RECORDED_ON,
  REPORT_SCOPE,
  reportDownload,
  reportsPage,
  REVIEWERS,
  scoped,
  signedInApi,
  signedInPage,
  signInFirst,
  type Target,
  toLogin,
  write,
} from '../helpers/authorization-expect.ts';
import type { ConsoleRig, WebClient, WebResponse } from '../helpers/console.ts';

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
  /** The subject of a row whose path names none (the body's agency; a report's scope in the query). */
  subject?: 'agency' | 'district' | 'report';
  /** The fields of a multipart/form-data POST. */
  multipart?: Record<string, string>;
  /** The path's other parameters (`:id`, `:sha256`), by role and license. */
  params?: (role: Role, license: string) => Record<string, string>;
  expect(role: Role, target: Target | null): Expected;
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
  // The matrix's console has no OIDC_PROVIDERS: any :id is no provider, for everyone (the flow
  // itself is test/web/oidc-sign-in.test.ts).
  oidcStart: { access: 'PUBLIC', expect: () => html(404) },
  oidcCallback: { access: 'PUBLIC', query: '?code=x&state=y', expect: () => html(404) },
  logout: { access: 'PUBLIC', expect: () => ({ status: 303, location: '/login' }) },
  home: { access: 'SIGNED_IN', expect: signedInPage },
  // Each role downloads its own list (an officer: their own record).
  officersCsv: {
    access: 'SIGNED_IN',
    expect: (r) => (r === 'signedOut' ? toLogin : { status: 200, type: 'text/csv' }),
  },
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
  // The officer page's directory forms (RULES.md 11): the e-mail is left as it is (the officer
  // signs in with it), an end date keeps each assignment as active today as it was.
  formChangeOfficer: {
    access: 'OFFICER',
    formOf: (role) => ({ firstName: 'Form', lastName: `Changed by ${role}` }),
    expect: (r, t) => formWrite(r, t, CHIEFS_AND_ADMINS, (role) => backTo(role, 'officer-saved')),
  },
  formCreateAssignment: {
    access: 'OFFICER_ON_FILE',
    formOf: (role, license) => ({
      districtId:
        role === 'contactD1' ? 'D1' : role === 'contactD2' ? 'D2' : (ASSIGNMENT_OF[license]?.districtId ?? 'D1'),
      role: 'REGULAR',
      startDate: `${new Date().getUTCFullYear() + 2}-0${1 + ROLES.indexOf(role)}-15`,
    }),
    // As the API's: a contact adds an officer to their district even out of scope.
    expect: (r, t) => {
      if (r === 'signedOut') return toLogin;
      if (t === 'missing') return html(404);
      if (r === 'contactD1' || r === 'contactD2') return { status: 303 };
      if (t === 'out') return html(404);
      return CHIEFS_AND_ADMINS.includes(r) ? backTo(r, 'assignment-added') : html(403);
    },
  },
  formEndAssignment: {
    access: 'OFFICER_IN_DISTRICT',
    params: (_role, license) => ASSIGNMENT_OF[license] ?? { districtId: 'D1', startDate: '2020-08-24' },
    formOf: (_role, license) => ({
      endDate: license === 'A3' ? ENDED_LAST_YEAR : `${new Date().getUTCFullYear() + 9}-06-30`,
    }),
    expect: (r, t) =>
      r !== 'signedOut' && t === 'out' && ASSIGNMENT_OF[ROLE[r].outOfScope!]?.districtId === CONTACT_DISTRICT[r]
        ? { status: 303 }
        : formWrite(r, t, [...CHIEFS_AND_ADMINS, 'contactD1', 'contactD2'], (role) => backTo(role, 'assignment-ended')),
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
  importTemplate: {
    access: 'ADMIN',
    params: () => ({ section: 'officers' }),
    expect: (r) => (r === 'signedOut' ? toLogin : r === 'admin' ? { status: 200, type: 'text/csv' } : html(404)),
  },
  formImport: {
    access: 'ADMIN',
    multipart: { dryRun: 'true' },
    expect: (r) => (r === 'signedOut' ? toLogin : r === 'admin' ? html(400) : html(404)),
  },
  // Reports (INTERFACE.md "Reports for the board and the auditor"): the scope is the query's.
  reports: { access: 'REPORT', expect: reportsPage },
  reportPdf: { access: 'REPORT', subject: 'report', expect: (r, t) => reportDownload(r, t, 'application/pdf') },
  reportPacket: { access: 'REPORT', subject: 'report', expect: (r, t) => reportDownload(r, t, 'application/zip') },
  // RULES.md 12: reached by the mail provider, not by a person. A session neither helps nor is
  // needed, and no CSRF token is asked: unsigned, it is 401 for everyone (signed requests are
  // test/integration/mail-webhook.test.ts).
  mailHook: { access: 'PROVIDER', params: () => ({ provider: 'sendgrid' }), json: () => [], expect: () => json(401) },
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
  formCreateOfficer: {
    access: 'AGENCY',
    formOf: (role, id) => ({ license: `NEWF${ROLES.indexOf(role)}${id}`, firstName: 'New', lastName: 'Officer' }),
    expect: (r, t) => directoryPage(r, t, AGENCY_CHANGERS, { status: 303 }),
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
function kindOf(key: RouteKey): 'officer' | 'agency' | 'district' | 'report' | null {
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
    kind === 'officer'
      ? { in: ROLE[role].inScope, out: ROLE[role].outOfScope }
      : kind === 'report'
        ? REPORT_SCOPE[role]
        : DIRECTORY_SCOPE[role][kind];
  return [...(scope.in !== null ? ['in' as const] : []), ...(scope.out !== null ? ['out' as const] : []), 'missing'];
}

/** The license, agency or district id of a cell. */
function subjectOf(key: RouteKey, role: Role, target: Target | null): string {
  const kind = kindOf(key);
  if (kind === 'report') return target === 'missing' ? missingReportScope(role) : REPORT_SCOPE[role][target!]!;
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
  path += line.query ?? (line.subject === 'report' ? `?asOf=2026-03-02&${license}` : '');
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
