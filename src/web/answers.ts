// How an error becomes an answer: one table from the app's error classes (src/errors.ts),
// the request schemas' failures and the plugins' own errors to an HTTP status and words, used
// by the one error handler of the API plugin (JSON) and the one of the page plugin (HTML).
//
//   InvalidInput, a body or query that fails its schema   400 (every problem, by field)
//   a param that fails its schema, NotFound                 404 (the same as out of scope)
//   SignInRequired                                          401 (API) / 303 to /login (pages)
//   NotAllowed, a missing or foreign CSRF token             403
//   InputStalled                                            408 (the connection is closed)
//   Conflict                                                409
//   TooLarge, a body or file over its limit                 413
//   UnsupportedFile, a body of a type not accepted          415
//   the per-client rate limit                               429
//   ServiceBusy                                             503 (Retry-After)
//   anything else                                           500, logged; no detail is sent
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import {
  Conflict,
  type FieldProblem,
  InputStalled,
  InvalidInput,
  NotAllowed,
  NotFound,
  ServiceBusy,
  TooLarge,
  UnsupportedFile,
} from '../errors.ts';
import { SignInRequired } from './access.ts';
import type { WebContext } from './context.ts';
import { renderOfficerPage } from './officer-page.ts';
import { errorPage, notFoundPage } from './pages.ts';

export interface Answer {
  status: number;
  /** What happened and what to do, in the words of the person who asked. */
  message: string;
  /** Bad input: every problem, by field. */
  errors?: FieldProblem[];
  headers?: Record<string, string>;
}

const TOO_LARGE = new Set([
  'FST_ERR_CTP_BODY_TOO_LARGE',
  'FST_REQ_FILE_TOO_LARGE',
  'FST_FILES_LIMIT',
  'FST_PARTS_LIMIT',
  'FST_FIELDS_LIMIT',
]);

/** The answer to an error thrown anywhere in a request (the handler, a hook, a body parser). */
function answerOf(e: unknown): Answer {
  if (e instanceof InvalidInput)
    return { status: 400, message: 'Nothing was changed: correct what is named below.', errors: e.errors };
  if (hasZodFastifySchemaValidationErrors(e)) {
    // A path that no route's params accept names no page at all.
    if ((e as { validationContext?: string }).validationContext === 'params')
      return { status: 404, message: 'not found' };
    const where = (e as { validationContext?: string }).validationContext === 'body' ? '(body)' : '(query)';
    const errors = e.validation.map((v) => ({
      field: v.instancePath.slice(1).replaceAll('/', '.') || where,
      problem: v.message ?? 'is not valid',
    }));
    return { status: 400, message: 'Nothing was changed: correct what is named below.', errors };
  }
  if (e instanceof NotFound) return { status: 404, message: 'not found' };
  if (e instanceof NotAllowed) return { status: 403, message: e.message };
  if (e instanceof InputStalled) return { status: 408, message: e.message, headers: { connection: 'close' } };
  if (e instanceof Conflict)
    return { status: 409, message: e.message, ...(e.errors.length > 0 ? { errors: e.errors } : {}) };
  if (e instanceof TooLarge) return { status: 413, message: e.message };
  if (e instanceof UnsupportedFile) return { status: 415, message: e.message };
  if (e instanceof ServiceBusy) return { status: 503, message: e.message, headers: { 'retry-after': '5' } };
  const f = e as Partial<FastifyError>;
  if (f.code?.startsWith('FST_CSRF'))
    return { status: 403, message: 'The form or request carried no valid CSRF token: reload the page and try again.' };
  if (f.statusCode === 429)
    return { status: 429, message: 'Too many requests from this address: wait a few minutes and try again.' };
  if (f.code && TOO_LARGE.has(f.code))
    return { status: 413, message: 'The request is larger than the console accepts; nothing was kept.' };
  if (f.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return { status: 415, message: 'The request’s content type is not one this address accepts.' };
  if (typeof f.statusCode === 'number' && f.statusCode >= 400 && f.statusCode < 500)
    return { status: f.statusCode, message: f.message ?? 'The request could not be read.' };
  return { status: 500, message: 'Something went wrong on the server; it has been logged.' };
}

function logged(web: WebContext, req: FastifyRequest, e: unknown, a: Answer): void {
  if (a.status >= 500 && a.status !== 503)
    web.deps.log.error('console request failed', { route: req.routeOptions.url, err: e as Error });
}

/** The API plugin's error handler: JSON, `{ errors }` for bad input, else `{ error }`. */
export function apiErrorHandler(web: WebContext) {
  return async (e: unknown, req: FastifyRequest, reply: FastifyReply) => {
    reply.header('cache-control', 'no-store');
    if (e instanceof SignInRequired) return reply.code(401).send({ error: e.message });
    const a = answerOf(e);
    logged(web, req, e, a);
    reply.code(a.status).headers(a.headers ?? {});
    if (a.status === 400 && a.errors) return reply.send({ errors: a.errors });
    return reply.send({ error: a.message, ...(a.errors ? { errors: a.errors } : {}) });
  };
}

/**
 * The page plugin's error handler: the officer page again with a form's problems next to its
 * fields and its values kept (a form route of an officer the viewer may see), else a page
 * saying what happened.
 */
export function pageErrorHandler(web: WebContext) {
  return async (e: unknown, req: FastifyRequest, reply: FastifyReply) => {
    if (e instanceof SignInRequired) return reply.redirect('/login', 303);
    const a = answerOf(e);
    logged(web, req, e, a);
    reply.headers(a.headers ?? {});
    if (a.status === 404) return notFoundPage(web, req, reply);
    const form = req.routeOptions.config.form;
    if (a.status === 400 && a.errors && form && req.officer && req.viewer)
      return renderOfficerPage(web, req, reply, {
        status: 400,
        form: { form, errors: a.errors, values: req.formValues ?? {} },
      });
    // A certificate refused for its type or size: the training form again, the message at its
    // file field, what was typed kept (never a bare error page).
    if ((a.status === 413 || a.status === 415) && form === 'training' && req.officer && req.viewer)
      return renderOfficerPage(web, req, reply, {
        status: a.status,
        form: { form, errors: [{ field: 'certificate', problem: a.message }], values: req.formValues ?? {} },
      });
    return errorPage(web, req, reply, a.status, a.message, a.errors);
  };
}
