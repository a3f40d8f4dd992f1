// The console for a test file: `sro web`'s server (startConsole) on a free loopback port,
// on a database of its own, with its own Redis prefix (sessions and rate limits) and a real
// SMTP receiver for the sign-in e-mails; and a small HTTP client with a cookie jar that
// signs in the way a person does (the link or the code read out of the received e-mail).
import { type Config, loadConfig } from '../../src/config.ts';
import { rosterSchema } from '../../src/roster/schema.ts';
import { type Logger, silentLogger } from '../../src/shell/log.ts';
import { type RunningConsole, startConsole } from '../../src/web/start.ts';
import { type TestDatabase, createTestDatabase } from './db.ts';
import { importRosterObject } from './roster-import.ts';
import { TEST_REDIS_URL, deletePrefix, uniquePrefix } from './redis.ts';
import { consoleEnv } from './service-env.ts';
import { type ReceivedMail, type SmtpReceiver, startSmtpReceiver } from './smtp.ts';

export interface WebResponse {
  status: number;
  headers: Headers;
  text: string;
  json<T = unknown>(): T;
}

export interface RequestOptions {
  /** application/x-www-form-urlencoded fields (a list: the field repeated, as rows of a form send it). */
  form?: Record<string, string | readonly string[]>;
  /** A JSON body. */
  json?: unknown;
  headers?: Record<string, string>;
  /**
   * The CSRF token of a POST or PATCH: 'auto' (default) fetches one (GET /api/session when signed in,
   * else the login page's hidden field) and sends it as the form's `_csrf` field or the
   * `x-csrf-token` header; false sends none; a string sends that.
   */
  csrf?: 'auto' | false | string;
}

/** A browser's worth of HTTP: a cookie jar, no redirects followed. */
export class WebClient {
  readonly cookies = new Map<string, string>();
  constructor(readonly baseUrl: string) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<WebResponse> {
    return this.request('GET', path, { headers });
  }

  async post(path: string, options: RequestOptions = {}): Promise<WebResponse> {
    return this.request('POST', path, options);
  }

  async patch(path: string, options: RequestOptions = {}): Promise<WebResponse> {
    return this.request('PATCH', path, options);
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<WebResponse> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | undefined;
    const csrf = method === 'POST' || method === 'PATCH' ? await this.csrfFor(options.csrf ?? 'auto') : null;
    if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      const fields = Object.entries({ ...options.form, ...(csrf ? { _csrf: csrf } : {}) }).flatMap(
        ([k, v]): [string, string][] =>
          typeof v === 'string' ? [[k, v]] : (v as readonly string[]).map((x): [string, string] => [k, x]),
      );
      body = new URLSearchParams(fields).toString();
    } else if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
      if (csrf) headers['x-csrf-token'] = csrf;
    } else if (csrf) headers['x-csrf-token'] = csrf;
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(new URL(path, this.baseUrl), { method, headers, body, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: <T>() => JSON.parse(text) as T };
  }

  /** A CSRF token valid for this jar's `_csrf` cookie. */
  async csrfToken(): Promise<string> {
    // The session cookie is `__Host-sro_session` with an https PUBLIC_URL.
    if ([...this.cookies.keys()].some((k) => k.endsWith('sro_session'))) {
      const r = await this.get('/api/session');
      if (r.status === 200) return r.json<{ csrfToken: string }>().csrfToken;
    }
    const page = await this.get('/login');
    return hiddenField(page.text, '_csrf');
  }

  private async csrfFor(csrf: 'auto' | false | string): Promise<string | null> {
    if (csrf === false) return null;
    if (csrf === 'auto') return this.csrfToken();
    return csrf;
  }
}

/** The value of `<input type="hidden" name="NAME" value="…">` in a page. */
export function hiddenField(html: string, name: string): string {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!m) throw new Error(`no hidden field ${name} in the page`);
  return m[1]!.replace(/&amp;/g, '&');
}

export interface SignInMail {
  link: string;
  token: string;
  code: string;
  mail: ReceivedMail;
}

/** The link, its token and the code of a sign-in e-mail (read from its text part). */
export function signInMailParts(mail: ReceivedMail): SignInMail {
  const text = mail.parsed.text ?? '';
  const link = /Open the sign-in page: (\S+)/.exec(text)?.[1];
  const code = /Code: (\d{6})/.exec(text)?.[1];
  if (!link || !code) throw new Error(`not a sign-in e-mail:\n${text}`);
  return { link, token: new URL(link).searchParams.get('token') ?? '', code, mail };
}

export interface ConsoleRig {
  url: string;
  database: TestDatabase;
  smtp: SmtpReceiver;
  config: Config;
  running: RunningConsole;
  /** Imports a roster document (the JSON roster shape) into the rig's database. */
  load(roster: unknown, replace?: boolean): Promise<void>;
  client(): WebClient;
  /** Asks for a sign-in e-mail for `email` and waits for it (the newest one to that address). */
  requestSignIn(client: WebClient, email: string): Promise<SignInMail>;
  /** A client signed in as `email` through the e-mail's link (or its code). */
  signIn(email: string, via?: 'link' | 'code'): Promise<WebClient>;
  close(): Promise<void>;
}

export async function startConsoleRig(
  label: string,
  env: Record<string, string> = {},
  options: { log?: Logger; now?: () => Date } = {},
): Promise<ConsoleRig> {
  const database = await createTestDatabase(label);
  const smtp = await startSmtpReceiver();
  const prefix = uniquePrefix(label);
  const config = loadConfig({
    ...consoleEnv({ databaseUrl: database.url, redisUrl: TEST_REDIS_URL, smtpUrl: smtp.url, queuePrefix: prefix }),
    ...env,
  });
  const running = await startConsole(config, options.log ?? silentLogger, { now: options.now });
  const url = running.url;
  const rig: ConsoleRig = {
    url,
    database,
    smtp,
    config,
    running,
    async load(roster, replace = false) {
      const r = await importRosterObject(database.url, rosterSchema.parse(roster), { replace });
      if (!r.ok) throw new Error(`fixture roster invalid: ${JSON.stringify(r.errors)}`);
    },
    client: () => new WebClient(url),
    async requestSignIn(client, email) {
      const before = smtp.received.length;
      const r = await client.post('/login', { form: { email } });
      if (r.status !== 200) throw new Error(`POST /login answered ${r.status}`);
      const deadline = Date.now() + 10_000;
      for (;;) {
        const mail = smtp.received.slice(before).findLast((m) => m.to.toLowerCase() === email.toLowerCase());
        if (mail) return signInMailParts(mail);
        if (Date.now() > deadline) throw new Error(`no sign-in e-mail reached ${email} within 10 s`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async signIn(email, via = 'link') {
      const client = new WebClient(url);
      const mail = await rig.requestSignIn(client, email);
      const r =
        via === 'link'
          ? await client.post('/login/verify', { form: { token: mail.token } })
          : await client.post('/login/verify', { form: { email, code: mail.code } });
      if (r.status !== 303) throw new Error(`sign-in as ${email} answered ${r.status}: ${r.text.slice(0, 300)}`);
      return client;
    },
    // The Redis keys and the database go whatever the server's close does (a failed or slow
    // close must not leave a test file's keys or database behind).
    async close() {
      try {
        await running.close();
      } finally {
        await smtp.close().catch(() => undefined);
        await deletePrefix(prefix);
        await database.drop();
      }
    },
  };
  return rig;
}
