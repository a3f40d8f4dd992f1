// Every route a person can reach, with who may reach it: the one table the server registers
// its handlers from (src/web/server.ts refuses at start-up a route that is not here) and the
// authorization matrix test is generated from (test/web/authorization.test.ts).
//
// Who may is asked of the policy module (src/app/policy.ts) by one route hook before any
// handler runs (src/web/access.ts): each row names its action. A route whose action needs more
// than the officer (contact days: the district in the body; an acknowledgement: whether the
// viewer received the overdue notice) is checked for scope here and asked in full by its use
// case.
import type { Action, DistrictSubject, OfficerSubject, Subjects } from '../app/policy.ts';
import { DIRECTORY_ROUTES } from './routes-directory.ts';

/** The actions decided on nothing but the viewer. */
type ConsoleAction = { [A in Action]: Subjects[A] extends null ? A : never }[Action];
/** The actions decided on the viewer and the `:license` officer alone. */
type OfficerAction = { [A in Action]: Subjects[A] extends OfficerSubject ? A : never }[Action];
/** The actions decided on the `:license` officer and a district. */
type OfficerDistrictAction = { [A in Action]: Subjects[A] extends DistrictSubject ? A : never }[Action];

interface RouteBase {
  /** PATCH and POST need the session's CSRF token (INTERFACE.md "Forms and CSRF"). */
  method: 'GET' | 'POST' | 'PATCH';
  url: string;
  /** JSON (401 signed out) rather than a page (303 to /login). */
  api: boolean;
  /** Routes under this prefix belong to the row too (the queue dashboard's assets and API). */
  prefix?: boolean;
  summary: string;
}

/**
 * Who may reach a row. PUBLIC: anyone. SIGNED_IN: a session (signed out: pages 303 to /login,
 * the API 401). OFFICER: a session whose scope holds the `:license` (else 404, as for a
 * license that does not exist), then the row's action on that officer (else 403). ADMIN: the
 * row's action, which only ADMIN_EMAILS hold (anyone else 404).
 *
 * The directory (RULES.md 11). AGENCY and DISTRICT: the `:id` agency or district in the
 * viewer's scope (`agency.read`, `district.read`; else 404, as for one that does not exist),
 * then the row's action on it (else 403). OFFICER_IN_DISTRICT: the `:license` officer in
 * scope (else 404), then the row's action on the officer and `:districtId` (else 403).
 * OFFICER_ON_FILE: the `:license` officer read (404 when there is none) and handed to the use
 * case, which asks the row's action on the district its body names (a district's contacts may
 * add an officer not yet theirs to see: out of scope and not allowed 404, in scope 403).
 * REPORT: the row's action on the query's scope (`report.read`), or on none (`report.list`,
 * the Reports page); refused 404, as a scope that does not exist.
 * PROVIDER: reached by a mail provider's servers, not by a person: no session, no CSRF token;
 * the use case checks the provider's signature over the body (401 none, 403 a wrong one).
 */
export type RouteSpec = RouteBase &
  (
    | { access: 'PUBLIC'; action?: undefined }
    | { access: 'SIGNED_IN'; action?: undefined }
    | { access: 'ADMIN'; action: Exclude<ConsoleAction, 'console.use'> }
    | { access: 'OFFICER'; action: OfficerAction }
    | { access: 'AGENCY'; action: 'agency.read' | 'agency.update' | 'officer.create' | 'agencyPolicy.update' }
    | { access: 'DISTRICT'; action: 'district.read' | 'district.update' }
    | { access: 'OFFICER_IN_DISTRICT'; action: OfficerDistrictAction }
    | { access: 'OFFICER_ON_FILE'; action: 'assignment.create' }
    | { access: 'REPORT'; action: 'report.list' | 'report.read' }
    | { access: 'PROVIDER'; action?: undefined }
  );

export const ROUTES = {
  ...DIRECTORY_ROUTES,
  livez: { method: 'GET', url: '/livez', access: 'PUBLIC', api: true, summary: 'liveness: the event loop turns' },
  readyz: { method: 'GET', url: '/readyz', access: 'PUBLIC', api: true, summary: 'readiness: PostgreSQL and Redis' },
  css: { method: 'GET', url: '/assets/console.css', access: 'PUBLIC', api: false, summary: 'the style sheet' },
  loginForm: { method: 'GET', url: '/login', access: 'PUBLIC', api: false, summary: 'the sign-in form' },
  login: { method: 'POST', url: '/login', access: 'PUBLIC', api: false, summary: 'ask for a sign-in e-mail' },
  verifyForm: {
    method: 'GET',
    url: '/login/verify',
    access: 'PUBLIC',
    api: false,
    summary: "the sign-in link's page: one form, nothing spent",
  },
  verify: { method: 'POST', url: '/login/verify', access: 'PUBLIC', api: false, summary: 'sign in by link or code' },
  // INTERFACE.md "Sign-in with the district's or agency's accounts (OIDC)".
  oidcStart: {
    method: 'GET',
    url: '/login/oidc/:id',
    access: 'PUBLIC',
    api: false,
    summary: 'sign in through an identity provider: 302 to its authorization endpoint',
  },
  oidcCallback: {
    method: 'GET',
    url: '/login/oidc/:id/callback',
    access: 'PUBLIC',
    api: false,
    summary: "the identity provider's answer: signs in, or the login page",
  },
  logout: { method: 'POST', url: '/logout', access: 'PUBLIC', api: false, summary: 'end the session' },
  home: { method: 'GET', url: '/', access: 'SIGNED_IN', api: false, summary: 'the officers in scope by urgency' },
  // Signed in, like the list it downloads: the scope is the list's own (src/app/console.ts).
  officersCsv: {
    method: 'GET',
    url: '/officers.csv',
    access: 'SIGNED_IN',
    api: false,
    summary: 'the officer list as filtered and sorted, as a CSV download',
  },
  officer: {
    method: 'GET',
    url: '/officers/:license',
    access: 'OFFICER',
    action: 'officer.read',
    api: false,
    summary: 'one officer',
  },
  apiSession: { method: 'GET', url: '/api/session', access: 'SIGNED_IN', api: true, summary: 'who is signed in' },
  apiOfficers: { method: 'GET', url: '/api/officers', access: 'SIGNED_IN', api: true, summary: 'officers in scope' },
  apiOfficer: {
    method: 'GET',
    url: '/api/officers/:license',
    access: 'OFFICER',
    action: 'officer.read',
    api: true,
    summary: 'one officer',
  },
  // The write side (issue 14): scope by the row's access (404 out of scope), then its action
  // (403, RULES.md 7; acknowledgements RULES.md 6, asked by the use case).
  apiRecordTraining: {
    method: 'POST',
    url: '/api/officers/:license/trainings',
    access: 'OFFICER',
    action: 'training.add',
    api: true,
    summary:
      'record a training with its certificate file (multipart): chief, admins (201); the officer submits it for review (202, RULES.md 10)',
  },
  apiConfirmTraining: {
    method: 'POST',
    url: '/api/officers/:license/trainings/:id/confirm',
    access: 'OFFICER',
    action: 'training.review',
    api: true,
    summary: 'confirm a training the officer submitted (RULES.md 10): chief, admins',
  },
  apiRejectTraining: {
    method: 'POST',
    url: '/api/officers/:license/trainings/:id/reject',
    access: 'OFFICER',
    action: 'training.review',
    api: true,
    summary: 'reject a training the officer submitted, with the reason (RULES.md 10): chief, admins',
  },
  apiDeleteTraining: {
    method: 'POST',
    url: '/api/officers/:license/trainings/:id/delete',
    access: 'OFFICER',
    action: 'training.delete',
    api: true,
    summary: 'delete a CONSOLE training: chief, admins',
  },
  apiCertificate: {
    method: 'GET',
    url: '/api/officers/:license/certificates/:sha256',
    access: 'OFFICER',
    action: 'certificate.read',
    api: true,
    summary: "a training's certificate file, as a download: chief, admins",
  },
  apiRecordPolicyReview: {
    method: 'POST',
    url: '/api/officers/:license/policy-reviews',
    access: 'OFFICER',
    action: 'policyReview.record',
    api: true,
    summary: 'record a policy review: chief, admins, the officer (an attestation)',
  },
  apiDeletePolicyReview: {
    method: 'POST',
    url: '/api/officers/:license/policy-reviews/:id/delete',
    access: 'OFFICER',
    action: 'policyReview.delete',
    api: true,
    summary: 'delete a CONSOLE policy review: chief, admins, the officer',
  },
  apiRecordContactDays: {
    method: 'POST',
    url: '/api/officers/:license/contact-days',
    access: 'OFFICER',
    action: 'officer.read',
    api: true,
    summary: "record contact days: the district's contacts, chief, admins",
  },
  apiDeleteContactDays: {
    method: 'POST',
    url: '/api/officers/:license/contact-days/delete',
    access: 'OFFICER',
    action: 'officer.read',
    api: true,
    summary: "delete CONSOLE contact days: the district's contacts, chief, admins",
  },
  apiAcknowledge: {
    method: 'POST',
    url: '/api/officers/:license/acknowledgements',
    access: 'OFFICER',
    action: 'officer.read',
    api: true,
    summary: 'acknowledge an OVERDUE deadline: chief, admins, who received the overdue notice',
  },
  apiAudit: {
    method: 'GET',
    url: '/api/audit',
    access: 'ADMIN',
    action: 'audit.read',
    api: true,
    summary: 'the audit log',
  },
  apiImport: {
    method: 'POST',
    url: '/api/imports',
    access: 'ADMIN',
    action: 'roster.import',
    api: true,
    summary: 'upload a roster (multipart: one .json file or the .csv files): the same import as sro import',
  },
  // The pages' forms (HTML, working without JavaScript): the same use cases as the API rows
  // above; success is 303 back to the officer's page, bad input the page again (400).
  formTraining: {
    method: 'POST',
    url: '/officers/:license/trainings',
    access: 'OFFICER',
    action: 'training.add',
    api: false,
    summary:
      "the officer page's training form with its certificate file (multipart): chief, admins; the officer's submits it for review",
  },
  formConfirmTraining: {
    method: 'POST',
    url: '/officers/:license/submissions/:id/confirm',
    access: 'OFFICER',
    action: 'training.review',
    api: false,
    summary: "the officer page's button confirming a submitted training: chief, admins",
  },
  formRejectTraining: {
    method: 'POST',
    url: '/officers/:license/submissions/:id/reject',
    access: 'OFFICER',
    action: 'training.review',
    api: false,
    summary: "the officer page's form rejecting a submitted training with the reason: chief, admins",
  },
  formDeleteTraining: {
    method: 'POST',
    url: '/officers/:license/trainings/:id/delete',
    access: 'OFFICER',
    action: 'training.delete',
    api: false,
    summary: "the officer page's delete button of a CONSOLE training: chief, admins",
  },
  formPolicyReview: {
    method: 'POST',
    url: '/officers/:license/policy-reviews',
    access: 'OFFICER',
    action: 'policyReview.record',
    api: false,
    summary: "the officer page's policy review form: chief, admins, the officer (an attestation)",
  },
  formDeletePolicyReview: {
    method: 'POST',
    url: '/officers/:license/policy-reviews/:id/delete',
    access: 'OFFICER',
    action: 'policyReview.delete',
    api: false,
    summary: "the officer page's delete button of a CONSOLE policy review: chief, admins, the officer",
  },
  formContactDays: {
    method: 'POST',
    url: '/officers/:license/contact-days',
    access: 'OFFICER',
    action: 'officer.read',
    api: false,
    summary: "the officer page's contact days form: the district's contacts, chief, admins",
  },
  formDeleteContactDays: {
    method: 'POST',
    url: '/officers/:license/contact-days/delete',
    access: 'OFFICER',
    action: 'officer.read',
    api: false,
    summary: "the officer page's delete button of a CONSOLE contact day: the district's contacts, chief, admins",
  },
  formAcknowledge: {
    method: 'POST',
    url: '/officers/:license/acknowledgements',
    access: 'OFFICER',
    action: 'officer.read',
    api: false,
    summary: "the officer page's acknowledgement form: chief, admins, who received the overdue notice",
  },
  // Who may correct or withdraw an acknowledgement depends on who made it: the use case asks.
  formCorrectAcknowledgement: {
    method: 'POST',
    url: '/officers/:license/acknowledgements/:id',
    access: 'OFFICER',
    action: 'officer.read',
    api: false,
    summary: "the officer page's correction of an acknowledgement: who made it, chief, admins",
  },
  formWithdrawAcknowledgement: {
    method: 'POST',
    url: '/officers/:license/acknowledgements/:id/withdraw',
    access: 'OFFICER',
    action: 'officer.read',
    api: false,
    summary: "the officer page's withdrawal of an acknowledgement (asks first): who made it, chief, admins",
  },
  audit: {
    method: 'GET',
    url: '/audit',
    access: 'ADMIN',
    action: 'audit.read',
    api: false,
    summary: 'the audit log, filtered, by page',
  },
  importTemplate: {
    method: 'GET',
    url: '/imports/templates/:section.csv',
    access: 'ADMIN',
    action: 'roster.import',
    api: false,
    summary: "a roster section's CSV template: its header row and one example row",
  },
  importForm: {
    method: 'GET',
    url: '/imports',
    access: 'ADMIN',
    action: 'roster.import',
    api: false,
    summary: 'the roster upload page',
  },
  formImport: {
    method: 'POST',
    url: '/imports',
    access: 'ADMIN',
    action: 'roster.import',
    api: false,
    summary: "the upload page's form (multipart, CSRF token its first field): the counts or every error",
  },
  auditCsv: {
    method: 'GET',
    url: '/audit.csv',
    access: 'ADMIN',
    action: 'audit.read',
    api: false,
    summary: 'the audit log as a CSV download, with the same filters',
  },
  // Reports for the board and the auditor (INTERFACE.md): the scope is the query's.
  reports: { method: 'GET', url: '/reports', access: 'REPORT', action: 'report.list', api: false, summary: 'the page' },
  reportPdf: {
    method: 'GET',
    url: '/reports/compliance.pdf',
    access: 'REPORT',
    action: 'report.read',
    api: false,
    summary: "the compliance report (PDF) of the query's scope, as of ?asOf",
  },
  reportPacket: {
    method: 'GET',
    url: '/reports/evidence.zip',
    access: 'REPORT',
    action: 'report.read',
    api: false,
    summary: 'the evidence packet (ZIP: the PDF, officers.csv, the certificate files, manifest.json)',
  },
  // RULES.md 12: a mail provider's delivery events (SendGrid's signed event webhook), reached by
  // the provider, not by a person; the same effect as a bounce received by sro bounces.
  mailHook: {
    method: 'POST',
    url: '/hooks/mail/:provider',
    access: 'PROVIDER',
    api: true,
    summary: "a mail provider's delivery events (bounces, complaints): its signature, not a session, says who",
  },
  queues: {
    method: 'GET',
    url: '/admin/queues',
    access: 'ADMIN',
    action: 'queues.read',
    api: false,
    prefix: true,
    summary: 'the queue dashboard (read-only)',
  },
} as const satisfies Record<string, RouteSpec>;

export type RouteKey = keyof typeof ROUTES;

/** The table row a registered route belongs to, or null (the server refuses to start then). */
export function routeRowOf(method: string, url: string): RouteSpec | null {
  const m = method === 'HEAD' ? 'GET' : method;
  for (const row of Object.values(ROUTES) as RouteSpec[]) {
    // Under a prefix row every method is the row's (the dashboard refuses all but GET and HEAD).
    if (row.prefix && (url === row.url || url.startsWith(`${row.url}/`))) return row;
    if (row.method === m && row.url === url) return row;
  }
  return null;
}
