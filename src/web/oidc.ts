// Sign-in through the district's or agency's identity provider (INTERFACE.md "Sign-in with the
// district's or agency's accounts (OIDC)"); the decisions are src/app/oidc-sign-in.ts's.
//
// - GET /login/oidc/:id: 302 to the provider's authorization endpoint. The state, the nonce
//   and the PKCE verifier ride in a short-lived cookie, signed (SECRET_KEY) and HttpOnly, that
//   binds the sign-in to this browser; SameSite=Lax, so the provider's redirect back (a
//   top-level GET) carries it.
// - GET /login/oidc/:id/callback: the cookie is cleared whatever happens; a sign-in is the
//   e-mail sign-in's session (same cookie, new CSRF secret, 303 to /). Every refusal answers
//   the same login page with one neutral message: an address not on file looks exactly like
//   one the provider did not vouch for. Operators get one log line naming the provider and the
//   reason, no address and no subject.
// - Both count against LOGIN_LIMIT_PER_CLIENT like the other sign-in requests.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  type OidcProvider,
  type PendingSignIn,
  PENDING_MINUTES,
  beginOidcSignIn,
  finishOidcSignIn,
} from '../app/oidc-sign-in.ts';
import { SIGN_IN_WINDOW_MINUTES } from '../app/sign-in.ts';
import { NotFound } from '../errors.ts';
import { sessionIdOf } from './access.ts';
import type { WebContext } from './context.ts';
import { sendPage } from './pages.ts';
import { type Registrar, actorOf } from './request.ts';

/** The one answer to every refused sign-in through a provider. */
const OIDC_REFUSED_MESSAGE =
  'We could not sign you in with that account. Sign in with the account whose e-mail address the roster has for you, or ask for a sign-in e-mail below.';

const providerParams = z.object({ id: z.string().max(40) });
// The callback's parameters are the provider's (code, state, iss, error, session_state, …):
// openid-client reads them from the URL itself.
const callbackQuery = z.looseObject({});
const noQuery = z.object({});

const pendingSchema = z.object({
  providerId: z.string(),
  state: z.string(),
  nonce: z.string(),
  codeVerifier: z.string(),
  expiresAt: z.number(),
});

/** The sign-in page's buttons, one per provider (OIDC_PROVIDERS' order). */
export function providerButtons(web: WebContext): { href: string; label: string }[] {
  return web.oidc.providers.map((p) => ({ href: `/login/oidc/${p.id}`, label: `Sign in with ${p.label}` }));
}

export function oidcSignInPages(r: Registrar, web: WebContext): void {
  const { config } = web;
  const perClient = { max: config.loginLimitPerClient, timeWindow: SIGN_IN_WINDOW_MINUTES * 60_000 };
  const now = () => (web.deps.now ?? (() => new Date()))();
  const providerOf = (id: string): OidcProvider => {
    const p = web.oidc.providers.find((x) => x.id === id);
    if (!p) throw new NotFound('no such sign-in provider');
    return p;
  };
  const redirectUriOf = (p: OidcProvider) => `${web.baseUrl()}/login/oidc/${p.id}/callback`;
  const cookieOptions = { httpOnly: true, sameSite: 'lax' as const, secure: web.cookies.secure, path: '/' };
  const loginPage = (req: FastifyRequest, reply: FastifyReply, status: number, error: string) =>
    sendPage(
      web,
      req,
      reply,
      'login',
      { viewer: null, title: 'Sign in', email: '', error, providerError: true, providers: providerButtons(web) },
      status,
    );

  r.route(
    'oidcStart',
    { params: providerParams, querystring: noQuery },
    async (req, reply) => {
      const provider = providerOf(req.params.id);
      let begun: Awaited<ReturnType<typeof beginOidcSignIn>>;
      try {
        begun = await beginOidcSignIn(provider, redirectUriOf(provider), now());
      } catch (e) {
        web.deps.log.warn('sign-in provider unreachable', { provider: provider.id, error: (e as Error).message });
        return loginPage(
          req,
          reply,
          503,
          `Signing in with ${provider.label} is not available right now. Try again in a few minutes, or ask for a sign-in e-mail below.`,
        );
      }
      return reply
        .setCookie(web.cookies.oidc, JSON.stringify(begun.pending), {
          ...cookieOptions,
          signed: true,
          maxAge: PENDING_MINUTES * 60,
        })
        .header('cache-control', 'no-store')
        .redirect(begun.url.href, 302);
    },
    { rateLimit: perClient },
  );

  r.route(
    'oidcCallback',
    { params: providerParams, querystring: callbackQuery },
    async (req, reply) => {
      const provider = providerOf(req.params.id);
      // A HEAD (a link checker, a mail scanner) must not spend the state the browser's GET needs.
      if (req.method === 'HEAD') return reply.header('cache-control', 'no-store').code(204).send();
      const redirectUri = redirectUriOf(provider);
      const url = new URL(redirectUri);
      url.search = new URL(req.url, 'http://callback.invalid').search;
      const outcome = await finishOidcSignIn(web.oidc.deps, provider, pendingOf(web, req), {
        url,
        redirectUri,
        now: now(),
        actor: (({ clientAddress, userAgent }) => ({ clientAddress, userAgent }))(actorOf(req, '')),
        previousSessionId: sessionIdOf(web, req),
      });
      reply.clearCookie(web.cookies.oidc, cookieOptions);
      if (!outcome.signedIn) {
        web.deps.log.info('sign-in through a provider refused', {
          provider: provider.id,
          reason: outcome.reason,
          ...(outcome.detail ? { detail: outcome.detail } : {}),
        });
        return loginPage(req, reply, 400, OIDC_REFUSED_MESSAGE);
      }
      // As the e-mail sign-in (sign-in.ts): the CSRF secret is renewed with the session.
      return reply
        .clearCookie(web.cookies.csrf, { path: '/', secure: web.cookies.secure })
        .setCookie(web.cookies.session, outcome.sessionId, {
          ...cookieOptions,
          signed: true,
          maxAge: config.sessionHours * 3600,
        })
        .redirect('/', 303);
    },
    { rateLimit: perClient },
  );
}

/** The browser's pending sign-in: null without the cookie, or when its signature or shape does not hold. */
function pendingOf(web: WebContext, req: FastifyRequest): PendingSignIn | null {
  const raw = req.cookies[web.cookies.oidc];
  if (!raw) return null;
  const unsigned = req.unsignCookie(raw);
  if (!unsigned.valid || unsigned.value === null) return null;
  try {
    const parsed = pendingSchema.safeParse(JSON.parse(unsigned.value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
