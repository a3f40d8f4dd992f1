// `sro demo` end to end (child process): leaves a readable e-mail in the outbox for every
// alert kind the demo roster triggers, and says where; works in the database DATABASE_URL
// names, so the `sro report` it prints (and `sro report` in the same environment) reads it.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { simpleParser } from 'mailparser';
import pg from 'pg';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/db/migrate.ts';
import { adminUrl, databaseUrlFor } from '../helpers/db.ts';
import { TEST_REDIS_URL, deletePrefix, uniquePrefix } from '../helpers/redis.ts';

const name = `sro_test_democmd_${randomBytes(4).toString('hex')}`;
const prefix = uniquePrefix('demo');
/** The queue prefix a demo on `name` derives when QUEUE_PREFIX is not set. */
const derivedPrefix = `sro-demo-${name}`;
const outboxes: string[] = [];
let outbox = '';
let demoStdout = '';

type Run = { code: number; stdout: string; stderr: string };

function run(file: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) =>
    execFile(
      file,
      args,
      { cwd: projectRoot, timeout: 120_000, env: { PATH: process.env.PATH ?? '', ...env } },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

const sro = (args: string[], env: Record<string, string>) =>
  run(process.execPath, [join(projectRoot, 'bin', 'sro.js'), ...args], env);

afterAll(async () => {
  const c = new pg.Client({ connectionString: adminUrl() });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await c.end();
  await deletePrefix(prefix);
  await deletePrefix(derivedPrefix);
  for (const dir of outboxes) await rm(dir, { recursive: true, force: true });
});

describe('sro demo', () => {
  it('given a fresh server, writes an e-mail for every alert kind to the outbox and prints where to look', async () => {
    outbox = await mkdtemp(join(tmpdir(), 'sro-outbox-'));
    outboxes.push(outbox);
    const { code, stdout } = await sro(['demo', '--as-of', '2026-11-23'], {
      DATABASE_URL: databaseUrlFor(name),
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      MAIL_OUTBOX_DIR: outbox,
    });
    demoStdout = stdout;
    expect(code).toBe(0);
    expect(stdout).toContain(join(outbox, 'index.html'));
    const files = (await readdir(outbox)).filter((f) => f.endsWith('.eml'));
    const kinds = new Set<string>();
    for (const f of files) {
      const raw = await readFile(join(outbox, f), 'utf8');
      // Header names are case-insensitive (RFC 5322 1.2.2); nodemailer writes X-Sro-Alert-Kind.
      const kind = /^X-SRO-Alert-Kind: (\S+)/im.exec(raw)?.[1];
      if (kind) kinds.add(kind);
      expect(raw).toMatch(/Content-Type: text\/plain/);
      expect(raw).toMatch(/Content-Type: text\/html/);
    }
    expect([...kinds].sort()).toEqual(
      [
        'CERTIFICATE_MISSING',
        'DEADLINE_MISSED',
        'DEADLINE_REMINDER',
        'POLICY_REVIEW_MISSING',
        'RESOLVED',
        'SUBSTITUTE_NEARING_LIMIT',
        'WEEKLY_DIGEST',
      ].sort(),
    );
    const index = await readFile(join(outbox, 'index.html'), 'utf8');
    expect(index).toContain(`${files.length} e-mails`);
  }, 120_000);

  it("then index.html links each e-mail's HTML part, written beside its .eml, and names every kind in words", async () => {
    const index = await readFile(join(outbox, 'index.html'), 'utf8');
    const all = await readdir(outbox);
    const emls = all.filter((f) => f.endsWith('.eml'));
    expect(emls.length).toBeGreaterThan(0);
    for (const eml of emls) {
      const html = eml.replace(/\.eml$/, '.html');
      expect(all).toContain(html);
      expect(index).toContain(`href="${html}"`);
      expect(index).toContain(`href="${eml}"`);
      const parsed = await simpleParser(await readFile(join(outbox, eml)));
      expect(await readFile(join(outbox, html), 'utf8')).toBe(parsed.html);
    }
    const shown = [...index.matchAll(/<tr><td>[^<]*<\/td><td>([^<]*)<\/td>/g)].map((m) => m[1] as string);
    expect(shown).toHaveLength(emls.length);
    expect([...new Set(shown.map((k) => k.replace(/ \(level \d\)$/, '')))].sort()).toEqual(
      [
        'Certificate missing',
        'Deadline missed',
        'Deadline reminder',
        'Policy review missing',
        'Resolved',
        'Substitute nearing the 60-day limit',
        'Weekly digest',
      ].sort(),
    );
    // Every escalation says its level; the demo's history reaches more than one.
    const missed = shown.filter((k) => k.startsWith('Deadline missed'));
    expect(missed.every((k) => /^Deadline missed \(level [1-3]\)$/.test(k))).toBe(true);
    expect(new Set(missed).size).toBeGreaterThan(1);
    expect(index).not.toMatch(
      /DEADLINE_|SUBSTITUTE_NEARING_LIMIT|CERTIFICATE_MISSING|POLICY_REVIEW_MISSING|WEEKLY_DIGEST|>RESOLVED</,
    );
  });

  it('then the sro report command it printed reads the demo database (exit 0), as does sro report in the same environment', async () => {
    const printed = /^Report: +(.+)$/m.exec(demoStdout)?.[1];
    expect(printed).toBe(`DATABASE_URL=${databaseUrlFor(name)} npx sro report --as-of 2026-11-23`);
    // Run as printed, by a shell, with nothing else in the environment naming a database.
    const asPrinted = await run('/bin/sh', ['-c', printed as string], {});
    expect(asPrinted.code, asPrinted.stderr).toBe(0);
    expect(asPrinted.stdout).toMatch(/^Status as of 2026-11-23: /);
    const sameEnv = await sro(['report', '--as-of', '2026-11-23'], {
      DATABASE_URL: databaseUrlFor(name),
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
    });
    expect(sameEnv.code, sameEnv.stderr).toBe(0);
    expect(sameEnv.stdout).toBe(asPrinted.stdout);
  }, 60_000);

  it('given no QUEUE_PREFIX, then its queues are under sro-demo-<database>, not a prefix every demo shares', async () => {
    const second = await mkdtemp(join(tmpdir(), 'sro-outbox-'));
    outboxes.push(second);
    const r = await sro(['demo', '--as-of', '2026-11-23'], {
      DATABASE_URL: databaseUrlFor(name),
      REDIS_URL: TEST_REDIS_URL,
      MAIL_OUTBOX_DIR: second,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`1/4 migrating the demo database ${name} (queue prefix ${derivedPrefix})`);
    const redis = new Redis(TEST_REDIS_URL);
    try {
      let [cursor, found] = ['0', 0];
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${derivedPrefix}:*`, 'COUNT', 10_000);
        [cursor, found] = [next, found + keys.length];
      } while (cursor !== '0' && found === 0);
      expect(found).toBeGreaterThan(0);
    } finally {
      redis.disconnect();
    }
  }, 120_000);
});
