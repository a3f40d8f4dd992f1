// INTERFACE.md "Forms and CSRF" and the paragraph after the console's configuration table:
// the CSRF token belongs to the session. A token obtained outside that session (before
// signing in, or in another session) is refused with 403 even when its own secret cookie is
// sent along with the session's cookie (a cookie planted by a sibling site can do that). With
// an https PUBLIC_URL the cookies are `__Host-` cookies (Secure, Path=/, no Domain) and pages
// carry Strict-Transport-Security. (Issue 19, security 4.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleRig, type WebClient, startConsoleRig } from '../helpers/console.ts';
import { ALBERT_LEA, CHIEF, ISD241 } from '../helpers/console-fixtures.ts';
import { queryRows } from '../helpers/db.ts';

const OTHER_CHIEF = 'chief@austin.example';
const ROSTER = {
  agencies: [ALBERT_LEA, { id: 'MN0500100', name: 'Austin Police', chief: { name: 'Chief Two', email: OTHER_CHIEF } }],
  districts: [ISD241],
  officers: [{ license: 'T1', firstName: 'Dana', lastName: 'Olson', email: null, agencyId: ALBERT_LEA.id }],
  assignments: [{ license: 'T1', districtId: 'ISD241', role: 'REGULAR', startDate: '2025-08-20', endDate: null }],
};

const LIMITS = { LOGIN_LIMIT_PER_CLIENT: '1000', LOGIN_LIMIT_PER_ADDRESS: '100' };

/** A jar's cookie other than the session's, by the end of its name (`_csrf`, `__Host-sro_csrf`). */
const csrfCookieOf = (c: WebClient) => [...c.cookies].find(([k]) => k.endsWith('csrf'))!;
const sessionCookieOf = (c: WebClient) => [...c.cookies].find(([k]) => k.endsWith('sro_session'))!;

async function reviews(rig: ConsoleRig): Promise<number> {
  const rows = await queryRows<{ n: number }>(rig.database.url, `SELECT count(*)::int AS n FROM policy_review`);
  return rows[0]!.n;
}

/** A policy review for T1 with exactly these cookies and this token (what a forged request carries). */
async function postReview(rig: ConsoleRig, cookies: [string, string][], token: string): Promise<number> {
  const res = await fetch(new URL('/api/officers/T1/policy-reviews', rig.url), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-csrf-token': token,
      cookie: cookies.map(([k, v]) => `${k}=${v}`).join('; '),
    },
    body: JSON.stringify({ reviewedOn: '2026-01-05' }),
  });
  await res.text();
  return res.status;
}

describe('the CSRF token belongs to the session (http PUBLIC_URL)', () => {
  let rig: ConsoleRig;
  let chief: WebClient;
  beforeAll(async () => {
    rig = await startConsoleRig('csrf-session', LIMITS);
    await rig.load(ROSTER);
    chief = await rig.signIn(CHIEF);
  });
  afterAll(() => rig?.close());

  it("an anonymous visitor's _csrf cookie and token, sent with a chief's session cookie: 403, nothing written", async () => {
    const visitor = rig.client();
    const token = await visitor.csrfToken();
    const before = await reviews(rig);
    const status = await postReview(rig, [sessionCookieOf(chief), csrfCookieOf(visitor)], token);
    expect(status).toBe(403);
    expect(await reviews(rig)).toBe(before);
  });

  it("another session's cookie and token, sent with the chief's session cookie: 403, nothing written", async () => {
    const other = await rig.signIn(OTHER_CHIEF);
    const token = await other.csrfToken();
    const before = await reviews(rig);
    const status = await postReview(rig, [sessionCookieOf(chief), csrfCookieOf(other)], token);
    expect(status).toBe(403);
    expect(await reviews(rig)).toBe(before);
  });

  it('a token from before signing in is spent by the sign-in', async () => {
    const client = rig.client();
    const before = await client.csrfToken();
    const mail = await rig.requestSignIn(client, CHIEF);
    expect((await client.post('/login/verify', { form: { token: mail.token } })).status).toBe(303);
    expect(
      (await client.post('/api/officers/T1/policy-reviews', { json: { reviewedOn: '2026-01-05' }, csrf: before }))
        .status,
    ).toBe(403);
  });

  it("the session's own token goes through (201); pages carry no Strict-Transport-Security over http", async () => {
    const token = await chief.csrfToken();
    expect(await postReview(rig, [...chief.cookies], token)).toBe(201);
    const page = await chief.get('/');
    expect(page.headers.get('strict-transport-security')).toBeNull();
    expect(sessionCookieOf(chief)[0]).toBe('sro_session');
  });
});

describe('with an https PUBLIC_URL: __Host- cookies and Strict-Transport-Security', () => {
  let rig: ConsoleRig;
  beforeAll(async () => {
    rig = await startConsoleRig('csrf-https', { ...LIMITS, PUBLIC_URL: 'https://sro.district.example' });
    await rig.load(ROSTER);
  });
  afterAll(() => rig?.close());

  /** The Set-Cookie header of `name`, split into its attributes (lower-cased names). */
  const attributes = (header: string) =>
    new Map(
      header
        .split(';')
        .slice(1)
        .map((a) => a.trim().split('='))
        .map(([k, ...v]) => [k!.toLowerCase(), v.join('=')]),
    );

  it('the CSRF and session cookies are __Host- cookies: Secure, Path=/, no Domain', async () => {
    const client = rig.client();
    const login = await client.get('/login');
    const csrf = login.headers.getSetCookie().find((c) => c.startsWith('__Host-sro_csrf='));
    expect(csrf, login.headers.getSetCookie().join('\n')).toBeDefined();
    const mail = await rig.requestSignIn(client, CHIEF);
    const verified = await client.post('/login/verify', { form: { token: mail.token } });
    expect(verified.status).toBe(303);
    const session = verified.headers.getSetCookie().find((c) => c.startsWith('__Host-sro_session='));
    expect(session, verified.headers.getSetCookie().join('\n')).toBeDefined();
    for (const header of [csrf!, session!]) {
      const a = attributes(header);
      expect(a.has('secure'), header).toBe(true);
      expect(a.get('path'), header).toBe('/');
      expect(a.has('domain'), header).toBe(false);
      expect(a.has('httponly'), header).toBe(true);
    }
    expect(verified.headers.getSetCookie().some((c) => /^(sro_session|_csrf)=/.test(c))).toBe(false);
    // The session works under its new name.
    expect((await client.get('/api/session')).status).toBe(200);
  });

  it('pages carry Strict-Transport-Security', async () => {
    for (const path of ['/login', '/assets/console.css']) {
      const r = await rig.client().get(path);
      expect(r.headers.get('strict-transport-security'), path).toMatch(/^max-age=\d{7,}/);
    }
  });
});
