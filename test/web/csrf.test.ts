// CSRF and the headers of the console's pages (INTERFACE.md "Console", "Forms and CSRF";
// STYLE.md habit 12): every POST row of the route table without a valid token is 403 and
// changes nothing; pages forbid inline script and framing, and the sign-in link's page
// sends no referrer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type RouteKey } from '../../src/web/routes.ts';
import { type ConsoleRig, type WebClient, type WebResponse, hiddenField, startConsoleRig } from '../helpers/console.ts';
import { queryRows } from '../helpers/db.ts';
import { type Facts, consoleFactsOfA1, consoleState } from '../helpers/csrf-fixtures.ts';

const ADMIN = 'admin@console.example';
const CHIEF = 'chief@agency-a.example';
const officerEmail = (n: number) => `officer${n}@agency-a.example`;

const ROSTER = {
  agencies: [{ id: 'AGA', name: 'Agency A Police', chief: { name: 'Chief A', email: CHIEF } }],
  officers: Array.from({ length: 8 }, (_, i) => ({
    license: `A${i + 1}`,
    firstName: 'Officer',
    lastName: `Number ${i + 1}`,
    email: officerEmail(i + 1),
    agencyId: 'AGA',
  })),
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let rig: ConsoleRig;
beforeAll(async () => {
  rig = await startConsoleRig('console-csrf', {
    ADMIN_EMAILS: ADMIN,
    LOGIN_LIMIT_PER_CLIENT: '1000',
    LOGIN_LIMIT_PER_ADDRESS: '1000',
  });
  await rig.load(ROSTER);
});
afterAll(() => rig?.close());

/** How a POST goes without a valid token. */
type Forgery = 'no token' | "another client's token" | 'a token but no CSRF cookie';
const FORGERIES: readonly Forgery[] = ['no token', "another client's token", 'a token but no CSRF cookie'];

async function forgedCsrf(client: WebClient, forgery: Forgery): Promise<false | string> {
  if (forgery === 'no token') return false;
  // The victim's jar has a CSRF cookie of its own; the token comes from the attacker's jar.
  await client.get('/login');
  const attacker = rig.client();
  const token = await attacker.csrfToken();
  if (forgery === 'a token but no CSRF cookie') client.cookies.delete('_csrf');
  return token;
}

interface PostCase {
  /** The forged request, then the check that it changed nothing. */
  run(forgery: Forgery): Promise<void>;
}

let next = 0;
/** An address of its own for each case and forgery, so that checks on mail and rows are exact. */
const freshAddress = () => officerEmail(1 + (next++ % 8));

/** A forgery's start: A1's CONSOLE facts, an admin signed in, the forged token, the console's state before. */
async function forgedAsAdmin(forgery: Forgery) {
  const ids = await consoleFactsOfA1(rig.database.url, officerEmail(1));
  const client = await rig.signIn(ADMIN);
  const csrf = await forgedCsrf(client, forgery);
  const before = await consoleState(rig.database.url);
  return { ids, client, csrf, before };
}

/** A training as the multipart form sends it (no certificate). */
function trainingForm(csrf?: string | null | false): FormData {
  const form = new FormData();
  if (csrf) form.append('_csrf', csrf);
  form.append('kind', 'SRO_MANDATED');
  form.append('completedOn', '2026-01-06');
  return form;
}

/** The Cookie header of `client`'s jar, for a request sent without it (fetch with a FormData body). */
const cookieOf = (client: WebClient) => [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

/** A write route forged by a signed-in admin (who may make every change): 403, and nothing changed. */
function writeCase(
  path: (ids: Facts) => string,
  body: unknown | 'multipart',
  method: 'POST' | 'PATCH' = 'POST',
): PostCase {
  return {
    async run(forgery) {
      const { ids, client, csrf, before } = await forgedAsAdmin(forgery);
      const url = path(ids);
      let status: number;
      if (body === 'multipart') {
        const form = trainingForm();
        const headers: Record<string, string> = { cookie: cookieOf(client) };
        if (csrf) headers['x-csrf-token'] = csrf;
        status = (await fetch(new URL(url, rig.url), { method: 'POST', headers, body: form })).status;
      } else status = (await client.request(method, url, { json: body, csrf })).status;
      expect(status).toBe(403);
      expect(await consoleState(rig.database.url)).toBe(before);
    },
  };
}

/**
 * A form of the officer page forged by a signed-in admin: 403, and nothing changed. The
 * training form is multipart and carries its token as its first field (server.ts, body.ts
 * eachPart): the forged token goes there.
 */
function formCase(path: (ids: Facts) => string, fields: Record<string, string> | 'multipart'): PostCase {
  return {
    async run(forgery) {
      const { ids, client, csrf, before } = await forgedAsAdmin(forgery);
      let status: number;
      if (fields === 'multipart') {
        const form = trainingForm(csrf);
        const headers = { cookie: cookieOf(client) };
        const r = await fetch(new URL(path(ids), rig.url), { method: 'POST', headers, body: form, redirect: 'manual' });
        status = r.status;
        expect(r.headers.get('content-type')).toMatch(/^text\/html/);
      } else {
        const r = await client.post(path(ids), { form: fields, csrf });
        status = r.status;
        expect(r.text).toMatch(/CSRF token/);
      }
      expect(status).toBe(403);
      expect(await consoleState(rig.database.url)).toBe(before);
    },
  };
}

/**
 * A roster upload forged by a signed-in admin: a JSON roster adding officer Z9, with the token
 * in the header (the API) or the form's first field (the page's multipart form): 403, no
 * officer added, no audit event.
 */
function importCase(path: string, via: 'header' | 'field'): PostCase {
  return {
    async run(forgery) {
      const client = await rig.signIn(ADMIN);
      const csrf = await forgedCsrf(client, forgery);
      const state = () =>
        queryRows<{ n: number; events: number }>(
          rig.database.url,
          `SELECT (SELECT count(*)::int FROM officer) AS n, (SELECT count(*)::int FROM audit_event) AS events`,
        );
      const before = await state();
      const form = new FormData();
      if (csrf && via === 'field') form.append('_csrf', csrf);
      const roster = { officers: [{ license: 'Z9', firstName: 'Zed', lastName: 'Nine', agencyId: 'AGA' }] };
      form.append('roster', new Blob([JSON.stringify(roster)]), 'roster.json');
      const headers: Record<string, string> = { cookie: cookieOf(client) };
      if (csrf && via === 'header') headers['x-csrf-token'] = csrf;
      const r = await fetch(new URL(path, rig.url), { method: 'POST', headers, body: form, redirect: 'manual' });
      expect(r.status).toBe(403);
      expect(await state()).toEqual(before);
    },
  };
}

const POST_CASES: Record<
  Extract<
    RouteKey,
    | 'login'
    | 'verify'
    | 'logout'
    | 'apiRecordTraining'
    | 'apiDeleteTraining'
    | 'apiRecordPolicyReview'
    | 'apiDeletePolicyReview'
    | 'apiRecordContactDays'
    | 'apiDeleteContactDays'
    | 'apiAcknowledge'
    | 'formTraining'
    | 'formDeleteTraining'
    | 'formPolicyReview'
    | 'formDeletePolicyReview'
    | 'formContactDays'
    | 'formDeleteContactDays'
    | 'formAcknowledge'
    | 'formCorrectAcknowledgement'
    | 'formWithdrawAcknowledgement'
    | 'apiImport'
    | 'formImport'
    | 'apiChangeAgency'
    | 'apiChangeDistrict'
    | 'apiCreateOfficer'
    | 'apiChangeOfficer'
    | 'apiCreateAssignment'
    | 'apiChangeAssignment'
    | 'formAgency'
    | 'formDistrict'
    | 'formChangeOfficer'
    | 'formCreateAssignment'
    | 'formEndAssignment'
    | 'formCreateOfficer'
    | 'apiConfirmTraining'
    | 'apiRejectTraining'
    | 'formConfirmTraining'
    | 'formRejectTraining'
    | 'formAgencyPolicy'
  >,
  PostCase
> = {
  apiRecordTraining: writeCase(() => '/api/officers/A1/trainings', 'multipart'),
  apiDeleteTraining: writeCase((ids) => `/api/officers/A1/trainings/${ids.training}/delete`, {}),
  apiRecordPolicyReview: writeCase(() => '/api/officers/A1/policy-reviews', { reviewedOn: '2026-01-06' }),
  apiDeletePolicyReview: writeCase((ids) => `/api/officers/A1/policy-reviews/${ids.review}/delete`, {}),
  apiRecordContactDays: writeCase(() => '/api/officers/A1/contact-days', { districtId: 'D1', dates: ['2026-01-06'] }),
  apiDeleteContactDays: writeCase(() => '/api/officers/A1/contact-days/delete', {
    districtId: 'D1',
    dates: ['2026-01-05'],
  }),
  apiAcknowledge: writeCase(() => '/api/officers/A1/acknowledgements', { dueDate: '2025-09-01' }),
  formTraining: formCase(() => '/officers/A1/trainings', 'multipart'),
  formDeleteTraining: formCase((ids) => `/officers/A1/trainings/${ids.training}/delete`, {}),
  formPolicyReview: formCase(() => '/officers/A1/policy-reviews', { reviewedOn: '2026-01-06' }),
  formDeletePolicyReview: formCase((ids) => `/officers/A1/policy-reviews/${ids.review}/delete`, {}),
  formContactDays: formCase(() => '/officers/A1/contact-days', { districtId: 'D1', dates: '2026-01-06' }),
  formDeleteContactDays: formCase(() => '/officers/A1/contact-days/delete', { districtId: 'D1', dates: '2026-01-05' }),
  formAcknowledge: formCase(() => '/officers/A1/acknowledgements', { dueDate: '2025-09-01' }),
  formCorrectAcknowledgement: formCase((ids) => `/officers/A1/acknowledgements/${ids.ack}`, { note: 'Forged' }),
  formWithdrawAcknowledgement: formCase((ids) => `/officers/A1/acknowledgements/${ids.ack}/withdraw`, {}),
  apiImport: importCase('/api/imports', 'header'),
  formAgency: formCase(() => '/agencies/AGA', { name: 'Forged' }),
  formDistrict: formCase(() => '/districts/D1', { name: 'Forged' }),
  formChangeOfficer: formCase(() => '/officers/A1/details', { lastName: 'Forged' }),
  formCreateAssignment: formCase(() => '/officers/A1/assignments', {
    districtId: 'D1',
    role: 'REGULAR',
    startDate: '2026-01-07',
  }),
  formCreateOfficer: formCase(() => '/agencies/AGA/officers', { license: 'Z9', firstName: 'Zed', lastName: 'Nine' }),
  formEndAssignment: formCase(() => '/officers/A1/assignments/D1/2020-08-24/end', { endDate: '2030-06-30' }),
  // The directory (RULES.md 11): an admin's change, forged.
  apiChangeAgency: writeCase(() => '/api/agencies/AGA', { name: 'Forged' }, 'PATCH'),
  apiChangeDistrict: writeCase(() => '/api/districts/D1', { contacts: [] }, 'PATCH'),
  apiCreateOfficer: writeCase(() => '/api/officers', {
    license: 'Z8',
    firstName: 'Zed',
    lastName: 'Eight',
    agencyId: 'AGA',
  }),
  apiChangeOfficer: writeCase(() => '/api/officers/A1', { lastName: 'Forged' }, 'PATCH'),
  apiCreateAssignment: writeCase(() => '/api/officers/A1/assignments', {
    districtId: 'D1',
    role: 'REGULAR',
    startDate: '2026-01-05',
  }),
  apiChangeAssignment: writeCase(() => '/api/officers/A1/assignments/D1/2020-08-24', { school: 'Forged' }, 'PATCH'),
  formImport: importCase('/imports', 'field'),
  // An officer's submitted training (RULES.md 10), confirmed or rejected by a forged request.
  apiConfirmTraining: writeCase((ids) => `/api/officers/A1/trainings/${ids.submission}/confirm`, {}),
  apiRejectTraining: writeCase((ids) => `/api/officers/A1/trainings/${ids.submission}/reject`, { reason: 'Forged' }),
  formConfirmTraining: formCase((ids) => `/officers/A1/submissions/${ids.submission}/confirm`, {}),
  formRejectTraining: formCase((ids) => `/officers/A1/submissions/${ids.submission}/reject`, { reason: 'Forged' }),
  // The agency's SRO policy PDF: a forged upload (multipart, the token as its first field).
  formAgencyPolicy: {
    async run(forgery) {
      const { client, csrf, before } = await forgedAsAdmin(forgery);
      const form = new FormData();
      if (csrf) form.append('_csrf', csrf);
      form.append('policy', new Blob([Buffer.from('%PDF-1.4\n% forged policy\n%%EOF\n')]), 'policy.pdf');
      const headers = { cookie: cookieOf(client) };
      const r = await fetch(new URL('/agencies/AGA/policy', rig.url), {
        method: 'POST',
        headers,
        body: form,
        redirect: 'manual',
      });
      expect(r.status).toBe(403);
      expect(await consoleState(rig.database.url)).toBe(before);
    },
  },
  login: {
    async run(forgery) {
      // A known address (the chief's): a sign-in e-mail would go out if the POST went through.
      const client = rig.client();
      const csrf = await forgedCsrf(client, forgery);
      const before = rig.smtp.received.filter((m) => m.to === CHIEF).length;
      const r = await client.post('/login', { form: { email: CHIEF }, csrf });
      expect(r.status).toBe(403);
      expect(r.text).toMatch(/CSRF token/);
      await sleep(300);
      expect(rig.smtp.received.filter((m) => m.to === CHIEF)).toHaveLength(before);
      const rows = await queryRows<{ n: number }>(
        rig.database.url,
        `SELECT count(*)::int AS n FROM login_token WHERE email = $1 AND created_at > now() - interval '1 second'`,
        [CHIEF],
      );
      expect(rows[0]!.n).toBe(0);
    },
  },
  verify: {
    async run(forgery) {
      const email = freshAddress();
      const client = rig.client();
      const mail = await rig.requestSignIn(client, email);
      const csrf = await forgedCsrf(client, forgery);
      for (const form of [{ token: mail.token }, { email, code: mail.code }] as Record<string, string>[]) {
        const r = await client.post('/login/verify', { form, csrf });
        expect(r.status).toBe(403);
        expect(r.headers.getSetCookie().some((c) => c.startsWith('sro_session='))).toBe(false);
      }
      // The link is still good.
      const ok = await rig.client().post('/login/verify', { form: { token: mail.token } });
      expect(ok.status).toBe(303);
    },
  },
  logout: {
    async run(forgery) {
      const client = await rig.signIn(freshAddress());
      const csrf = await forgedCsrf(client, forgery);
      const r = await client.post('/logout', { csrf });
      expect(r.status).toBe(403);
      expect((await client.get('/api/session')).status).toBe(200);
    },
  },
};

describe('a POST or PATCH without a valid CSRF token is 403 and changes nothing', () => {
  // A PROVIDER row (the mail provider's webhook) is reached by a provider's servers, with no
  // session and no cookie: its signature is its guard (test/integration/mail-webhook.test.ts).
  const postRows = Object.entries(ROUTES).filter(
    ([, row]) => (row.method === 'POST' || row.method === 'PATCH') && row.access !== 'PROVIDER',
  );

  it('every POST and PATCH row of the route table has its case here', () => {
    expect(new Set(Object.keys(POST_CASES))).toEqual(new Set(postRows.map(([key]) => key)));
  });

  for (const [key, row] of postRows) {
    for (const forgery of FORGERIES) {
      it(`${row.method} ${row.url}: ${forgery}`, async () => {
        const c = POST_CASES[key as keyof typeof POST_CASES];
        expect(c, `no CSRF case for the route ${key}`).toBeDefined();
        await c.run(forgery);
      });
    }
  }

  it('the API takes the token in the x-csrf-token header, and refuses another client’s', async () => {
    const client = await rig.signIn(freshAddress());
    const other = await rig.signIn(freshAddress());
    const foreign = await other.csrfToken();
    expect((await client.post('/logout', { headers: { 'x-csrf-token': foreign }, csrf: false })).status).toBe(403);
    expect((await client.get('/api/session')).status).toBe(200);
    const own = await client.csrfToken();
    expect((await client.post('/logout', { headers: { 'x-csrf-token': own }, csrf: false })).status).toBe(303);
    expect((await client.get('/api/session')).status).toBe(401);
  });
});

describe('every page’s sign-out form carries a token that works', () => {
  // The 404 and error pages carry the layout's sign-out form too, with a token of their own.
  for (const [what, path] of [
    ['the officer list', '/'],
    ['an officer', '/officers/A1'],
    ['a 404 page', '/officers/NO-SUCH-1'],
    ['an error page (400)', '/?page=zero'],
  ] as const) {
    it(`${what} (${path})`, async () => {
      const client = await rig.signIn(CHIEF);
      const page = await client.get(path);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      const form = /<form method="post" action="\/logout"[^]*?<\/form>/.exec(page.text)?.[0] ?? '';
      expect(form, 'the sign-out form').not.toBe('');
      const r = await client.post('/logout', { form: {}, csrf: hiddenField(form, '_csrf') });
      expect(r.status).toBe(303);
      expect((await client.get('/api/session')).status).toBe(401);
    });
  }
});

/** The directives of a Content-Security-Policy header, by name. */
function cspOf(r: WebResponse): Map<string, string[]> {
  const header = r.headers.get('content-security-policy') ?? '';
  return new Map(
    header
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!.toLowerCase(), values]),
  );
}

describe('the headers of the console’s pages', () => {
  let chief: WebClient;
  beforeAll(async () => {
    chief = await rig.signIn(CHIEF);
  });

  const PAGES: [string, () => Promise<WebResponse>][] = [
    ['GET /login', () => rig.client().get('/login')],
    ['GET /login/verify', () => rig.client().get('/login/verify?token=never-issued')],
    ['GET /', () => chief.get('/')],
    ['GET /officers/A1', () => chief.get('/officers/A1')],
    ['a 404 page', () => chief.get('/officers/NO-SUCH-1')],
    ['GET /audit', async () => (await rig.signIn(ADMIN)).get('/audit')],
  ];

  for (const [what, get] of PAGES) {
    it(`${what}: CSP default-src 'none', no inline script, no framing; nosniff`, async () => {
      const r = await get();
      expect(r.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/);
      const csp = cspOf(r);
      expect(csp.get('default-src')).toEqual(["'none'"]);
      // No script-src: scripts fall back to default-src 'none'. Any script-src must not allow inline.
      for (const values of [csp.get('script-src'), csp.get('script-src-elem'), csp.get('script-src-attr')])
        expect(values ?? []).not.toContain("'unsafe-inline'");
      expect(csp.get('style-src') ?? []).not.toContain("'unsafe-inline'");
      expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
      expect(csp.get('base-uri')).toEqual(["'none'"]);
      expect(csp.get('form-action')).toEqual(["'self'"]);
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      // What the policy forbids is not in the page either (it would be blocked).
      expect(r.text).not.toMatch(/<script\b/i);
      expect(r.text).not.toMatch(/\son[a-z]+\s*=/i);
      expect(r.text).not.toMatch(/\sstyle\s*=/i);
    });
  }

  it('the sign-in link’s page sends no referrer (header and meta): the token stays out of other sites’ logs', async () => {
    const email = freshAddress();
    const mail = await rig.requestSignIn(rig.client(), email);
    const r = await rig.client().get(`/login/verify?token=${mail.token}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    expect(r.text).toMatch(/<meta name="referrer" content="no-referrer">/);
    expect(r.headers.get('cache-control')).toBe('no-store');
  });

  it('the queue dashboard: its own CSP, still no inline script and no framing', async () => {
    const admin = await rig.signIn(ADMIN);
    const r = await admin.get('/admin/queues');
    expect(r.status).toBe(200);
    const csp = cspOf(r);
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
