// `sro demo` end to end (child process): leaves a readable e-mail in the outbox for every
// alert kind the demo roster triggers, and says where.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/db/migrate.ts';
import { adminUrl, databaseUrlFor } from '../helpers/db.ts';
import { TEST_REDIS_URL, deletePrefix, uniquePrefix } from '../helpers/redis.ts';

const name = `sro_test_democmd_${randomBytes(4).toString('hex')}`;
const prefix = uniquePrefix('demo');
let outbox = '';

afterAll(async () => {
  const c = new pg.Client({ connectionString: adminUrl() });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS "${name}_demo" WITH (FORCE)`);
  await c.end();
  await deletePrefix(`${prefix}-demo`);
  if (outbox) await rm(outbox, { recursive: true, force: true });
});

describe('sro demo', () => {
  it('given a fresh server, writes an e-mail for every alert kind to the outbox and prints where to look', async () => {
    outbox = await mkdtemp(join(tmpdir(), 'sro-outbox-'));
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile(
        process.execPath,
        [join(projectRoot, 'bin', 'sro.js'), 'demo', '--as-of', '2026-11-23'],
        { cwd: projectRoot, timeout: 120_000, env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrlFor(name), REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, MAIL_OUTBOX_DIR: outbox } },
        (error, out) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout: out }),
      ),
    );
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
      ['CERTIFICATE_MISSING', 'DEADLINE_MISSED', 'DEADLINE_REMINDER', 'POLICY_REVIEW_MISSING', 'RESOLVED', 'SUBSTITUTE_NEARING_LIMIT', 'WEEKLY_DIGEST'].sort(),
    );
    const index = await readFile(join(outbox, 'index.html'), 'utf8');
    expect(index).toContain(`${files.length} e-mail(s)`);
  }, 120_000);
});
