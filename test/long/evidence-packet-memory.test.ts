// The evidence packet streams (INTERFACE.md "Reports for the board and the auditor"): a packet
// of 200 certificate files of 1 MiB each (200 MiB) is written by `sro evidence` with a peak
// resident set size within 64 MiB of the same scope's `sro report --format pdf` (no
// certificates), measured in the child processes themselves (getrusage), so nothing holds the
// packet or its certificates whole.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withClient } from '../../support/postgres.ts';
import { projectRoot } from '../../src/db/migrate.ts';
import type { TestDatabase } from '../helpers/db.ts';
import { deletePrefix, uniquePrefix } from '../helpers/redis.ts';
import { createRosterDatabase } from '../helpers/roster-database.ts';
import { runSro } from '../helpers/sro-cli.ts';

const prefix = uniquePrefix('rptmem');
const FILES = 200;
const MIB = 1024 * 1024;
let t: TestDatabase;
let dir = '';

/** Runs `sro args` and answers its peak RSS in bytes. */
async function peakRss(args: string[]): Promise<number> {
  const file = join(dir, `rss-${args[0]}`);
  const r = await runSro(
    args,
    { NODE_OPTIONS: `--import ${join(projectRoot, 'bench', 'peak-rss.mjs')}`, PEAK_RSS_FILE: file },
    { base: { DATABASE_URL: t.url, QUEUE_PREFIX: prefix, TZ: 'America/Chicago' }, timeout: 300_000 },
  );
  expect(r.code, r.stderr).toBe(0);
  return Number(await readFile(file, 'utf8'));
}

beforeAll(async () => {
  t = await createRosterDatabase('rptmem');
  dir = await mkdtemp(join(tmpdir(), 'sro-rptmem-'));
  // 200 supplemental courses of officer 24101, each with a certificate file of its own.
  await withClient(t.url, async (c) => {
    for (let i = 0; i < FILES; i++) {
      const file = randomBytes(MIB);
      const sha = createHash('sha256').update(file).digest();
      await c.query(
        `INSERT INTO certificate (sha256, content_type, size, bytes) VALUES ($1, 'application/pdf', $2, $3)`,
        [sha, file.length, file],
      );
      await c.query(
        `INSERT INTO training (license, kind, completed_on, certificate_sha256, source, recorded_by, recorded_at)
         VALUES ('24101', 'SRO_SUPPLEMENTAL', DATE '2001-01-01' + $1::int, $2, 'CONSOLE', 'test@example', now())`,
        [i, sha],
      );
    }
  });
}, 240_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await t?.drop();
  await deletePrefix(prefix);
});

describe('the evidence packet in bounded memory', () => {
  it(
    '200 certificates of 1 MiB: the packet holds them all, with a peak RSS within 64 MiB of the PDF alone',
    { timeout: 600_000 },
    async () => {
      const scope = ['--agency', 'MN0240100', '--as-of', '2026-03-02'];
      const floor = await peakRss(['report', '--format', 'pdf', '--output', join(dir, 'report.pdf'), ...scope]);
      const packet = join(dir, 'packet.zip');
      const peak = await peakRss(['evidence', '--output', packet, ...scope]);
      const size = (await stat(packet)).size;
      console.log(
        `evidence packet of ${FILES} certificates (${(size / MIB).toFixed(1)} MiB): peak RSS ${(peak / MIB).toFixed(1)} MiB; ` +
          `sro report --format pdf of the same scope: ${(floor / MIB).toFixed(1)} MiB`,
      );
      expect(size).toBeGreaterThan(FILES * MIB);
      expect(peak).toBeLessThan(floor + 64 * MIB);
    },
  );
});
