// A real OpenID provider for a test file (oidc-provider, on the loopback): accounts whose
// claims the test sets (email, email_verified, Entra ID's tid and xms_edov, Google's hd), the
// code flow with PKCE required, and its development login page (any password), which the
// test's HTTP client or Chromium fills in. Its clients are registered once the console
// listens (their redirect URIs name the console's port): start, then the console with
// OIDC_PROVIDERS naming `issuer`, then `attach`.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type ClientMetadata } from 'oidc-provider';
import { WebClient } from './console.ts';

export interface IdentityProviderRig {
  /** `http://127.0.0.1:PORT`. */
  issuer: string;
  /** The accounts, by login (their `sub`): the claims the ID token carries. */
  accounts: Map<string, Record<string, unknown>>;
  /** Registers the clients and starts answering. */
  attach(clients: ClientMetadata[]): void;
  /** The next token request answers this body instead (a token response the test obtained elsewhere). */
  substituteNextToken(body: unknown): void;
  close(): Promise<void>;
}

export async function startIdentityProvider(): Promise<IdentityProviderRig> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  let substitute: unknown = null;
  const server = createServer((req, res) => {
    if (substitute !== null && req.method === 'POST' && req.url?.startsWith('/token')) {
      const body = JSON.stringify(substitute);
      substitute = null;
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(body);
      return;
    }
    if (handler) handler(req, res);
    else res.writeHead(503).end('not attached yet');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const accounts = new Map<string, Record<string, unknown>>();
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  return {
    issuer,
    accounts,
    attach(clients) {
      const provider = new Provider(issuer, {
        clients,
        jwks: { keys: [{ ...key, kid: 'test-key', alg: 'RS256', use: 'sig' }] },
        cookies: { keys: [randomBytes(16).toString('hex')] },
        pkce: { required: () => true },
        ttl: { Interaction: 600, Session: 600, Grant: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
        // Claims in the ID token itself, as Entra ID and Google put them (not only at userinfo).
        conformIdTokenClaims: false,
        claims: { openid: ['sub', 'tid', 'hd', 'xms_edov'], email: ['email', 'email_verified'], profile: ['name'] },
        features: { devInteractions: { enabled: true } },
        async findAccount(_ctx, id) {
          const claims = accounts.get(id);
          if (!claims) return undefined;
          return { accountId: id, claims: async () => ({ ...claims, sub: id }) };
        },
        // First-party clients: the grant is given without a consent page.
        async loadExistingGrant(ctx) {
          const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
          if (grantId) return ctx.oidc.provider.Grant.find(grantId);
          const grant = new ctx.oidc.provider.Grant({
            clientId: ctx.oidc.client!.clientId,
            accountId: ctx.oidc.session!.accountId,
          });
          grant.addOIDCScope('openid email profile');
          await grant.save();
          return grant;
        },
      });
      handler = provider.callback();
    },
    substituteNextToken(body) {
      substitute = body;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A client of the provider registered for the console's provider `id` (client_secret_post, as openid-client sends). */
export function consoleClient(consoleUrl: string, id: string, clientId: string, secret: string): ClientMetadata {
  return {
    client_id: clientId,
    client_secret: secret,
    redirect_uris: [`${consoleUrl}/login/oidc/${id}/callback`],
    token_endpoint_auth_method: 'client_secret_post',
    response_types: ['code'],
    grant_types: ['authorization_code'],
  };
}

/**
 * A person at the provider: opens the authorization URL, signs in as `login` on the
 * provider's login page, and answers where the provider sends the browser back (the
 * console's callback URL with code, state and iss).
 */
export async function signInAtProvider(authorizationUrl: string, login: string): Promise<URL> {
  const browser = new WebClient(new URL(authorizationUrl).origin);
  let r = await browser.get(authorizationUrl);
  for (let hops = 0; hops < 10; hops++) {
    const location = r.headers.get('location');
    if (r.status >= 300 && r.status < 400 && location) {
      const next = new URL(location, browser.baseUrl);
      if (next.origin !== browser.baseUrl) return next;
      r = await browser.get(next.href);
      continue;
    }
    const action = /<form[^>]*action="([^"]+)"/.exec(r.text)?.[1];
    if (r.status !== 200 || !action || !r.text.includes('name="login"'))
      throw new Error(`the provider answered ${r.status}: ${r.text.slice(0, 500)}`);
    r = await browser.post(new URL(action, browser.baseUrl).href, {
      form: { prompt: 'login', login, password: 'any password' },
      csrf: false,
    });
  }
  throw new Error('the provider never sent the browser back');
}
