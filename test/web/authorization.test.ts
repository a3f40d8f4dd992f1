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
  DIRECTORY_SCOPE,
  MISSING_LICENSE,
  PDF_SHA256,
  ROLE,
  ROLES,
  type Role,
  changeableAcknowledgement,
  deletableReview,
  deletableTraining,
  formDeletableReview,
  formDeletableTraining,
  pdfFile,
  pendingSubmission,
  postMultipart,
  startAuthorizationWorld,
} from '../helpers/authorization.ts';
import {
  backTo,
  CHIEFS_AND_ADMINS,
  DAY_RECORDERS,
  DISTRICT_OF,
  type Line,
  formWrite,
  html,
  json,
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
import { DIRECTORY_LINES } from '../helpers/authorization-directory.ts';

/** RULES.md 10: who sends a training: the chief and admins record it, the officer submits it. */
const SUBMITTERS: readonly Role[] = [...CHIEFS_AND_ADMINS, 'officer'];
/** The `:id` of the submitted training a confirm or reject cell answers. */
const submissionOf = (route: RouteKey) => (role: Role, license: string) => ({
  id: pendingSubmission.get(`${route}:${role}:${license}`) ?? '1',
});

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
  // An officer's `/` is their own record (INTERFACE.md "Pages for people").
  home: {
    access: 'SIGNED_IN',
    expect: (r) => (r === 'officer' ? { status: 303, location: `/officers/${ROLE.officer.inScope}` } : signedInPage(r)),
  },
  // Each role downloads its own list (an officer: their own record).
  officersCsv: {
    access: 'SIGNED_IN',
    expect: (r) => (r === 'signedOut' ? toLogin : { status: 200, type: 'text/csv' }),
  },
  officer: { access: 'OFFICER', expect: (r, t) => scoped(r, t, html(200), html(404), toLogin) },
  apiSession: { access: 'SIGNED_IN', expect: signedInApi },
  apiOfficers: { access: 'SIGNED_IN', expect: signedInApi },
  apiOfficer: { access: 'OFFICER', expect: (r, t) => scoped(r, t, json(200), json(404), signInFirst) },
  // RULES.md 10: the officer's own training is submitted for the chief's review (202).
  apiRecordTraining: {
    access: 'OFFICER',
    multipart: { kind: 'SRO_MANDATED', completedOn: RECORDED_ON, certificate: pdfFile() },
    expect: (r, t) => write(r, t, SUBMITTERS, (role) => json(role === 'officer' ? 202 : 201)),
  },
  apiConfirmTraining: {
    access: 'OFFICER',
    json: () => ({}),
    params: submissionOf('apiConfirmTraining'),
    expect: (r, t) => write(r, t, CHIEFS_AND_ADMINS, json(200)),
  },
  apiRejectTraining: {
    access: 'OFFICER',
    json: () => ({ reason: 'The certificate names another course.' }),
    params: submissionOf('apiRejectTraining'),
    expect: (r, t) => write(r, t, CHIEFS_AND_ADMINS, json(200)),
  },
  formConfirmTraining: {
    access: 'OFFICER',
    form: {},
    params: submissionOf('formConfirmTraining'),
    expect: (r, t) => formWrite(r, t, CHIEFS_AND_ADMINS, (role) => backTo(role, 'submission-confirmed')),
  },
  formRejectTraining: {
    access: 'OFFICER',
    form: { reason: 'The certificate names another course.' },
    params: submissionOf('formRejectTraining'),
    expect: (r, t) => formWrite(r, t, CHIEFS_AND_ADMINS, (role) => backTo(role, 'submission-rejected')),
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
    multipart: { kind: 'SRO_MANDATED', completedOn: RECORDED_ON, certificate: pdfFile() },
    expect: (r, t) =>
      formWrite(r, t, SUBMITTERS, (role) =>
        backTo(role, role === 'officer' ? 'training-submitted' : 'training-certificate'),
      ),
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
  // An acknowledgement someone else made: its officer's chief and admins may change it.
  formCorrectAcknowledgement: {
    access: 'OFFICER',
    form: { note: 'Corrected' },
    params: (role, license) => ({ id: changeableAcknowledgement.get(`${role}:${license}`) ?? '1' }),
    expect: (r, t) => formWrite(r, t, CHIEFS_AND_ADMINS, (role) => backTo(role, 'acknowledgement-corrected')),
  },
  formWithdrawAcknowledgement: {
    access: 'OFFICER',
    params: (role, license) => ({ id: changeableAcknowledgement.get(`${role}:${license}`) ?? '1' }),
    expect: (r, t) => formWrite(r, t, CHIEFS_AND_ADMINS, (role) => backTo(role, 'acknowledgement-withdrawn')),
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
  ...DIRECTORY_LINES,
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
