// The expectations the authorization matrix (test/web/authorization.test.ts) is written in:
// what each role gets from a route in scope, out of scope and for no such subject.
import type { ROUTES, RouteKey } from '../../src/web/routes.ts';
import { ROLE, ROLES, type Role } from './authorization.ts';

export type Target = 'in' | 'out' | 'missing';

/** One row's expectations: how to make its request, and what each role gets. */
export interface Line {
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
  multipart?: Record<string, string | File>;
  /** The path's other parameters (`:id`, `:sha256`), by role and license. */
  params?: (role: Role, license: string) => Record<string, string>;
  expect(role: Role, target: Target | null): Expected;
}

export interface Expected {
  status: number;
  /** The Location of a redirect. */
  location?: string;
  /** The content type's essence. */
  type?: 'text/html' | 'application/json' | 'text/css' | 'application/pdf' | 'text/csv' | 'application/zip';
}

export const html = (status: number): Expected => ({ status, type: 'text/html' });
export const json = (status: number): Expected => ({ status, type: 'application/json' });
export const toLogin: Expected = { status: 303, location: '/login' };
export const signInFirst = json(401);

/** Page of a signed-in route: 303 to /login signed out, else the page. */
export const signedInPage = (role: Role) => (role === 'signedOut' ? toLogin : html(200));
export const signedInApi = (role: Role) => (role === 'signedOut' ? signInFirst : json(200));
/** A :license route: in scope answers, out of scope and missing both 404. */
export const scoped = (role: Role, target: Target | null, ok: Expected, notFound: Expected, signedOut: Expected) =>
  role === 'signedOut' ? signedOut : target === 'in' ? ok : notFound;

/**
 * A write route (RULES.md 7, RULES.md 6): signed out 401, out of scope 404 (as a license that
 * does not exist), in scope 403 for a role that may not record it, else `ok`.
 */
export const write = (
  role: Role,
  target: Target | null,
  allowed: readonly Role[],
  ok: Expected | ((r: Role) => Expected),
) =>
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
export const formWrite = (
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
export const backTo = (role: Role, done?: string): Expected => ({
  status: 303,
  ...(done ? { location: `/officers/${ROLE[role].inScope}?done=${done}` } : {}),
});

/** Who may record a training, read a certificate, delete a CONSOLE training: the officer's chief, admins. */
export const CHIEFS_AND_ADMINS: readonly Role[] = ['admin', 'chiefA', 'chiefB'];
/** A policy review: also the officer themself. */
export const REVIEWERS: readonly Role[] = [...CHIEFS_AND_ADMINS, 'officer'];
/** Contact days: also the contacts of the district served (each in-scope officer of theirs is in their district). */
export const DAY_RECORDERS: readonly Role[] = [...CHIEFS_AND_ADMINS, 'contactD1', 'contactD2'];
/** The district each officer's contact days are recorded for (one of its assignments). */
export const DISTRICT_OF: Record<string, string> = {
  A1: 'D1',
  A2: 'D1',
  A3: 'D1',
  B1: 'D2',
  B2: 'D1',
  B3: 'D1',
  C1: 'D1',
};
export const RECORDED_ON = '2026-01-05';

/** A directory route (RULES.md 11): signed out 401, out of scope or missing 404, in scope `ok` for `allowed`, else 403. */
export const directoryWrite = (
  role: Role,
  target: Target | null,
  allowed: readonly Role[],
  ok: Expected,
  notFound: Expected = json(404),
): Expected =>
  role === 'signedOut' ? signInFirst : target !== 'in' ? notFound : allowed.includes(role) ? ok : json(403);
/** A directory page or its form: signed out 303 to /login, out of scope or missing the 404 page, in scope `ok` for `allowed`, else the 403 page. */
export const directoryPage = (role: Role, target: Target | null, allowed: readonly Role[], ok: Expected): Expected =>
  role === 'signedOut' ? toLogin : target !== 'in' ? html(404) : allowed.includes(role) ? ok : html(403);
/** Who may change an agency, add an officer to it: its chief and admins. */
export const AGENCY_CHANGERS: readonly Role[] = ['admin', 'chiefA', 'chiefB'];
export const DISTRICT_CONTACTS: readonly Role[] = ['admin', 'contactD1', 'contactD2'];
/** The district a role is a contact of (none for the others). */
export const CONTACT_DISTRICT: Partial<Record<Role, string>> = { contactD1: 'D1', contactD2: 'D2' };
/** A new assignment's start (next year, so no scope changes today): one per role and target. */
export const newStart = (role: Role, target: Target | null) =>
  `${new Date().getUTCFullYear() + 1}-0${1 + ROLES.indexOf(role)}-1${['in', 'out', 'missing'].indexOf(target ?? 'in')}`;
/**
 * A new assignment (the body's district: a contact's own, else the officer's): the chief and
 * admins in scope, a contact in their district even for an officer out of scope (policy.ts's
 * decision), 403 in scope to the others, 404 out of scope to the others and for no such license.
 */
export function newAssignment(role: Role, target: Target | null): Expected {
  if (role === 'signedOut') return signInFirst;
  if (target === 'missing') return json(404);
  if (role === 'contactD1' || role === 'contactD2') return json(201);
  if (target === 'out') return json(404);
  return CHIEFS_AND_ADMINS.includes(role) ? json(201) : json(403);
}

/**
 * The reports' scopes (INTERFACE.md "Reports for the board and the auditor"): the query of a
 * scope the role may report on (null: none), and of one it may not (null: an admin's any).
 */
export const REPORT_SCOPE: Record<Role, { in: string | null; out: string | null }> = {
  admin: { in: 'agency=AGA', out: null },
  chiefA: { in: 'agency=AGA', out: 'agency=AGB' },
  chiefB: { in: 'agency=AGB', out: 'agency=AGA' },
  escalationA: { in: null, out: 'agency=AGA' },
  contactD1: { in: 'district=D1', out: 'district=D2' },
  contactD2: { in: 'district=D2', out: 'district=D1' },
  officer: { in: null, out: 'agency=AGA' },
  signedOut: { in: 'agency=AGA', out: null },
};
/** A scope that does not exist, of the kind the role reports on. */
export const missingReportScope = (role: Role) =>
  role === 'contactD1' || role === 'contactD2' ? 'district=NO-SUCH-DISTRICT' : 'agency=NO-SUCH-AGENCY';
/** Who has a Reports page: admins, chiefs, district contacts. */
const REPORTERS: readonly Role[] = ['admin', 'chiefA', 'chiefB', 'contactD1', 'contactD2'];
export const reportsPage = (role: Role): Expected =>
  role === 'signedOut' ? toLogin : REPORTERS.includes(role) ? html(200) : html(404);
/** A report of a scope: in the role's, the file; out of it or no such scope, the 404 page. */
export const reportDownload = (role: Role, target: Target | null, type: 'application/pdf' | 'application/zip') =>
  role === 'signedOut' ? toLogin : target === 'in' ? { status: 200, type } : html(404);
