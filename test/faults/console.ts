// The console's fault scenarios stand on this: `sro web` as production runs it (bin/sro.js, a
// process of its own) on a database of the private cluster cloned from the migrated template,
// the private Redis under its own queue prefix, and an SMTP receiver that people sign in from
// (the link read out of the e-mail, as a person does). Every wait has a deadline; close()
// stops the process (SIGKILL past 10 s) and drops the database.
import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { afterAll, inject } from 'vitest';
import { projectRoot } from '../../src/db/migrate.ts';
import { withClient } from '../../support/postgres.ts';
import { WebClient, signInMailParts } from '../helpers/console.ts';
import { type SmtpReceiver, startSmtpReceiver } from '../helpers/smtp.ts';
import { postgresUrl, sleep, until } from './services.ts';
import { SRO_BIN } from './sro.ts';

export interface ConsoleProcess {
  /** Where `sro web` listens, e.g. http://127.0.0.1:41234. */
  url: string;
  databaseUrl: string;
  smtp: SmtpReceiver;
  /** Its stderr so far (its log lines). */
  log(): string;
  /** A client signed in as `email` through the sign-in e-mail's link. */
  signIn(email: string): Promise<WebClient>;
  /** Sessions of its database in a state matching `state` (a LIKE pattern: 'idle in transaction%'). */
  sessions(state: string): Promise<number>;
  close(): Promise<void>;
}

const open = new Set<ConsoleProcess>();
/** Registered by a scenario file that starts consoles: none outlives the file. */
export function consoleScenarioFile(): void {
  afterAll(async () => {
    for (const c of [...open]) await c.close();
  });
}

/**
 * A fresh database of the private cluster, filled by `prepare` (an `sro import`, a generated
 * roster), then `sro web` on it with `env` over the defaults.
 */
export async function startConsoleProcess(
  label: string,
  options: { env?: Record<string, string>; prepare?: (databaseUrl: string) => Promise<void> } = {},
): Promise<ConsoleProcess> {
  const cluster = inject('faultPostgres');
  const suffix = randomBytes(3).toString('hex');
  const name = `sro_faults_${label.replace(/\W/g, '_')}_${suffix}`;
  const databaseUrl = postgresUrl(cluster, name);
  const admin = postgresUrl(cluster, 'postgres');
  await withClient(admin, (c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${inject('faultTemplateDatabase')}"`));
  const smtp = await startSmtpReceiver();
  let child: ChildProcess | null = null;
  let stderr = '';
  const drop = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    await smtp.close().catch(() => undefined);
    await withClient(admin, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).catch(() => undefined);
  };
  try {
    await options.prepare?.(databaseUrl);
    child = spawn(process.execPath, [SRO_BIN, 'web'], {
      cwd: projectRoot,
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: databaseUrl,
        REDIS_URL: inject('faultRedisUrl'),
        QUEUE_PREFIX: `sro-faults-${label}-${suffix}`,
        SMTP_URL: smtp.url,
        WEB_HOST: '127.0.0.1',
        WEB_PORT: '0',
        SECRET_KEY: randomBytes(32).toString('base64url'),
        LOGIN_LIMIT_PER_CLIENT: '100000',
        LOGIN_LIMIT_PER_ADDRESS: '100',
        LOG_LEVEL: 'info',
        ...options.env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    const started = child;
    const url = await until(
      `sro web (${label}) to listen`,
      30_000,
      () => {
        if (started.exitCode !== null) throw new Error(`sro web exited with ${started.exitCode}:\n${stderr}`);
        // 'console started url=…' (text lines off a terminal) or "url":"…" (JSON lines).
        return /(?:"url":"|\burl=)(http:\/\/[^"\s]+)/.exec(stderr)?.[1];
      },
      () => stderr,
    );
    const c: ConsoleProcess = {
      url,
      databaseUrl,
      smtp,
      log: () => stderr,
      async signIn(email) {
        const client = new WebClient(url);
        const before = smtp.received.length;
        const asked = await client.post('/login', { form: { email } });
        if (asked.status !== 200) throw new Error(`POST /login answered ${asked.status}`);
        const mail = await until(`a sign-in e-mail to ${email}`, 15_000, () =>
          smtp.received.slice(before).findLast((m) => m.to === email.toLowerCase()),
        );
        const r = await client.post('/login/verify', { form: { token: signInMailParts(mail).token } });
        if (r.status !== 303) throw new Error(`sign-in as ${email} answered ${r.status}: ${r.text.slice(0, 300)}`);
        return client;
      },
      sessions: (state) =>
        withClient(databaseUrl, async (db) => {
          const r = await db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid() AND state LIKE $1`,
            [state],
          );
          return r.rows[0]!.n;
        }),
      async close() {
        open.delete(c);
        await drop();
      },
    };
    open.add(c);
    return c;
  } catch (e) {
    await drop();
    throw e;
  }
}

/** The Cookie header of a signed-in client (for requests made without WebClient). */
export const cookieOf = (c: WebClient) => [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

/**
 * GET `path` on a connection of its own (never a kept-alive one, whose grown buffers could
 * hold a whole answer): its status once the first bytes are in, then nothing more is read
 * (the server is held by back-pressure) until hangUp() closes the connection.
 */
export function stalledGet(url: string, path: string, cookie: string): Promise<{ status: number; hangUp(): void }> {
  return new Promise((resolve, reject) => {
    const req = http.get(new URL(path, url), { agent: false, headers: { cookie } });
    req.once('response', (res) => {
      res.once('error', () => undefined);
      res.once('data', () => {
        res.pause();
        req.on('error', () => undefined); // hangUp() destroys it
        resolve({ status: res.statusCode!, hangUp: () => req.destroy() });
      });
    });
    req.once('error', reject);
  });
}
