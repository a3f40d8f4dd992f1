// INTERFACE.md "Sign-in with the district's or agency's accounts (OIDC)", end to end: a real
// OpenID provider (oidc-provider on the loopback, accounts whose claims each test sets) and
// the console (`sro web`'s server on its own database and Redis prefix). The test's HTTP
// client is the browser: it follows the console's redirect, signs in on the provider's login
// page and brings the provider's answer back to the callback. Nothing is mocked; the one
// stand-in is the provider answering one token request with a token it issued to another
// client (the audience case).
import { sign } from '@fastify/cookie';
import * as openid from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/shell/log.ts';
import { type ConsoleRig, type WebClient, type WebResponse, startConsoleRig } from '../helpers/console.ts';
import { queryRows } from '../helpers/db.ts';
import {
  type IdentityProviderRig,
  consoleClient,
  signInAtProvider,
  startIdentityProvider,
} from '../helpers/identity-provider.ts';

const CHIEF = 'chief@agency-a.example';
const SECRET_DISTRICT = 'district-client-secret-0123456789';
const SECRET_AGENCY = 'agency-client-secret-0123456789';
const SECRET_OTHER = 'other-client-secret-0123456789';

const ROSTER = {
  agencies: [
    { id: 'AGA', name: 'Agency A Police', chief: { name: 'Chief A', email: CHIEF } },
    { id: 'AGB', name: 'Agency B Police', chief: { name: 'Chief B', email: 'chief@agency-b.example' } },
  ],
  officers: [
    { license: 'A1', firstName: 'Avery', lastName: 'Lindqvist', email: null, agencyId: 'AGA' },
    { license: 'A2', firstName: 'Jordan', lastName: 'Haugen', email: null, agencyId: 'AGA' },
    { license: 'B1', firstName: 'Robin', lastName: 'Okafor', email: null, agencyId: 'AGB' },
  ],
};

/** The provider's accounts (their login is their `sub`). */
const ACCOUNTS: Record<string, Record<string, unknown>> = {
  'chief-a': { email: CHIEF, email_verified: true, tid: 'tenant-a', hd: 'agency-a.example' },
  // Entra ID: no email_verified, the verified-domain claim instead.
  'chief-a-entra': { email: CHIEF, xms_edov: true, tid: 'tenant-a' },
  unverified: { email: CHIEF, email_verified: false, tid: 'tenant-a', hd: 'agency-a.example' },
  'verified-as-text': { email: CHIEF, email_verified: 'true', tid: 'tenant-a', hd: 'agency-a.example' },
  'not-on-file': { email: 'chief@agency-z.example', email_verified: true, tid: 'tenant-a', hd: 'agency-a.example' },
  'other-tenant': { email: CHIEF, email_verified: true, tid: 'tenant-z', hd: 'agency-a.example' },
  'other-domain': { email: CHIEF, email_verified: true, tid: 'tenant-a', hd: 'elsewhere.example' },
};

let idp: IdentityProviderRig;
let rig: ConsoleRig;
const logLines: string[] = [];
const recordingLog: Logger = {
  debug: () => undefined,
  info: (m, f) => void logLines.push(`${m} ${JSON.stringify(f ?? {})}`),
  warn: (m, f) => void logLines.push(`${m} ${JSON.stringify(f ?? {})}`),
  error: (m, f) => void logLines.push(`${m} ${JSON.stringify(f ?? {})}`),
  child: () => recordingLog,
};

beforeAll(async () => {
  idp = await startIdentityProvider();
  for (const [login, claims] of Object.entries(ACCOUNTS)) idp.accounts.set(login, claims);
  rig = await startConsoleRig(
    'oidc',
    {
      LOGIN_LIMIT_PER_CLIENT: '1000',
      OIDC_PROVIDERS: JSON.stringify([
        {
          id: 'district',
          label: 'Microsoft',
          issuer: idp.issuer,
          clientId: 'sro-district',
          clientSecret: SECRET_DISTRICT,
          allowedTenants: ['tenant-a'],
        },
        {
          id: 'agency',
          label: 'Google',
          issuer: idp.issuer,
          clientId: 'sro-agency',
          clientSecret: SECRET_AGENCY,
          hostedDomains: ['agency-a.example'],
        },
      ]),
    },
    { log: recordingLog },
  );
  idp.attach([
    consoleClient(rig.url, 'district', 'sro-district', SECRET_DISTRICT),
    consoleClient(rig.url, 'agency', 'sro-agency', SECRET_AGENCY),
    // Another application of the same provider (the audience case).
    {
      ...consoleClient('http://127.0.0.1:9', 'other', 'other-app', SECRET_OTHER),
      redirect_uris: ['http://127.0.0.1:9/callback'],
    },
  ]);
  await rig.load(ROSTER);
}, 60_000);
afterAll(async () => {
  await rig?.close();
  await idp?.close();
});

/** The console's 302 to the provider, and the authorization URL. */
async function begin(client: WebClient, id: string): Promise<URL> {
  const r = await client.get(`/login/oidc/${id}`);
  expect(r.status, r.text).toBe(302);
  return new URL(r.headers.get('location')!);
}

/** The whole flow as `login`: the callback's answer. */
async function signInAs(client: WebClient, id: string, login: string): Promise<WebResponse> {
  const back = await signInAtProvider((await begin(client, id)).href, login);
  return client.get(back.pathname + back.search);
}

const sessionCookie = (client: WebClient) => client.cookies.get('sro_session');
/** A page's per-request values (the CSRF token) blanked: what is left must be the same for every refusal. */
const normalized = (html: string) => html.replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""');

async function expectRefused(client: WebClient, r: WebResponse): Promise<void> {
  expect(r.status).toBe(400);
  expect(r.text).toContain('We could not sign you in with that account.');
  expect(sessionCookie(client)).toBeUndefined();
  expect(client.cookies.get('sro_oidc')).toBeUndefined();
  expect((await client.get('/api/session')).status).toBe(401);
}

describe('signing in through the provider', () => {
  it('GET /login/oidc/:id: a 302 to the authorization endpoint with the code flow, openid email, state, nonce and PKCE S256', async () => {
    const client = rig.client();
    const r = await client.get('/login/oidc/district');
    expect(r.status).toBe(302);
    const url = new URL(r.headers.get('location')!);
    expect(url.origin).toBe(idp.issuer);
    const q = url.searchParams;
    expect(q.get('response_type')).toBe('code');
    expect(q.get('client_id')).toBe('sro-district');
    expect(q.get('scope')!.split(' ')).toEqual(expect.arrayContaining(['openid', 'email']));
    expect(q.get('redirect_uri')).toBe(`${rig.url}/login/oidc/district/callback`);
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('state')!.length).toBeGreaterThanOrEqual(32);
    expect(q.get('nonce')!.length).toBeGreaterThanOrEqual(32);
    // Bound to this browser: a signed HttpOnly cookie, SameSite=Lax so the provider's redirect back carries it.
    const cookie = r.headers.getSetCookie().find((c) => c.startsWith('sro_oidc='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Max-Age=600/i);
    // The PKCE verifier stays in the cookie: the URL carries only its challenge.
    expect(decodeURIComponent(cookie)).not.toContain(q.get('code_challenge')!);
  });

  it('a chief signs in with their account, lands on / and sees their officers (the e-mail sign-in’s session)', async () => {
    const client = rig.client();
    const r = await signInAs(client, 'district', 'chief-a');
    expect(r.status, r.text).toBe(303);
    expect(r.headers.get('location')).toBe('/');
    const session = r.headers.getSetCookie().find((c) => c.startsWith('sro_session='))!;
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    expect(client.cookies.get('sro_oidc')).toBeUndefined();
    const me = await client.get('/api/session');
    expect(me.json()).toMatchObject({ email: CHIEF, roles: [{ role: 'CHIEF', agencyId: 'AGA' }] });
    const home = await client.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('Lindqvist');
    expect(home.text).toContain('Haugen');
    expect(home.text).not.toContain('Okafor');
    // A form works with the session's CSRF token, as after the e-mail sign-in.
    expect((await client.post('/logout', { form: {} })).status).toBe(303);
  });

  it('Entra ID: xms_edov true proves the address; Google: an allowed hosted domain', async () => {
    const entra = rig.client();
    expect((await signInAs(entra, 'district', 'chief-a-entra')).status).toBe(303);
    expect((await entra.get('/api/session')).json()).toMatchObject({ email: CHIEF });
    const google = rig.client();
    expect((await signInAs(google, 'agency', 'chief-a')).status).toBe(303);
    expect((await google.get('/api/session')).json()).toMatchObject({ email: CHIEF });
  });

  it('each sign-in is an audit event with the provider, the issuer and the subject', async () => {
    const before = await queryRows<{ n: number }>(
      rig.database.url,
      `SELECT count(*)::int AS n FROM audit_event WHERE action = 'sign-in.oidc'`,
    );
    const client = rig.client();
    expect((await signInAs(client, 'agency', 'chief-a')).status).toBe(303);
    const rows = await queryRows<{ actor: string; after: unknown; license: string | null; user_agent: string }>(
      rig.database.url,
      `SELECT actor, after, license, user_agent FROM audit_event WHERE action = 'sign-in.oidc' ORDER BY id DESC LIMIT 1`,
    );
    expect(rows[0]).toMatchObject({
      actor: CHIEF,
      license: null,
      after: { provider: 'agency', issuer: idp.issuer, subject: 'chief-a' },
    });
    const after = await queryRows<{ n: number }>(
      rig.database.url,
      `SELECT count(*)::int AS n FROM audit_event WHERE action = 'sign-in.oidc'`,
    );
    expect(after[0]!.n).toBe(before[0]!.n + 1);
  });
});

describe('refusals: the login page, one neutral message, no session', () => {
  it('unverified, not on file, another tenant, another hosted domain: the same page for each', async () => {
    const cases: [string, string][] = [
      ['district', 'unverified'],
      ['agency', 'verified-as-text'],
      ['district', 'not-on-file'],
      ['district', 'other-tenant'],
      ['agency', 'other-domain'],
    ];
    const pages: string[] = [];
    for (const [id, login] of cases) {
      const client = rig.client();
      const r = await signInAs(client, id, login);
      await expectRefused(client, r);
      pages.push(normalized(r.text));
    }
    // An address not on file is answered exactly as one the provider did not vouch for.
    for (const page of pages) expect(page).toBe(pages[0]);
    // Operators see why, without the address or the subject.
    const refusals = logLines.filter((l) => l.startsWith('sign-in through a provider refused'));
    for (const reason of ['email-unverified', 'address-unknown', 'tenant-not-allowed', 'domain-not-allowed'])
      expect(refusals.some((l) => l.includes(`"reason":"${reason}"`))).toBe(true);
    for (const l of logLines) {
      expect(l).not.toContain('agency-z.example');
      expect(l).not.toContain(CHIEF);
      expect(l).not.toContain(SECRET_DISTRICT);
      expect(l).not.toContain(SECRET_AGENCY);
    }
  });

  it('a tampered state, a callback without the cookie (another browser) and a forged cookie are refused', async () => {
    const tampered = rig.client();
    const back = await signInAtProvider((await begin(tampered, 'district')).href, 'chief-a');
    const changed = new URL(back);
    changed.searchParams.set('state', `${back.searchParams.get('state')}x`);
    await expectRefused(tampered, await tampered.get(changed.pathname + changed.search));

    const starter = rig.client();
    const back2 = await signInAtProvider((await begin(starter, 'district')).href, 'chief-a');
    const otherBrowser = rig.client();
    await expectRefused(otherBrowser, await otherBrowser.get(back2.pathname + back2.search));

    // The cookie's content changed by the browser: its signature no longer holds.
    const forger = rig.client();
    const back3 = await signInAtProvider((await begin(forger, 'district')).href, 'chief-a');
    const raw = decodeURIComponent(forger.cookies.get('sro_oidc')!);
    forger.cookies.set('sro_oidc', encodeURIComponent(raw.replace('"district"', '"agency"')));
    await expectRefused(forger, await forger.get(back3.pathname + back3.search));
  });

  it('a callback replayed, even with the cookie it came with, is refused', async () => {
    const client = rig.client();
    const back = await signInAtProvider((await begin(client, 'district')).href, 'chief-a');
    const cookie = client.cookies.get('sro_oidc')!;
    expect((await client.get(back.pathname + back.search)).status).toBe(303);
    const replayer = rig.client();
    replayer.cookies.set('sro_oidc', cookie);
    await expectRefused(replayer, await replayer.get(back.pathname + back.search));
  });

  it('a HEAD of the callback (a link checker, a mail scanner) spends nothing: the browser’s GET still signs in', async () => {
    const client = rig.client();
    const back = await signInAtProvider((await begin(client, 'district')).href, 'chief-a');
    const head = await client.request('HEAD', back.pathname + back.search);
    expect(head.status).toBe(204);
    expect(sessionCookie(client)).toBeUndefined();
    expect((await client.get(back.pathname + back.search)).status).toBe(303);
    expect(sessionCookie(client)).toBeDefined();
  });

  it('a state past its 10 minutes is refused', async () => {
    const client = rig.client();
    const back = await signInAtProvider((await begin(client, 'district')).href, 'chief-a');
    const pending = JSON.parse(decodeURIComponent(client.cookies.get('sro_oidc')!).replace(/\.[^.]+$/, '')) as {
      expiresAt: number;
    };
    // Signed with the console's key (the test knows it): only the expiry is wrong.
    const expired = JSON.stringify({ ...pending, expiresAt: Date.now() - 1000 });
    client.cookies.set('sro_oidc', encodeURIComponent(sign(expired, rig.config.secretKey!)));
    await expectRefused(client, await client.get(back.pathname + back.search));
    expect(logLines.some((l) => l.includes('"reason":"state-expired"'))).toBe(true);
  });

  it('an error from the provider (the person declined) is refused', async () => {
    const client = rig.client();
    const state = (await begin(client, 'district')).searchParams.get('state')!;
    const r = await client.get(
      `/login/oidc/district/callback?error=access_denied&error_description=declined&state=${state}&iss=${encodeURIComponent(idp.issuer)}`,
    );
    await expectRefused(client, r);
    expect(logLines.some((l) => l.includes('"reason":"provider-error"') && l.includes('access_denied'))).toBe(true);
  });

  it('an ID token the provider issued to another application (another audience) is refused', async () => {
    const client = rig.client();
    const authorization = await begin(client, 'district');
    const back = await signInAtProvider(authorization.href, 'chief-a');
    // The other application signs the same person in with the console's nonce: a genuine,
    // provider-signed token whose only fault is its audience.
    const other = await openid.discovery(new URL(idp.issuer), 'other-app', SECRET_OTHER, undefined, {
      execute: [openid.allowInsecureRequests],
    });
    const verifier = openid.randomPKCECodeVerifier();
    const nonce = authorization.searchParams.get('nonce')!;
    const otherUrl = openid.buildAuthorizationUrl(other, {
      redirect_uri: 'http://127.0.0.1:9/callback',
      scope: 'openid email',
      nonce,
      state: 'other-state',
      code_challenge: await openid.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const otherBack = await signInAtProvider(otherUrl.href, 'chief-a');
    const otherTokens = await openid.authorizationCodeGrant(other, otherBack, {
      pkceCodeVerifier: verifier,
      expectedNonce: nonce,
      expectedState: 'other-state',
    });
    expect(otherTokens.claims()!.aud).toBe('other-app');
    idp.substituteNextToken({
      access_token: otherTokens.access_token,
      token_type: 'Bearer',
      expires_in: 600,
      id_token: otherTokens.id_token,
    });
    await expectRefused(client, await client.get(back.pathname + back.search));
    expect(logLines.some((l) => l.includes('"reason":"token-invalid"') && /aud/.test(l))).toBe(true);
  });

  it('an unknown provider id is not found', async () => {
    expect((await rig.client().get('/login/oidc/nowhere')).status).toBe(404);
  });
});

describe('the sign-in page', () => {
  it('offers a button per provider beside the e-mail sign-in', async () => {
    const r = await rig.client().get('/login');
    expect(r.text).toContain('<a class="button" href="/login/oidc/district">Sign in with Microsoft</a>');
    expect(r.text).toContain('<a class="button" href="/login/oidc/agency">Sign in with Google</a>');
    expect(r.text).toContain('Send me a sign-in e-mail');
  });
});
