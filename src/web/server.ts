// The console (`sro web`, INTERFACE.md "Console"): Fastify with its official plugins, pages
// rendered from eta templates that escape by default, the JSON API beside them. Stateless:
// sessions, sign-in tokens and the roster live in PostgreSQL, rate limits in Redis, so any
// number of replicas can serve behind a load balancer.
//
// The shape: two encapsulated plugins, the API (JSON) and the pages (HTML), each with its one
// error handler (answers.ts); every route registered from its row of the route table
// (routes.ts: a route missing from it stops the server at start-up) with zod schemas for its
// params, query and body; one hook before any body is read asks who is asking and whether the
// policy module lets them (access.ts), after the CSRF check of every POST. Handlers call
// src/app only.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ConfigError, rulesOf } from '../config.ts';
import { consoleContext } from '../app/console.ts';
import { NotFound } from '../errors.ts';
import { secretsOf } from '../app/secrets.ts';
import { civilDateFormatter } from '../shell/clock.ts';
import { packageRoot } from '../shell/version.ts';
import { checkHealth } from '../worker/http.ts';
import { checkAccess, csrfUserInfo } from './access.ts';
import { apiErrorHandler, pageErrorHandler } from './answers.ts';
import { auditApi, auditPages } from './audit.ts';
import { idleLimited } from './body.ts';
import { type ConsoleDeps, type WebContext, cookieNamesOf } from './context.ts';
import { directoryApi } from './directory.ts';
import { directoryPages } from './directory-pages.ts';
import { agencyPolicyPages } from './agency-policy.ts';
import { officerDirectoryForms } from './officer-directory-forms.ts';
import { factApi } from './facts.ts';
import { formPages } from './forms.ts';
import { importApi, importPages } from './imports.ts';
import { officerListApi, officerListPages } from './officer-list.ts';
import { mailHooks } from './mail-hooks.ts';
import { officerPages } from './officer-page.ts';
import { queueDashboard } from './queue-dashboard.ts';
import { reportPages } from './reports.ts';
import { registrarOf } from './request.ts';
import { routeRowOf } from './routes.ts';
import { oidcSignInPages } from './oidc.ts';
import { signInPages } from './sign-in.ts';
import { createViews } from './views.ts';

export type { ConsoleDeps } from './context.ts';

/** The CSRF token of a request's headers (the API's), if any. */
function headerToken(req: FastifyRequest): string | undefined {
  const h = req.headers;
  const token = h['csrf-token'] || h['xsrf-token'] || h['x-csrf-token'] || h['x-xsrf-token'];
  return token ? String(token) : undefined;
}

export async function buildConsole(deps: ConsoleDeps): Promise<FastifyInstance> {
  const { config } = deps;
  if (!config.secretKey)
    throw new ConfigError(['SECRET_KEY: required by sro web (at least 32 characters; e.g. `openssl rand -base64 48`)']);
  const app = Fastify({
    logger: false,
    // TRUST_PROXY: only these proxies' X-Forwarded-For is believed (req.ip is then the person's).
    trustProxy: config.trustProxy.length > 0 ? [...config.trustProxy] : false,
    bodyLimit: 1024 * 1024,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const cookies = cookieNamesOf(config.publicUrl);
  const now = deps.now ?? (() => new Date());
  const todayIn = civilDateFormatter(config.timeZone);
  const consoleCtx = consoleContext(deps.pool, rulesOf(config), config.timeZone);
  const secrets = secretsOf(config.secretKey);
  const signIn = {
    pool: deps.pool,
    console: consoleCtx,
    secrets,
    transport: deps.transport,
    log: deps.log,
    mailFrom: config.mailFrom,
    adminEmails: config.adminEmails,
    limitPerAddress: config.loginLimitPerAddress,
    sessionHours: config.sessionHours,
  };
  const web: WebContext = {
    config,
    deps,
    console: consoleCtx,
    record: { pool: deps.pool, work: deps.work, rules: rulesOf(config), log: deps.log },
    directory: { pool: deps.pool, work: deps.work, rules: rulesOf(config), log: deps.log, db: deps.directoryDb },
    signIn,
    oidc: {
      providers: deps.oidcProviders ?? [],
      deps: {
        signIn,
        // A state is spent once, whichever replica sees its callback (Redis; the key is a hash).
        spendState: async (state, seconds) =>
          (await deps.redis.set(
            `${config.queuePrefix}:oidc-state:${secrets.hash('oidc-state', state).toString('base64url')}`,
            '1',
            'EX',
            seconds,
            'NX',
          )) === 'OK',
      },
    },
    views: createViews(join(packageRoot(), 'views')),
    cookies,
    today: () => todayIn(now()),
    baseUrl: () => {
      if (config.publicUrl) return config.publicUrl;
      const address = app.server.address();
      const port = address && typeof address === 'object' ? address.port : config.webPort;
      const host = config.webHost.includes(':') ? `[${config.webHost}]` : config.webHost;
      return `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${port}`;
    },
    bodyIdleMs: config.requestBodyTimeoutSeconds * 1000,
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
    // With an https PUBLIC_URL the console is only ever reached over TLS: browsers are told so.
    strictTransportSecurity: cookies.secure ? { maxAge: 365 * 24 * 3600, includeSubDomains: false } : false,
  });
  /** The `_csrf` field of a multipart form, once its reader has it (preValidation below, body.ts). */
  const bodyTokens = new WeakMap<FastifyRequest, string>();
  await app.register(fastifyCsrf, {
    cookieKey: cookies.csrf,
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', path: '/', secure: cookies.secure },
    // The token is bound to the session (access.ts csrfUserInfo), not to the secret cookie alone.
    getUserInfo: (req) => csrfUserInfo(web, req),
    csrfOpts: { hmacKey: createHmac('sha256', config.secretKey).update('sro csrf tokens').digest() },
    // The plugin's default places (the form's `_csrf` field, the x-csrf-token header), and a
    // multipart form's `_csrf` field once its handler has read it (bodyToken, below). Never the
    // URL: a token in an address ends up in the history, logs and the address bar.
    getToken: (req) => {
      const field = (req.body as { _csrf?: unknown } | undefined)?._csrf;
      const token = field || headerToken(req) || bodyTokens.get(req);
      return token ? String(token) : undefined;
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
  app.decorateRequest('officer', null);
  app.decorateRequest('formValues', null);
  app.decorateRequest('bodyCsrf', null);

  // A JSON or form body that stops arriving is abandoned (multipart bodies: body.ts multipartParts).
  app.addHook('preParsing', async (req, _reply, payload) => {
    const type = req.headers['content-type'] ?? '';
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    return hasBody && !/^multipart\//i.test(type) ? idleLimited(payload, web.bodyIdleMs) : payload;
  });
  // Before any body is validated or read: the CSRF token of every POST and PATCH, then who may.
  // A multipart form (no header token) is still unread here: it is streamed by its handler, so
  // that a certificate is never held beyond its limit. Its `_csrf` field, the body's first part,
  // is checked by the reader (body.ts eachPart) before any other part is looked at.
  app.addHook('preValidation', (req, reply, done) => {
    const row = req.routeOptions.config.row;
    // A provider's webhook carries its signature instead (src/web/mail-hooks.ts): no browser, no CSRF.
    if ((row?.method !== 'POST' && row?.method !== 'PATCH') || row.access === 'PROVIDER') return done();
    if (req.routeOptions.config.multipart && req.isMultipart() && !headerToken(req)) {
      req.bodyCsrf = (token) =>
        new Promise<void>((resolve, reject) => {
          bodyTokens.set(req, token);
          // The plugin answers a bad token through reply.send(error): here the error is thrown instead.
          const shim = { unsignCookie: reply.unsignCookie.bind(reply), send: reject } as unknown as typeof reply;
          app.csrfProtection(req, shim, () => resolve());
        });
      return done();
    }
    app.csrfProtection(req, reply, done);
  });
  app.addHook('preValidation', async (req) => {
    const row = req.routeOptions.config.row;
    if (row) await checkAccess(web, req, row);
  });
  app.addHook('onResponse', async (req, reply) => {
    deps.log.debug('http', {
      method: req.method,
      route: req.routeOptions.url ?? '(no route)',
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    });
  });
  app.setErrorHandler(pageErrorHandler(web));
  const api = apiErrorHandler(web);
  const pages = pageErrorHandler(web);
  app.setNotFoundHandler(async (req, reply) =>
    (req.url.startsWith('/api/') ? api : pages)(new NotFound('not found'), req, reply),
  );

  const css = readFileSync(join(packageRoot(), 'views', 'console.css'));
  const noQuery = z.object({});
  await app.register(async (scope) => {
    scope.setErrorHandler(api);
    const r = registrarOf(scope, true);
    r.route('livez', { querystring: noQuery }, async () => ({ status: 'alive' }));
    r.route('readyz', { querystring: noQuery }, async (_req, reply) => {
      const h = await checkHealth(deps.pool, deps.queues.scan);
      return reply.code(h.status === 'ok' ? 200 : 503).send(h);
    });
    officerListApi(r, web);
    factApi(r, web);
    auditApi(r, web);
    importApi(r, web);
    directoryApi(r, web);
  });
  await app.register(async (scope) => {
    scope.setErrorHandler(pages);
    // A page form's fields as sent, kept for the page that shows its problems (answers.ts).
    scope.addHook('preValidation', async (req) => {
      if (!req.routeOptions.config.form || req.body === null || typeof req.body !== 'object') return;
      const kept: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(req.body as Record<string, unknown>))
        if (k !== '_csrf' && (typeof v === 'string' || Array.isArray(v)))
          kept[k] = typeof v === 'string' ? v : v.map(String);
      req.formValues = kept;
    });
    const r = registrarOf(scope, false);
    r.route('css', { querystring: noQuery }, async (_req, reply) =>
      reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(css),
    );
    signInPages(r, web);
    oidcSignInPages(r, web);
    officerListPages(r, web);
    officerPages(r, web);
    formPages(r, web);
    auditPages(r, web);
    importPages(r, web);
    directoryPages(r, web);
    agencyPolicyPages(r, web);
    officerDirectoryForms(r, web);
    reportPages(r, web);
  });
  await mailHooks(app, web);
  await queueDashboard(app, web);
  return app;
}
