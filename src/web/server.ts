// The console (`sro web`, INTERFACE.md "Console"): Fastify with its official plugins, pages
// rendered from eta templates that escape by default, the JSON API beside them. Stateless:
// sessions, sign-in tokens and the roster live in PostgreSQL, rate limits in Redis, so any
// number of replicas can serve behind a load balancer.
//
// Who may reach what is the route table (src/web/routes.ts): every route is registered from
// it, a route missing from it stops the server at start-up, and one hook enforces each row's
// access before any handler runs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { Queues } from '../../jobs/definition.ts';
import type { WorkQueue } from '../app/ports.ts';
import { type Config, ConfigError, rulesOf } from '../config.ts';
import { type ConsoleContext, type Viewer, consoleContext, maySee, viewerOf } from '../app/console.ts';
import { readSession } from '../db/console-auth.ts';
import type { MailTransport } from '../mail/transport.ts';
import type { Logger } from '../shell/log.ts';
import { civilDateFormatter } from '../shell/clock.ts';
import type { CivilDate } from '../domain/civil-date.ts';
import { packageRoot } from '../shell/version.ts';
import { checkHealth } from '../worker/http.ts';
import { type RouteKey, type RouteSpec, ROUTES, routeRowOf } from './routes.ts';
import { type Secrets, secretsOf } from './secrets.ts';
import { type Views, createViews } from './views.ts';
import { signInRoutes } from './sign-in.ts';
import { officerRoutes } from './officers.ts';
import { factRoutes } from './facts.ts';
import { formRoutes } from './forms.ts';
import { auditRoutes } from './audit-page.ts';
import { importRoutes } from './imports.ts';
import { queueDashboard } from './queue-dashboard.ts';

export const SESSION_COOKIE = 'sro_session';

export interface ConsoleDeps {
  config: Config;
  pool: pg.Pool;
  redis: Redis;
  queues: Queues;
  /** Where the use cases ask for work (an officer's re-evaluation after a change). */
  work: WorkQueue;
  transport: MailTransport;
  log: Logger;
  /** The clock (tests pin it): the as-of date is today in TZ. */
  now?: () => Date;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route-table row's access (routes.ts). */
    access?: RouteSpec['access'];
    api?: boolean;
  }
  interface FastifyRequest {
    /** The signed-in address and its roles; null when signed out. Set for every non-public route. */
    viewer: Viewer | null;
    /** The id of the session cookie (for logout and rotation), when one is live. */
    sessionId: string | null;
  }
}

/** What every handler module gets. */
export interface WebContext {
  config: Config;
  deps: ConsoleDeps;
  console: ConsoleContext;
  secrets: Secrets;
  views: Views;
  today(): CivilDate;
  /** PUBLIC_URL, or where this server listens when it is unset (sign-in links). */
  baseUrl(): string;
  /** Whether cookies carry Secure (PUBLIC_URL is https). */
  secureCookies: boolean;
  /** Registers the handler of a route-table row (its access is enforced by the server's hook). */
  route(
    key: RouteKey,
    handler: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
    options?: { rateLimit?: { max: number; timeWindow: number } },
  ): void;
}

export async function buildConsole(deps: ConsoleDeps): Promise<FastifyInstance> {
  const { config } = deps;
  if (!config.secretKey)
    throw new ConfigError(['SECRET_KEY: required by sro web (at least 32 characters; e.g. `openssl rand -base64 48`)']);
  const app = Fastify({
    logger: false,
    trustProxy: false,
    bodyLimit: 1024 * 1024,
  });
  const secureCookies = config.publicUrl?.startsWith('https:') ?? false;
  const now = deps.now ?? (() => new Date());
  const todayIn = civilDateFormatter(config.timeZone);
  const web: WebContext = {
    config,
    deps,
    console: consoleContext(deps.pool, rulesOf(config), config.timeZone),
    secrets: secretsOf(config.secretKey),
    views: createViews(join(packageRoot(), 'views')),
    today: () => todayIn(now()),
    baseUrl: () => {
      if (config.publicUrl) return config.publicUrl;
      const address = app.server.address();
      const port = address && typeof address === 'object' ? address.port : config.webPort;
      const host = config.webHost.includes(':') ? `[${config.webHost}]` : config.webHost;
      return `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${port}`;
    },
    secureCookies,
    route(key, handler, options) {
      const row: RouteSpec = ROUTES[key];
      app.route({
        method: row.method,
        url: row.url,
        config: { access: row.access, api: row.api, ...(options?.rateLimit ? { rateLimit: options.rateLimit } : {}) },
        ...(row.method === 'POST' ? { preValidation: app.csrfProtection } : {}),
        handler,
      });
    },
  };

  // Every route must be a row of the table (a route added without its row, and so without
  // its access and its line in the authorization matrix, stops the server here).
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of methods) {
      if (m === 'OPTIONS') continue;
      if (!routeRowOf(m, route.url))
        throw new Error(`${m} ${route.url} is not in the console's route table (src/web/routes.ts)`);
    }
  });

  await app.register(fastifyCookie, { secret: config.secretKey });
  await app.register(fastifyFormbody);
  await app.register(fastifyMultipart, { limits: { fileSize: 10 * 1024 * 1024, files: 20, fields: 50 } });
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
    },
    // The console is served over TLS by the reverse proxy in production (README); HSTS is its job.
    strictTransportSecurity: false,
  });
  await app.register(fastifyCsrf, {
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', path: '/', secure: secureCookies },
    // The plugin's default places (the form's `_csrf` field, the x-csrf-token header), and for a
    // multipart request only, the `_csrf` of the query string: a multipart body is still unread
    // in preValidation (it is streamed by the handler, so that a certificate is never held
    // beyond its limit), so the training form without JavaScript carries its token in its
    // action URL. The token is no more exposed there than in the page: pages send no referrer,
    // and it is checked against the session's secret cookie exactly as the field is.
    getToken: (req) => {
      const field = (req.body as { _csrf?: unknown } | undefined)?._csrf;
      const h = req.headers;
      const token = field || h['csrf-token'] || h['xsrf-token'] || h['x-csrf-token'] || h['x-xsrf-token'];
      if (token) return String(token);
      const query = (req.query as { _csrf?: unknown } | undefined)?._csrf;
      return req.isMultipart() && typeof query === 'string' ? query : undefined;
    },
  });
  await app.register(fastifyRateLimit, {
    global: false,
    redis: deps.redis,
    nameSpace: `${config.queuePrefix}:web-rate-limit:`,
    skipOnError: false,
  });

  app.decorateRequest('viewer', null);
  app.decorateRequest('sessionId', null);

  // The access of the route's row, before any handler (CSRF ran before it, in preValidation).
  app.addHook('preHandler', async (req, reply) => {
    const access = req.routeOptions.config.access;
    const api = req.routeOptions.config.api ?? req.url.startsWith('/api/');
    if (access === undefined || access === 'PUBLIC') return;
    await loadViewer(web, req);
    if (!req.viewer) {
      if (api) return reply.code(401).send({ error: 'sign in first: POST /login' });
      return reply.redirect('/login', 303);
    }
    if (access === 'ADMIN' && !req.viewer.grants.some((g) => g.role === 'ADMIN')) return notFound(web, req, reply, api);
    if (access === 'OFFICER') {
      const license = (req.params as { license?: string }).license ?? '';
      if (!(await maySee(deps.pool, req.viewer, license, web.today()))) return notFound(web, req, reply, api);
    }
  });

  app.addHook('onResponse', async (req, reply) => {
    deps.log.debug('http', {
      method: req.method,
      route: req.routeOptions.url ?? '(no route)',
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    });
  });

  app.setErrorHandler(async (error: Error & { statusCode?: number; code?: string }, req, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    const api = req.url.startsWith('/api/') || (req.routeOptions.config as { api?: boolean } | undefined)?.api === true;
    if (status >= 500) deps.log.error('console request failed', { route: req.routeOptions.url, err: error });
    const message =
      status === 403 && error.code?.startsWith('FST_CSRF')
        ? 'The form or request carried no valid CSRF token: reload the page and try again.'
        : status === 429
          ? 'Too many requests from this address: wait a few minutes and try again.'
          : status >= 500
            ? 'Something went wrong on the server; it has been logged.'
            : error.message;
    if (api) return reply.code(status).send({ error: message });
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(web.views.render('error', { title: `Error ${status}`, status, message, ...layoutData(req, reply) }));
  });

  app.setNotFoundHandler(async (req, reply) => notFound(web, req, reply, req.url.startsWith('/api/')));

  const css = readFileSync(join(packageRoot(), 'views', 'console.css'));
  web.route('css', async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(css),
  );
  web.route('livez', async () => ({ status: 'alive' }));
  web.route('readyz', async (_req, reply) => {
    const h = await checkHealth(deps.pool, deps.queues.scan);
    return reply.code(h.status === 'ok' ? 200 : 503).send(h);
  });
  signInRoutes(web);
  officerRoutes(web);
  factRoutes(web);
  formRoutes(web);
  auditRoutes(web);
  importRoutes(web);
  await queueDashboard(app, web);
  return app;
}

/** Sets req.viewer and req.sessionId from a live session cookie (left null otherwise). */
export async function loadViewer(web: WebContext, req: FastifyRequest): Promise<void> {
  const raw = req.cookies[SESSION_COOKIE];
  if (!raw) return;
  const unsigned = req.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return;
  const session = await readSession(web.deps.pool, web.secrets.hash('session', unsigned.value));
  if (!session) return;
  req.sessionId = unsigned.value;
  req.viewer = await viewerOf(
    web.console,
    session.email,
    web.config.adminEmails,
    session.rosterVersion,
    session.ledgerVersion,
  );
}

/** What the layout needs of the request: the viewer, whether an admin, and the sign-out form's CSRF token. */
export function layoutData(req: FastifyRequest, reply: FastifyReply) {
  return {
    viewer: req.viewer,
    admin: req.viewer?.grants.some((g) => g.role === 'ADMIN') ?? false,
    csrf: reply.generateCsrf(),
  };
}

/** The same answer for a license that does not exist and one out of scope. */
export function notFound(web: WebContext, req: FastifyRequest, reply: FastifyReply, api: boolean) {
  if (api) return reply.code(404).send({ error: 'not found' });
  return reply
    .code(404)
    .type('text/html; charset=utf-8')
    .send(
      web.views.render('error', {
        title: 'Not found',
        status: 404,
        message: 'There is nothing here, or nothing you may see.',
        ...layoutData(req, reply),
      }),
    );
}
