// Sign-in without passwords (INTERFACE.md "Console"): an e-mail with a one-time link and a
// 6-digit code, both valid 15 minutes and usable once.
//
// - POST /login answers the same page, at the same speed, whatever the address: the roster
//   lookup runs for every address, and the token, the e-mail and the per-address limit run
//   after the answer is sent, for known addresses only.
// - GET /login/verify changes nothing (mail scanners fetch every link): it shows one form,
//   whose POST signs in.
// - Five wrong codes spend the address's live codes; LOGIN_LIMIT_PER_CLIENT requests from
//   one client per 15 minutes, then 429 (counted in Redis, shared by replicas).
// - Signing in makes a new session id (the old one, if any, is deleted: no fixation).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isKnown, viewerOf } from '../app/console.ts';
import {
  deleteSession,
  insertSession,
  issueLoginToken,
  isLoginTokenLive,
  spendLoginCode,
  spendLoginToken,
} from '../db/console-auth.ts';
import type { WebContext } from './server.ts';
import { SESSION_COOKIE } from './server.ts';
import { codeSubject, newCode, newToken } from './secrets.ts';
import { SIGN_IN_MINUTES, signInMail } from './sign-in-mail.ts';

/** Wrong codes before an address's live codes are spent. */
export const MAX_WRONG_CODES = 5;
const WINDOW_MINUTES = 15;

const emailField = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: 'Enter the e-mail address the roster has for you, such as chief@agency.example.' }).max(320));

type Body = Record<string, unknown> | undefined;
const field = (req: FastifyRequest, name: string) => {
  const v = (req.body as Body)?.[name];
  return typeof v === 'string' ? v : '';
};

export function signInRoutes(web: WebContext): void {
  const { views, deps, config } = web;
  const page = (reply: FastifyReply, status: number, name: string, data: Record<string, unknown>) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(views.render(name, { viewer: null, csrf: reply.generateCsrf(), ...data }));
  const perClient = { max: config.loginLimitPerClient, timeWindow: WINDOW_MINUTES * 60_000 };

  web.route('loginForm', async (_req, reply) =>
    page(reply, 200, 'login', { title: 'Sign in', email: '', error: null }),
  );

  web.route(
    'login',
    async (req, reply) => {
      const parsed = emailField.safeParse(field(req, 'email'));
      if (!parsed.success)
        return page(reply, 400, 'login', {
          title: 'Sign in',
          email: field(req, 'email'),
          error: parsed.error.issues[0]?.message ?? 'Enter an e-mail address.',
        });
      const email = parsed.data;
      const viewer = await viewerOf(web.console, email, config.adminEmails);
      if (isKnown(viewer)) setImmediate(() => void sendSignIn(web, email));
      return page(reply, 200, 'login-sent', { title: 'Check your e-mail', email, error: null });
    },
    { rateLimit: perClient },
  );

  web.route('verifyForm', async (req, reply) => {
    const token =
      typeof (req.query as Record<string, unknown>).token === 'string' ? (req.query as { token: string }).token : '';
    // Reading whether the link is still good spends nothing.
    const live = token !== '' && (await isLoginTokenLive(deps.pool, web.secrets.hash('login-token', token)));
    return page(reply, live ? 200 : 400, 'verify', { title: 'Sign in', token, live });
  });

  web.route(
    'verify',
    async (req, reply) => {
      const token = field(req, 'token');
      let email: string | null = null;
      if (token) {
        email = await spendLoginToken(deps.pool, web.secrets.hash('login-token', token));
      } else {
        const parsed = emailField.safeParse(field(req, 'email'));
        const code = field(req, 'code').replace(/\s+/g, '');
        if (parsed.success && /^\d{6}$/.test(code)) {
          const hit = await spendLoginCode(
            deps.pool,
            parsed.data,
            web.secrets.hash('login-code', codeSubject(parsed.data, code)),
            MAX_WRONG_CODES,
          );
          if (hit) email = parsed.data;
        }
      }
      if (!email)
        return page(reply, 400, 'login', {
          title: 'Sign in',
          email: field(req, 'email'),
          error:
            'That sign-in link or code is not valid: it was used already, it expired (15 minutes), or it was mistyped. Ask for a new one below.',
        });
      // A new session id for every sign-in; the browser's old session (if any) ends here.
      const previous = sessionIdOf(req);
      if (previous) await deleteSession(deps.pool, web.secrets.hash('session', previous));
      const sessionId = newToken();
      await insertSession(deps.pool, {
        idHash: web.secrets.hash('session', sessionId),
        email,
        hours: config.sessionHours,
        clientAddress: req.ip,
        userAgent: req.headers['user-agent'] ?? null,
      });
      // The CSRF secret is renewed with the session: a token from before sign-in is spent.
      return reply
        .clearCookie('_csrf', { path: '/' })
        .setCookie(SESSION_COOKIE, sessionId, {
          signed: true,
          httpOnly: true,
          sameSite: 'lax',
          secure: web.secureCookies,
          path: '/',
          maxAge: config.sessionHours * 3600,
        })
        .redirect('/', 303);
    },
    { rateLimit: perClient },
  );

  web.route('logout', async (req, reply) => {
    const id = sessionIdOf(req);
    if (id) await deleteSession(deps.pool, web.secrets.hash('session', id));
    return reply.clearCookie(SESSION_COOKIE, { path: '/' }).redirect('/login', 303);
  });
}

/** The session id of the request's signed cookie, live or not; null without a valid one. */
function sessionIdOf(req: FastifyRequest): string | null {
  const raw = req.cookies[SESSION_COOKIE];
  const unsigned = raw ? req.unsignCookie(raw) : null;
  return unsigned?.valid && unsigned.value ? unsigned.value : null;
}

/** After the answer: the per-address limit, the token, the e-mail. Failures are logged, never shown. */
async function sendSignIn(web: WebContext, email: string): Promise<void> {
  const { deps, config } = web;
  try {
    const token = newToken();
    const code = newCode();
    // The limit's count and the token's insert are one step (concurrent requests cannot both pass it).
    const issued = await issueLoginToken(deps.pool, {
      email,
      tokenHash: web.secrets.hash('login-token', token),
      codeHash: web.secrets.hash('login-code', codeSubject(email, code)),
      minutes: SIGN_IN_MINUTES,
      windowMinutes: WINDOW_MINUTES,
      limit: config.loginLimitPerAddress,
    });
    if (!issued) {
      deps.log.info('sign-in e-mail not sent: the per-address limit is reached', {
        limit: config.loginLimitPerAddress,
      });
      return;
    }
    const base = web.baseUrl();
    await deps.transport.send(
      signInMail({ from: config.mailFrom, to: email, link: `${base}/login/verify?token=${token}`, code }),
    );
  } catch (e) {
    deps.log.error('sign-in e-mail failed', { err: e as Error });
  }
}
