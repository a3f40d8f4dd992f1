// Who is asking, and may they: the one check every route of the table passes before its body
// is read or its handler runs (src/web/server.ts hooks it after the CSRF check; the queue
// dashboard's scope calls it for its own routes). The session gives the viewer; the policy
// module (src/app/policy.ts) answers the row's action; the `:license` officer is read once
// here and kept on the request for the use case.
import type { FastifyRequest } from 'fastify';
import { officerSubject } from '../app/console.ts';
import { NotAllowed, NotFound } from '../errors.ts';
import { can, refusalOf } from '../app/policy.ts';
import { sessionViewer } from '../app/sign-in.ts';
import type { WebContext } from './context.ts';
import type { RouteSpec } from './routes.ts';
import { assignmentParams, directoryParams, officerParams, reportScopeOf } from './schemas.ts';

/** No live session: a page answers 303 to /login, the API 401 (src/web/answers.ts). */
export class SignInRequired extends Error {
  constructor() {
    super('sign in first: POST /login');
  }
}

/** The id of the request's signed session cookie, live or not; null without a valid one. */
export function sessionIdOf(web: WebContext, req: FastifyRequest): string | null {
  const raw = req.cookies[web.cookies.session];
  const unsigned = raw ? req.unsignCookie(raw) : null;
  return unsigned?.valid && unsigned.value ? unsigned.value : null;
}

/** Sets req.viewer and req.sessionId from a live session cookie (left null otherwise). */
async function loadViewer(web: WebContext, req: FastifyRequest): Promise<void> {
  const id = sessionIdOf(web, req);
  if (!id) return;
  const viewer = await sessionViewer(web.signIn, id);
  if (!viewer) return;
  req.sessionId = id;
  req.viewer = viewer;
}

/**
 * What a CSRF token is bound to besides its secret cookie: the session (a keyed hash of its
 * id), or one value for every visitor without one. A token made outside this session (another
 * session's, or one from before signing in) does not verify with it (INTERFACE.md "Forms and
 * CSRF"), even when its secret cookie is sent along.
 */
export function csrfUserInfo(web: WebContext, req: FastifyRequest): string {
  const id = sessionIdOf(web, req);
  return id ? `session:${web.signIn.secrets.hash('csrf', id).toString('base64url')}` : 'signed-out';
}

/** The row's access: 303/401 signed out, 404 out of scope or not an admin's, 403 an action the policy refuses. */
export async function checkAccess(web: WebContext, req: FastifyRequest, row: RouteSpec): Promise<void> {
  // A provider's webhook proves who sends it by its signature, checked by its use case.
  if (row.access === 'PUBLIC' || row.access === 'PROVIDER') return;
  await loadViewer(web, req);
  const viewer = req.viewer;
  if (!viewer) throw new SignInRequired();
  if (row.access === 'SIGNED_IN') return;
  if (row.access === 'ADMIN') {
    if (!can(viewer, row.action, null)) throw new NotFound('not found');
    return;
  }
  if (row.access === 'REPORT') {
    // A scope out of the viewer's answers exactly as one the roster does not have (the handler says 404 for that).
    const allowed =
      row.action === 'report.list' ? can(viewer, row.action, null) : can(viewer, row.action, reportScopeOf(req.query));
    if (!allowed) throw new NotFound('not found');
    return;
  }
  if (row.access === 'AGENCY' || row.access === 'DISTRICT') {
    // An id out of scope answers exactly as one that does not exist (the use case says 404 for that).
    const params = directoryParams.safeParse(req.params);
    if (!params.success) throw new NotFound('not found');
    const id = params.data.id;
    if (row.access === 'AGENCY') {
      if (!can(viewer, 'agency.read', { agencyId: id })) throw new NotFound('not found');
      if (!can(viewer, row.action, { agencyId: id })) throw new NotAllowed(refusalOf(row.action, { agencyId: id }));
    } else {
      if (!can(viewer, 'district.read', { districtId: id })) throw new NotFound('not found');
      if (!can(viewer, row.action, { districtId: id })) throw new NotAllowed(refusalOf(row.action, { districtId: id }));
    }
    return;
  }
  const params = officerParams.safeParse(req.params);
  const officer = params.success ? await officerSubject(web.console, params.data.license, web.today()) : null;
  if (row.access === 'OFFICER_ON_FILE') {
    // Who may is the use case's to ask, on the district of the body (policy.ts OUTSIDE_SCOPE).
    if (!officer) throw new NotFound('not found');
    req.officer = officer;
    return;
  }
  if (row.access === 'OFFICER_IN_DISTRICT') {
    // An assignment in the viewer's district is theirs to correct even before it starts
    // (policy.ts OUTSIDE_SCOPE); else a license out of scope answers as one that does not exist.
    const assignment = assignmentParams.safeParse(req.params);
    if (!officer || !assignment.success) throw new NotFound('not found');
    const subject = { officer, districtId: assignment.data.districtId };
    const allowed = can(viewer, row.action, subject);
    if (!allowed && !can(viewer, 'officer.read', officer)) throw new NotFound('not found');
    if (!allowed) throw new NotAllowed(refusalOf(row.action, subject));
    req.officer = officer;
    return;
  }
  // A license out of scope answers exactly as one that does not exist.
  if (!officer || !can(viewer, 'officer.read', officer)) throw new NotFound('not found');
  if (!can(viewer, row.action, officer)) throw new NotAllowed(refusalOf(row.action, officer));
  req.officer = officer;
}
