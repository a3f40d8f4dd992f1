// Sign-in without passwords, end to end (INTERFACE.md "Console", "Sign-in"): the link and
// the code are read out of the e-mail the real SMTP receiver got; every check is on the
// HTTP answers, the database and the mail that arrived.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleRig, WebClient, type WebResponse, hiddenField, startConsoleRig } from '../helpers/console.ts';
import { queryRows } from '../helpers/db.ts';

const CHIEF_A = 'chief@agency-a.example';
const UNKNOWN = 'chief@agency-z.example'; // as long as CHIEF_A: the answers can be byte-compared
const officerEmail = (n: number) => `officer${n}@agency-a.example`;

function roster(chiefOfA = CHIEF_A) {
  return {
    agencies: [
      { id: 'AGA', name: 'Agency A Police', chief: { name: 'Chief A', email: chiefOfA }, escalationEmails: [] },
      { id: 'AGB', name: 'Agency B Police', chief: { name: 'Chief B', email: 'chief@agency-b.example' } },
    ],
    officers: [
      ...Array.from({ length: 12 }, (_, i) => ({
        license: `A${i + 1}`,
        firstName: 'Officer',
        lastName: `Number ${i + 1}`,
        email: officerEmail(i + 1),
        agencyId: 'AGA',
      })),
      { license: 'B1', firstName: 'Bo', lastName: 'One', email: null, agencyId: 'AGB' },
    ],
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface SetCookie {
  value: string;
  /** Attribute names lower-cased, with their values ('' for a flag). */
  attributes: Map<string, string>;
}

function setCookieOf(r: WebResponse, name: string): SetCookie | null {
  for (const c of r.headers.getSetCookie()) {
    const [pair, ...attrs] = c.split(';').map((s) => s.trim());
    const eq = pair!.indexOf('=');
    if (pair!.slice(0, eq) !== name) continue;
    const attributes = new Map<string, string>();
    for (const a of attrs) {
      const i = a.indexOf('=');
      attributes.set((i < 0 ? a : a.slice(0, i)).toLowerCase(), i < 0 ? '' : a.slice(i + 1));
    }
    return { value: pair!.slice(eq + 1), attributes };
  }
  return null;
}

const withoutCsrf = (html: string) => html.replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""');

function mailsTo(rig: ConsoleRig, email: string) {
  return rig.smtp.received.filter((m) => m.to === email.toLowerCase());
}

/** A client holding only the session cookie `value`. */
function withSession(rig: ConsoleRig, value: string): WebClient {
  const c = new WebClient(rig.url);
  c.cookies.set('sro_session', value);
  return c;
}

let rig: ConsoleRig;
/** PUBLIC_URL https: cookies carry Secure. */
let httpsRig: ConsoleRig;
let addressLimitRig: ConsoleRig;
let clientLimitRig: ConsoleRig;
let rosterRig: ConsoleRig;

beforeAll(async () => {
  [rig, httpsRig, addressLimitRig, clientLimitRig, rosterRig] = await Promise.all([
    startConsoleRig('signin', { LOGIN_LIMIT_PER_CLIENT: '1000', LOGIN_LIMIT_PER_ADDRESS: '1000' }),
    startConsoleRig('signin-https', { PUBLIC_URL: 'https://sro.district.example' }),
    startConsoleRig('signin-per-address', { LOGIN_LIMIT_PER_ADDRESS: '2', LOGIN_LIMIT_PER_CLIENT: '1000' }),
    startConsoleRig('signin-per-client', { LOGIN_LIMIT_PER_CLIENT: '3' }),
    startConsoleRig('signin-roster'),
  ]);
  await Promise.all([rig, httpsRig, addressLimitRig, clientLimitRig, rosterRig].map((r) => r.load(roster())));
});
afterAll(async () => {
  await Promise.all([rig, httpsRig, addressLimitRig, clientLimitRig, rosterRig].map((r) => r?.close()));
});

describe('the sign-in e-mail', () => {
  it('holds a 6-digit code and a one-time link to /login/verify; either signs in with a 303 to /', async () => {
    for (const via of ['link', 'code'] as const) {
      const client = rig.client();
      const mail = await rig.requestSignIn(client, officerEmail(1));
      expect(mail.code).toMatch(/^\d{6}$/);
      expect(mail.link).toBe(`${rig.url}/login/verify?token=${mail.token}`);
      expect(mail.token.length).toBeGreaterThanOrEqual(32);
      const r =
        via === 'link'
          ? await client.post('/login/verify', { form: { token: mail.token } })
          : await client.post('/login/verify', { form: { email: officerEmail(1), code: mail.code } });
      expect(r.status, r.text).toBe(303);
      expect(r.headers.get('location')).toBe('/');
      expect(setCookieOf(r, 'sro_session')).not.toBeNull();
      const session = await client.get('/api/session');
      expect(session.status).toBe(200);
      expect(session.json()).toMatchObject({ email: officerEmail(1), roles: [{ role: 'OFFICER', license: 'A1' }] });
    }
  });

  it('the code may be typed with a space, and in an address of other case', async () => {
    const client = rig.client();
    const mail = await rig.requestSignIn(client, officerEmail(2));
    const r = await client.post('/login/verify', {
      form: { email: officerEmail(2).toUpperCase(), code: `${mail.code.slice(0, 3)} ${mail.code.slice(3)}` },
    });
    expect(r.status).toBe(303);
  });
});

describe('GET of the link spends nothing (mail scanners fetch every link)', () => {
  it('three GETs by a scanner, then the person’s GET and its form’s POST signs in', async () => {
    const person = rig.client();
    const mail = await rig.requestSignIn(person, officerEmail(3));
    for (let i = 0; i < 3; i++) {
      const scanner = rig.client();
      const r = await scanner.get(new URL(mail.link).pathname + new URL(mail.link).search);
      expect(r.status).toBe(200);
      expect(setCookieOf(r, 'sro_session')).toBeNull();
    }
    const page = await person.get(`/login/verify?token=${mail.token}`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<form method="post" action="\/login\/verify"/);
    expect((page.text.match(/<form /g) ?? []).length).toBe(1);
    expect(hiddenField(page.text, 'token')).toBe(mail.token);
    const r = await person.post('/login/verify', {
      form: { token: hiddenField(page.text, 'token') },
      csrf: hiddenField(page.text, '_csrf'),
    });
    expect(r.status).toBe(303);
    expect((await person.get('/api/session')).status).toBe(200);
  });
});

describe('a link or a code works once, for 15 minutes', () => {
  it('a used link is refused: 400, no session cookie; its page says so', async () => {
    const mail = await rig.requestSignIn(rig.client(), officerEmail(4));
    expect((await rig.client().post('/login/verify', { form: { token: mail.token } })).status).toBe(303);
    const again = rig.client();
    const r = await again.post('/login/verify', { form: { token: mail.token } });
    expect(r.status).toBe(400);
    expect(setCookieOf(r, 'sro_session')).toBeNull();
    expect((await again.get('/api/session')).status).toBe(401);
    expect((await rig.client().get(`/login/verify?token=${mail.token}`)).status).toBe(400);
    // The code of the same e-mail is spent with its link.
    const code = await rig.client().post('/login/verify', { form: { email: officerEmail(4), code: mail.code } });
    expect(code.status).toBe(400);
  });

  it('a used code is refused: 400, no session cookie, and its link is spent too', async () => {
    const mail = await rig.requestSignIn(rig.client(), officerEmail(5));
    const form = { email: officerEmail(5), code: mail.code };
    expect((await rig.client().post('/login/verify', { form })).status).toBe(303);
    const r = await rig.client().post('/login/verify', { form });
    expect(r.status).toBe(400);
    expect(setCookieOf(r, 'sro_session')).toBeNull();
    expect((await rig.client().post('/login/verify', { form: { token: mail.token } })).status).toBe(400);
  });

  it('an expired link and code are refused', async () => {
    const mail = await rig.requestSignIn(rig.client(), officerEmail(6));
    await queryRows(
      rig.database.url,
      `UPDATE login_token SET expires_at = now() - interval '1 second' WHERE email = $1`,
      [officerEmail(6)],
    );
    expect((await rig.client().get(`/login/verify?token=${mail.token}`)).status).toBe(400);
    for (const form of [{ token: mail.token }, { email: officerEmail(6), code: mail.code }] as Record<
      string,
      string
    >[]) {
      const r = await rig.client().post('/login/verify', { form });
      expect(r.status).toBe(400);
      expect(setCookieOf(r, 'sro_session')).toBeNull();
    }
  });

  it('five wrong codes spend the code: the right one is refused afterwards, and the link too', async () => {
    const mail = await rig.requestSignIn(rig.client(), officerEmail(7));
    const wrong = String((Number(mail.code) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 5; i++)
      expect((await rig.client().post('/login/verify', { form: { email: officerEmail(7), code: wrong } })).status).toBe(
        400,
      );
    const right = await rig.client().post('/login/verify', { form: { email: officerEmail(7), code: mail.code } });
    expect(right.status).toBe(400);
    expect(setCookieOf(right, 'sro_session')).toBeNull();
    expect((await rig.client().post('/login/verify', { form: { token: mail.token } })).status).toBe(400);
  });

  it('four wrong codes leave the right one usable', async () => {
    const mail = await rig.requestSignIn(rig.client(), officerEmail(8));
    const wrong = String((Number(mail.code) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 4; i++)
      await rig.client().post('/login/verify', { form: { email: officerEmail(8), code: wrong } });
    expect(
      (await rig.client().post('/login/verify', { form: { email: officerEmail(8), code: mail.code } })).status,
    ).toBe(303);
  });
});

describe('rate limits', () => {
  it('LOGIN_LIMIT_PER_ADDRESS (2): past it the same page, and no e-mail', async () => {
    const r = addressLimitRig;
    const client = r.client();
    const email = officerEmail(9);
    const first = await client.post('/login', { form: { email } });
    await r.requestSignIn(client, email);
    // Both e-mails are in before the third request (the limit counts sent e-mails).
    for (const deadline = Date.now() + 5000; mailsTo(r, email).length < 2 && Date.now() < deadline;) await sleep(20);
    expect(mailsTo(r, email)).toHaveLength(2);
    const past = await client.post('/login', { form: { email } });
    expect(past.status).toBe(200);
    expect(withoutCsrf(past.text)).toBe(withoutCsrf(first.text));
    await sleep(500);
    expect(mailsTo(r, email)).toHaveLength(2);
    const rows = await queryRows<{ n: number }>(
      r.database.url,
      `SELECT count(*)::int AS n FROM login_token WHERE email = $1`,
      [email],
    );
    expect(rows[0]!.n).toBe(2);
    // Another address is not held back by it.
    await r.requestSignIn(client, officerEmail(10));
  });

  it('LOGIN_LIMIT_PER_CLIENT (3): past it 429, and no e-mail', async () => {
    const r = clientLimitRig;
    const client = r.client();
    const csrf = await client.csrfToken();
    for (let i = 0; i < 3; i++)
      expect((await client.post('/login', { form: { email: UNKNOWN }, csrf })).status).toBe(200);
    const before = r.smtp.received.length;
    const past = await client.post('/login', { form: { email: CHIEF_A }, csrf });
    expect(past.status).toBe(429);
    expect(past.text).toMatch(/Too many requests/);
    // Sign-in attempts count too.
    for (let i = 0; i < 3; i++)
      expect((await client.post('/login/verify', { form: { token: 'never-issued' }, csrf })).status).toBe(400);
    expect((await client.post('/login/verify', { form: { token: 'never-issued' }, csrf })).status).toBe(429);
    await sleep(300);
    expect(r.smtp.received.length).toBe(before);
  });
});

describe('POST /login tells nobody whether an address is on file', () => {
  it('the same status, body and headers for a known and an unknown address', async () => {
    const client = rig.client();
    const csrf = await client.csrfToken();
    const known = await client.post('/login', { form: { email: CHIEF_A }, csrf });
    const unknown = await client.post('/login', { form: { email: UNKNOWN }, csrf });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(known.status);
    const body = (r: WebResponse, email: string) => withoutCsrf(r.text).replaceAll(email, 'ADDRESS');
    expect(body(unknown, UNKNOWN)).toBe(body(known, CHIEF_A));
    expect(known.text).toContain(CHIEF_A);
    // Headers: the same names; the same values except the date, and the rate limit's count
    // of this client's requests and its seconds to reset, which change from one request to
    // the next whatever the address (checked: the count goes down by exactly one). The two
    // addresses are as long as each other, so content-length matches too. No set-cookie:
    // the client's CSRF cookie was set before, by the login page.
    const names = (r: WebResponse) => [...r.headers.keys()].sort();
    expect(names(unknown)).toEqual(names(known));
    expect(known.headers.get('set-cookie')).toBeNull();
    const varying = new Set(['date', 'x-ratelimit-remaining', 'x-ratelimit-reset']);
    for (const [name, value] of known.headers)
      if (!varying.has(name)) expect(unknown.headers.get(name), name).toBe(value);
    const remaining = (r: WebResponse) => Number(r.headers.get('x-ratelimit-remaining'));
    if (known.headers.has('x-ratelimit-remaining')) expect(remaining(known) - remaining(unknown)).toBe(1);
    // Only the known address gets an e-mail.
    await sleep(300);
    expect(mailsTo(rig, UNKNOWN)).toHaveLength(0);
    expect(mailsTo(rig, CHIEF_A).length).toBeGreaterThan(0);
  });

  it('answers as fast for a known address as for an unknown one (the e-mail is sent after the answer)', async () => {
    const client = rig.client();
    const csrf = await client.csrfToken();
    const known = officerEmail(11);
    const unknown = 'officer99@agency-a.example';
    const timed = async (email: string) => {
      const t = performance.now();
      const r = await client.post('/login', { form: { email }, csrf });
      const ms = performance.now() - t;
      expect(r.status).toBe(200);
      return ms;
    };
    for (let i = 0; i < 3; i++) await timed(i % 2 ? known : unknown); // warm-up
    const times: Record<'known' | 'unknown', number[]> = { known: [], unknown: [] };
    for (let i = 0; i < 20; i++) {
      // Alternating, with a pause for the known address's e-mail to go out in between.
      for (const which of i % 2 ? (['known', 'unknown'] as const) : (['unknown', 'known'] as const)) {
        times[which].push(await timed(which === 'known' ? known : unknown));
        await sleep(10);
      }
    }
    const median = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return (s[9]! + s[10]!) / 2;
    };
    expect(Math.abs(median(times.known) - median(times.unknown))).toBeLessThan(15);
  });
});

describe('the session cookie', () => {
  it('is HttpOnly, SameSite=Lax, Path=/, and not Secure without an https PUBLIC_URL', async () => {
    const client = rig.client();
    const mail = await rig.requestSignIn(client, officerEmail(12));
    const r = await client.post('/login/verify', { form: { token: mail.token } });
    const cookie = setCookieOf(r, 'sro_session')!;
    expect(cookie).not.toBeNull();
    expect(cookie.attributes.has('httponly')).toBe(true);
    expect(cookie.attributes.get('samesite')?.toLowerCase()).toBe('lax');
    expect(cookie.attributes.get('path')).toBe('/');
    expect(cookie.attributes.has('secure')).toBe(false);
    expect(Number(cookie.attributes.get('max-age'))).toBe(12 * 3600);
    const csrfCookie = setCookieOf(await rig.client().get('/login'), '_csrf')!;
    expect(csrfCookie.attributes.has('httponly')).toBe(true);
    expect(csrfCookie.attributes.has('secure')).toBe(false);
  });

  // With an https PUBLIC_URL both are `__Host-` cookies (csrf-session.test.ts checks the prefix's rules).
  it('is Secure when PUBLIC_URL is https (and so is the CSRF cookie); the link is on PUBLIC_URL', async () => {
    const client = httpsRig.client();
    const login = await client.get('/login');
    expect(setCookieOf(login, '__Host-sro_csrf')!.attributes.has('secure')).toBe(true);
    const mail = await httpsRig.requestSignIn(client, CHIEF_A);
    expect(mail.link).toBe(`https://sro.district.example/login/verify?token=${mail.token}`);
    const r = await client.post('/login/verify', { form: { token: mail.token } });
    expect(r.status).toBe(303);
    const cookie = setCookieOf(r, '__Host-sro_session')!;
    expect(cookie.attributes.has('secure')).toBe(true);
    expect(cookie.attributes.has('httponly')).toBe(true);
    expect(cookie.attributes.get('samesite')?.toLowerCase()).toBe('lax');
    expect(cookie.attributes.get('path')).toBe('/');
  });
});

describe('sessions', () => {
  // Signing in with an old session's cookie sent along ends that session (no fixation).
  it('signing in again makes a new session: the old session id no longer works', async () => {
    const client = await rig.signIn(CHIEF_A);
    const old = client.cookies.get('sro_session')!;
    expect((await withSession(rig, old).get('/api/session')).status).toBe(200);
    // The same browser signs in again, its old session cookie sent along.
    const mail = await rig.requestSignIn(client, CHIEF_A);
    const r = await client.post('/login/verify', { form: { token: mail.token } });
    expect(r.status).toBe(303);
    const fresh = client.cookies.get('sro_session')!;
    expect(fresh).not.toBe(old);
    expect((await withSession(rig, fresh).get('/api/session')).status).toBe(200);
    expect((await withSession(rig, old).get('/api/session')).status).toBe(401);
  });

  it('POST /logout ends the session: its cookie no longer gives /api/session', async () => {
    const client = await rig.signIn(CHIEF_A);
    const cookie = client.cookies.get('sro_session')!;
    const r = await client.post('/logout');
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/login');
    expect(client.cookies.has('sro_session')).toBe(false);
    expect((await withSession(rig, cookie).get('/api/session')).status).toBe(401);
    const home = await withSession(rig, cookie).get('/');
    expect(home.status).toBe(303);
    expect(home.headers.get('location')).toBe('/login');
  });

  it('a chief removed from the roster loses access on the next request', async () => {
    const chief = await rosterRig.signIn(CHIEF_A);
    const before = (await chief.get('/api/officers')).json<{ officers: unknown[] }>().officers;
    expect(before).toHaveLength(12);
    expect((await chief.get('/officers/A1')).status).toBe(200);
    await rosterRig.load(roster('new.chief@agency-a.example'), true);
    const after = await chief.get('/api/officers');
    expect(after.status).toBe(200);
    expect(after.json<{ officers: unknown[] }>().officers).toEqual([]);
    expect((await chief.get('/officers/A1')).status).toBe(404);
    expect((await chief.get('/api/officers/A1')).status).toBe(404);
    expect((await chief.get('/api/session')).json<{ roles: unknown[] }>().roles).toEqual([]);
    // The new chief is known at once.
    const successor = await rosterRig.signIn('new.chief@agency-a.example');
    expect((await successor.get('/api/officers')).json<{ officers: unknown[] }>().officers).toHaveLength(12);
  });
});
