// SECURITY.md: credentials come only from the environment, through src/config.ts, and never
// reach a log line. A real `sro` child process at LOG_LEVEL=debug sends real e-mails through
// an SMTP server that requires the password (real PostgreSQL, Redis, SMTP; nothing mocked),
// and neither stdout nor stderr holds the password in any form.
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/db/migrate.ts';
import { formatRosterError } from '../../src/roster/load.ts';
import { importRosterPath } from '../helpers/roster-import.ts';
import { type TestDatabase, createTestDatabase } from '../helpers/db.ts';
import { deletePrefix, uniquePrefix } from '../helpers/redis.ts';
import { type SmtpReceiver, startSmtpReceiver } from '../helpers/smtp.ts';
import { type Env, type SroRun, runSro } from '../helpers/sro-cli.ts';

const SMTP_PASSWORD = 'S3cretPassw0rd';
const DB_PASSWORD = 'DbS3cretPassw0rd';

/** The password as it could leak: plain, URL-encoded, or inside the base64 of AUTH PLAIN/LOGIN. */
function leakForms(password: string, user: string): string[] {
  return [
    password,
    encodeURIComponent(password),
    Buffer.from(password).toString('base64'),
    Buffer.from(`\u0000${user}\u0000${password}`).toString('base64'),
  ];
}

function expectNoSecret(output: string): void {
  for (const form of [...leakForms(SMTP_PASSWORD, 'sro'), ...leakForms(DB_PASSWORD, 'postgres')]) {
    expect(output.includes(form), `output contains ${JSON.stringify(form)}:\n${output}`).toBe(false);
  }
}

let t: TestDatabase;
/** A second database for the refused run, so that its ledger rows (FAILED) stay apart. */
let t2: TestDatabase;
let smtp: SmtpReceiver;
let refusing: SmtpReceiver;
const prefix = uniquePrefix('secrets');

/** DATABASE_URL with a password: the test server trusts loopback, so it is ignored but carried everywhere. */
function databaseUrlWithPassword(db: TestDatabase = t): string {
  const u = new URL(db.url);
  u.username = 'postgres';
  u.password = DB_PASSWORD;
  return u.toString();
}

function sro(args: string[], env: Env, db: TestDatabase = t): Promise<SroRun> {
  return runSro(args, env, {
    base: {
      DATABASE_URL: databaseUrlWithPassword(db),
      QUEUE_PREFIX: prefix,
      SMTP_RATE_PER_SECOND: '1000',
      SEND_ATTEMPTS: '2',
      LOG_LEVEL: 'debug',
    },
    timeout: 90_000,
  });
}

async function databaseWithRoster(label: string): Promise<TestDatabase> {
  const db = await createTestDatabase(label);
  const r = await importRosterPath(db.url, join(projectRoot, 'test', 'fixtures', 'rosters', 'valid.json'), {
    replace: false,
  });
  if (!r.ok) throw new Error(r.errors.map(formatRosterError).join('\n'));
  return db;
}

beforeAll(async () => {
  t = await databaseWithRoster('secrets');
  t2 = await databaseWithRoster('secrets_refused');
  smtp = await startSmtpReceiver({ auth: 'accept' });
  refusing = await startSmtpReceiver({ auth: 'reject' });
});

afterAll(async () => {
  await smtp?.close();
  await refusing?.close();
  await deletePrefix(prefix);
  await t?.drop();
  await t2?.drop();
});

describe('secrets are never logged', () => {
  it('sro scan at LOG_LEVEL=debug delivers through an SMTP server that requires the password, and prints it nowhere', async () => {
    const r = await sro(['scan', '--as-of', '2026-03-02'], {
      SMTP_URL: `smtp://sro:${SMTP_PASSWORD}@127.0.0.1:${smtp.port}?tls=off`,
    });
    expect(r.code, r.stderr).toBe(0);
    // The password was really used: the server saw it, and accepted mail only after it.
    expect(smtp.logins).toContainEqual({ username: 'sro', password: SMTP_PASSWORD });
    expect(smtp.received.length).toBeGreaterThan(0);
    expect(r.stderr).toContain('mail goes to smtp://127.0.0.1:');
    expectNoSecret(r.stdout + r.stderr);
  });

  it('when the server refuses the credentials, the failure is reported without them', async () => {
    const r = await sro(
      ['scan', '--as-of', '2026-03-02'],
      { SMTP_URL: `smtp://sro:${SMTP_PASSWORD}@127.0.0.1:${refusing.port}?tls=off` },
      t2,
    );
    expect(refusing.logins).toContainEqual({ username: 'sro', password: SMTP_PASSWORD });
    expect(refusing.received).toHaveLength(0);
    expect(r.code, r.stderr).toBe(3);
    expectNoSecret(r.stdout + r.stderr);
  });

  it('sro migrate names the database without its password', async () => {
    const r = await sro(['migrate'], {});
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('postgres:***@');
    expectNoSecret(r.stdout + r.stderr);
  });

  it('a bad SMTP_URL is reported by name, without echoing its value', async () => {
    const r = await sro(['scan', '--dry-run', '--as-of', '2026-03-02'], {
      SMTP_URL: `http://sro:${SMTP_PASSWORD}@127.0.0.1:25`,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ {2}SMTP_URL: /m);
    expectNoSecret(r.stdout + r.stderr);
  });

  it('a bad OIDC_PROVIDERS is reported by provider and field, without echoing its client secret', async () => {
    const r = await sro(['scan', '--dry-run', '--as-of', '2026-03-02'], {
      OIDC_PROVIDERS: JSON.stringify([
        {
          id: 'microsoft',
          label: 'Microsoft',
          issuer: 'http://login.example.com',
          clientId: 'app',
          clientSecret: SMTP_PASSWORD,
        },
      ]),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ {2}OIDC_PROVIDERS: provider 1 \("microsoft"\): issuer must start with https:\/\//m);
    expectNoSecret(r.stdout + r.stderr);
  });
});

describe('the environment is read in one place', () => {
  it('no file under src/ except src/config.ts reads process.env (src/generated/ excluded)', async () => {
    const srcDir = join(projectRoot, 'src');
    const files = (await readdir(srcDir, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile() && /\.(?:[cm]?[jt]s)$/.test(e.name))
      .map((e) => relative(projectRoot, join(e.parentPath, e.name)).split('\\').join('/'))
      .filter((f) => !f.startsWith('src/generated/'));
    expect(files.length).toBeGreaterThan(20);
    // process.env, process['env'], const { env } = process, import { env } from 'node:process'.
    const readsEnv =
      /\bprocess\s*(?:\.\s*env\b|\[\s*['"`]env['"`]\s*\])|\{[^}]*\benv\b[^}]*\}\s*=\s*process\b|from\s+['"](?:node:)?process['"]/;
    const offenders: string[] = [];
    for (const f of files) {
      const code = (await readFile(join(projectRoot, f), 'utf8'))
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/(^|[^:])\/\/.*$/gm, '$1');
      if (f !== 'src/config.ts' && readsEnv.test(code)) offenders.push(f);
    }
    expect(offenders).toEqual([]);
  });
});

describe('PII in delivery errors', () => {
  it('an SMTP refusal is summarised without the address the server quoted back (the ledger row names the recipient)', async () => {
    const { classifySmtpError } = await import('../../src/mail/transport.ts');
    const err = classifySmtpError(
      Object.assign(
        new Error(
          "Can't send mail - all recipients were rejected: 550 5.1.1 <dana.olson@albertlea-pd.example>: Recipient address rejected",
        ),
        { code: 'EENVELOPE', responseCode: 550 },
      ),
    );
    expect(err.code).toBe('DELIVERY_REJECTED');
    expect(err.message).toBe(
      "EENVELOPE 550: Can't send mail - all recipients were rejected: 550 5.1.1 <<address>>: Recipient address rejected",
    );
  });
});
