// What every page is sent with: the layout's data (who is signed in, the links their roles
// open, the sign-out form's CSRF token), the headers of a page, and the pages every route may
// answer with (not found, an error).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { can } from '../app/policy.ts';
import { dateText, instantText } from '../mail/format.ts';
import { csrfUserInfo } from './access.ts';
import type { WebContext } from './context.ts';

// One token per answer: without a secret cookie yet (a first visit), each generateCsrf makes a
// new secret and sets it, so a page asking twice (its form, then the layout's sign-out form)
// would carry a token of a secret the last cookie replaced, and its form would be refused.
const tokens = new WeakMap<FastifyReply, string>();

/** A CSRF token of the request's session (or of a visitor without one): the forms' hidden `_csrf`. */
export function csrfTokenOf(web: WebContext, req: FastifyRequest, reply: FastifyReply): string {
  let token = tokens.get(reply);
  if (token === undefined) tokens.set(reply, (token = reply.generateCsrf({ userInfo: csrfUserInfo(web, req) })));
  return token;
}

/** What the layout needs: the viewer, the links the policy opens to them, the sign-out form's token. */
export function layoutData(web: WebContext, req: FastifyRequest, reply: FastifyReply) {
  const v = req.viewer;
  return {
    viewer: v,
    nav: {
      imports: v ? can(v, 'roster.import', null) : false,
      audit: v ? can(v, 'audit.read', null) : false,
      queues: v ? can(v, 'queues.read', null) : false,
      directory: v ? can(v, 'directory.list', null) : false,
      reports: v ? can(v, 'report.list', null) : false,
    },
    csrf: csrfTokenOf(web, req, reply),
    // INTERFACE.md "Pages for people": every page words its dates and times through these two.
    /** An instant in TZ with the zone's abbreviation: '2026-12-07 08:35 CST'. */
    when: (at: Date | string) => instantText(at, web.config.timeZone),
    /** A civil date as every page shows it. */
    day: dateText,
  };
}

/** A page from its template, with the layout's data; never cached. */
export function sendPage(
  web: WebContext,
  req: FastifyRequest,
  reply: FastifyReply,
  name: string,
  data: Record<string, unknown>,
  status = 200,
) {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(web.views.render(name, { ...layoutData(web, req, reply), ...data }));
}

/** The same page for a license that does not exist and one out of scope. */
export function notFoundPage(web: WebContext, req: FastifyRequest, reply: FastifyReply) {
  return sendPage(
    web,
    req,
    reply,
    'error',
    { title: 'Not found', status: 404, message: 'There is nothing here, or nothing you may see.' },
    404,
  );
}

const TITLES: Record<number, string> = {
  400: 'Please correct the request',
  403: 'Not allowed',
  408: 'The upload stopped',
  409: 'Not possible now',
  413: 'File too large',
  415: 'File type not accepted',
  429: 'Too many requests',
  503: 'Busy: try again shortly',
};

/** An error page: what happened and what to do, with a way back to the officer when the request was about one. */
export function errorPage(
  web: WebContext,
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  message: string,
  problems: { field: string; problem: string }[] = [],
) {
  const officer = req.officer;
  return sendPage(
    web,
    req,
    reply,
    'error',
    {
      title: TITLES[status] ?? `Error ${status}`,
      status,
      message,
      problems,
      back: officer ? { href: `/officers/${encodeURIComponent(officer.license)}`, text: 'Back to the officer' } : null,
    },
    status,
  );
}
