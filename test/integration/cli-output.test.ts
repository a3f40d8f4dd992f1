// A reader that closes stdout early (`sro … | head`, `sro … | true`) ends any command
// quietly: exit 0, nothing on stderr (real `sro` child processes, real PostgreSQL).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../helpers/db.ts';
import { deletePrefix, uniquePrefix } from '../helpers/redis.ts';
import { createRosterDatabase } from '../helpers/roster-database.ts';
import { spawnSro } from '../helpers/sro-cli.ts';

const prefix = uniquePrefix('cliout');
let t: TestDatabase;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `sro args`. closeStdout 'at-once' closes the read end of its stdout pipe right after
 * the spawn, before the command can have written anything (as `sro … | true`). Closing it in
 * the middle of a long output is in report-scale.test.ts (the demo roster's fits one write).
 */
function sro(args: string[], options: { env?: Record<string, string>; closeStdout?: 'at-once' } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawnSro(args, { DATABASE_URL: t.url, QUEUE_PREFIX: prefix, ...options.env });
    let stdout = '';
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    if (options.closeStdout === 'at-once') child.stdout!.destroy();
    else {
      child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  t = await createRosterDatabase('cliout');
});
afterAll(async () => {
  await deletePrefix(prefix);
  await t?.drop();
});

describe('a closed stdout pipe (sro … | head)', () => {
  // Before the fix each of these ended with "Error: write EPIPE" and its stack on stderr, exit 1.
  for (const args of [
    ['report', '--as-of', '2026-03-02'],
    ['report', '--as-of', '2026-03-02', '--json'],
    ['scan', '--as-of', '2026-03-02', '--dry-run'],
    ['alerts', '--json'],
    ['--help'],
  ]) {
    it(`sro ${args.join(' ')} into a pipe closed before its first byte exits 0 with nothing on stderr`, async () => {
      const r = await sro(args, { closeStdout: 'at-once' });
      expect(r.stderr).toBe('');
      expect(r.signal).toBeNull();
      expect(r.code).toBe(0);
    });
  }

  it('the same commands still print everything to a reader that reads to the end', async () => {
    const r = await sro(['report', '--as-of', '2026-03-02']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Status as of 2026-03-02: \d+ officers/);
  });
});
