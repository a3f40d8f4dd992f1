// The sign-in pages (INTERFACE.md "Console"): the use cases are src/app/sign-in.ts.
//
// - POST /login answers the same page, at the same speed, whatever the address: the roster
//   lookup runs for every address, and the token, the e-mail and the per-address limit run
//   after the answer is sent, for known addresses only.
// - GET /login/verify changes nothing (mail scanners fetch every link): it shows one form,
//   whose POST signs in.
// - LOGIN_LIMIT_PER_CLIENT requests from one client per 15 minutes, then 429 (counted in
//   Redis, shared by replicas; behind TRUST_PROXY the client is the person, not the proxy).
// - Signing in makes a new session id (the old one, if any, is deleted: no fixation) and a
//   new CSRF secret: a token from before signing in no longer verifies.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  SIGN_IN_WINDOW_MINUTES,
  endSession,
  isKnownAddress,
  isSignInLinkLive,
  sendSignIn,
  spendSignInCode,
  spendSignInLink,
  startSession,
} from '../app/sign-in.ts';
import { sessionIdOf } from './access.ts';
import type { WebContext } from './context.ts';
import { providerButtons } from './oidc.ts';
import { sendPage } from './pages.ts';
import { type Registrar, actorOf } from './request.ts';
import { emptyBody, loginBody, verifyBody, verifyQuery } from './schemas.ts';

const emailField = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: 'Enter the e-mail address the roster has for you, such as chief@agency.example.' }).max(320));

const noQuery = z.object({});

export function signInPages(r: Registrar, web: WebContext): void {
  const { config } = web;
  const page = (req: FastifyRequest, reply: FastifyReply, status: number, name: string, data: object) =>
    sendPage(web, req, reply, name, { viewer: null, providers: providerButtons(web), ...data }, status);
  const perClient = { max: config.loginLimitPerClient, timeWindow: SIGN_IN_WINDOW_MINUTES * 60_000 };

  r.route('loginForm', { querystring: noQuery }, async (req, reply) =>
    page(req, reply, 200, 'login', { title: 'Sign in', email: '', error: null }),
  );

  r.route(
    'login',
    { querystring: noQuery, body: loginBody },
    async (req, reply) => {
      const typed = req.body.email ?? '';
      const parsed = emailField.safeParse(typed);
      if (!parsed.success)
        return page(req, reply, 400, 'login', {
          title: 'Sign in',
          email: typed,
          error: parsed.error.issues[0]?.message ?? 'Enter an e-mail address.',
        });
      const email = parsed.data;
      if (await isKnownAddress(web.signIn, email))
        setImmediate(() => void sendSignIn(web.signIn, email, web.baseUrl()));
      return page(req, reply, 200, 'login-sent', { title: 'Check your e-mail', email, error: null });
    },
    { rateLimit: perClient },
  );

  r.route('verifyForm', { querystring: verifyQuery }, async (req, reply) => {
    const token = req.query.token ?? '';
    // Reading whether the link is still good spends nothing.
    const live = await isSignInLinkLive(web.signIn, token);
    return page(req, reply, live ? 200 : 400, 'verify', { title: 'Sign in', token, live });
  });

  r.route(
    'verify',
    { querystring: noQuery, body: verifyBody },
    async (req, reply) => {
      const { token, code: typedCode } = req.body;
      let email: string | null = null;
      if (token) email = await spendSignInLink(web.signIn, token);
      else {
        const parsed = emailField.safeParse(req.body.email ?? '');
        const code = (typedCode ?? '').replace(/\s+/g, '');
        if (parsed.success && /^\d{6}$/.test(code) && (await spendSignInCode(web.signIn, parsed.data, code)))
          email = parsed.data;
      }
      if (!email)
        return page(req, reply, 400, 'login', {
          title: 'Sign in',
          email: req.body.email ?? '',
          error:
            'That sign-in link or code is not valid: it was used already, it expired (15 minutes), or it was mistyped. Ask for a new one below.',
        });
      const actor = actorOf(req, email);
      const sessionId = await startSession(web.signIn, email, {
        previousSessionId: sessionIdOf(web, req),
        clientAddress: actor.clientAddress,
        userAgent: actor.userAgent,
      });
      // The CSRF secret is renewed with the session.
      return reply
        .clearCookie(web.cookies.csrf, { path: '/', secure: web.cookies.secure })
        .setCookie(web.cookies.session, sessionId, {
          signed: true,
          httpOnly: true,
          sameSite: 'lax',
          secure: web.cookies.secure,
          path: '/',
          maxAge: config.sessionHours * 3600,
        })
        .redirect('/', 303);
    },
    { rateLimit: perClient },
  );

  r.route('logout', { querystring: noQuery, body: emptyBody }, async (req, reply) => {
    const id = sessionIdOf(web, req);
    if (id) await endSession(web.signIn, id);
    return reply.clearCookie(web.cookies.session, { path: '/', secure: web.cookies.secure }).redirect('/login', 303);
  });
}
