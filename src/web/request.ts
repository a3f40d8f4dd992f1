// What the console's handlers share about a request: registering a route-table row with its
// schemas (every param, query and body has one: the registrar refuses a route without), who
// is acting (the viewer, audited with their address and browser) and the officer the route
// hook read.
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { Recorder } from '../app/fact-change.ts';
import type { AuditActor } from '../app/audit-log.ts';
import type { Officer } from '../app/officer-page.ts';
import type { Viewer } from '../app/policy.ts';
import type { OfficerFormName, WebContext } from './context.ts';
import { ROUTES, type RouteKey } from './routes.ts';

interface RequestSchemas {
  params?: z.ZodType;
  querystring: z.ZodType;
  body?: z.ZodType;
}

type Output<S, K extends keyof RequestSchemas> = S extends { [P in K]: infer T extends z.ZodType }
  ? z.output<T>
  : unknown;

/** A request as its schemas left it (validated, transformed). */
type Req<S extends RequestSchemas> = FastifyRequest<{
  Params: Output<S, 'params'>;
  Querystring: Output<S, 'querystring'>;
  Body: Output<S, 'body'>;
}>;

interface RouteOptions {
  rateLimit?: { max: number; timeWindow: number };
  /** The officer page's form this page route answers for (bad input: that page again). */
  form?: OfficerFormName;
  /** A multipart body, read by the handler and checked against its own schema as it streams. */
  multipart?: boolean;
}

/** Registers the handlers of route-table rows in one plugin (the API's or the pages'). */
export interface Registrar {
  route<S extends RequestSchemas>(
    key: RouteKey,
    schema: S,
    handler: (req: Req<S>, reply: FastifyReply) => Promise<unknown>,
    options?: RouteOptions,
  ): void;
}

export function registrarOf(scope: FastifyInstance, api: boolean): Registrar {
  const typed = scope.withTypeProvider<ZodTypeProvider>();
  return {
    route(key, schema, handler, options = {}) {
      const row = ROUTES[key];
      if (row.api !== api) throw new Error(`${key}: ${row.url} belongs to the ${row.api ? 'API' : 'page'} plugin`);
      if (row.url.includes(':') && !schema.params) throw new Error(`${key}: ${row.url} needs a params schema`);
      if (row.method !== 'GET' && !schema.body && !options.multipart)
        throw new Error(`${key}: ${row.url} needs a body schema (or reads multipart parts against its own)`);
      typed.route({
        method: row.method,
        url: row.url,
        schema,
        config: {
          row,
          ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
          ...(options.form ? { form: options.form } : {}),
          ...(options.multipart ? { multipart: true } : {}),
        },
        handler: handler as unknown as RouteHandlerMethod,
      });
    },
  };
}

/** The signed-in viewer (every route past the access hook but the public ones has one). */
export function viewerOf(req: FastifyRequest): Viewer {
  if (!req.viewer) throw new Error(`${req.url}: no viewer past the access hook`);
  return req.viewer;
}

/** The `:license` officer the access hook read (OFFICER rows). */
export function officerOf(req: FastifyRequest): Officer {
  if (!req.officer) throw new Error(`${req.url}: no officer past the access hook`);
  return req.officer;
}

/** Who made a change, from where: the address, the client's address (behind TRUST_PROXY, the person's) and browser. */
export function actorOf(req: FastifyRequest, email: string): AuditActor {
  const ua = req.headers['user-agent'];
  return { email, clientAddress: req.ip ?? null, userAgent: typeof ua === 'string' ? ua : null };
}

/** Who records a fact: the viewer, audited, as of the console's today, with the officer already read. */
export function recorderOf(web: WebContext, req: FastifyRequest): Recorder {
  const viewer = viewerOf(req);
  return { viewer, actor: actorOf(req, viewer.email), today: web.today(), officer: officerOf(req) };
}

/** Who changes the directory: the viewer, audited, as of the console's today, with the `:license` officer when the route has one. */
export function changerOf(web: WebContext, req: FastifyRequest): Recorder {
  const viewer = viewerOf(req);
  return { viewer, actor: actorOf(req, viewer.email), today: web.today(), officer: req.officer };
}
