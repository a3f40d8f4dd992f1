// `sro import` where a roster could silently lose or forge facts, as scripts run it (child
// processes, real PostgreSQL). This file: how an import runs: a file over 512 MiB
// (streamed), another import holding the lock, the audit event of every import.
import { open, readFile, rm, symlink } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename, join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ImportBusyError } from '../../src/roster/import.ts';
import { formatRosterError } from '../../src/roster/load.ts';
import { rosterSchema } from '../../src/roster/schema.ts';
import { MAX_ROSTER_FILE_BYTES, loadRoster } from '../oracle/roster-in-memory.ts';
import { databaseFingerprint, queryRows } from '../helpers/db.ts';
import { importRosterObject } from '../helpers/roster-import.ts';
import { spawnSro } from '../helpers/sro-cli.ts';
import { FIXTURES, countLines, importSafetyRig } from '../helpers/import-safety.ts';

const rig = importSafetyRig('import_safety_runs');
const { sro, resetToValid, csvFolder, count } = rig;

// Until issue 15 a roster file over 512 MiB was refused for its size: it was decoded into one
// string, and V8 holds none longer. `sro import` streams now (a 1,000,000-officer JSON roster
// is 751 MB), so no file is too large for it: a file is read for what it is, and its real
// problem reported. Only the test oracle's loadRoster (test/oracle/roster-in-memory.ts, the
// whole roster in memory) keeps the limit, since it still reads a file into one string.

describe('a roster file larger than 512 MiB', () => {
  /** `sro import ARGS` with its peak RSS in MB (VmHWM, sampled until it exits). */
  async function sroWithPeak(args: string[]): Promise<{ code: number | null; stderr: string; peakMb: number }> {
    const child = spawnSro(args, { DATABASE_URL: rig.database.url, QUEUE_PREFIX: rig.prefix }, 'ignore');
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let peakKb = 0;
    const timer = setInterval(() => {
      readFile(`/proc/${child.pid}/status`, 'utf8')
        .then((s) => (peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(s)?.[1] ?? 0))))
        .catch(() => undefined); // exited
    }, 20);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    clearInterval(timer);
    return { code, stderr, peakMb: peakKb / 1024 };
  }

  it('given a 513 MiB file of zeros (sparse) as the JSON roster or a CSV file through a link, then each is streamed and refused for what it is, quickly, in bounded memory, and nothing is written', async () => {
    const path = join(rig.scratch, 'huge.json');
    const size = 513 * 1024 * 1024 + 1;
    const fh = await open(path, 'w');
    try {
      await fh.write(Buffer.from(' '), 0, 1, size - 1);
    } finally {
      await fh.close();
    }
    try {
      const before = await databaseFingerprint(rig.database.url);
      const started = performance.now();
      const json = await sroWithPeak(['import', path]);
      expect(json.code, json.stderr).toBe(1);
      expect(json.stderr).toContain('error: huge.json: is not valid JSON: expected a value at line 1, column 1');
      expect(json.stderr).not.toContain('MiB');
      expect(json.peakMb).toBeLessThan(300); // the file alone is 513 MiB
      expect(await databaseFingerprint(rig.database.url)).toEqual(before);

      // The same for one file of a CSV folder, through a link: a CSV file of zeros has no line
      // break, and one record is never held beyond 1 MiB (csv-stream.ts MAX_CSV_RECORD_CHARS).
      const dir = await csvFolder(['contact_days.csv']);
      await symlink(path, join(dir, 'contact_days.csv'));
      const csv = await sroWithPeak(['import', dir]);
      expect(csv.code, csv.stderr).toBe(1);
      expect(csv.stderr).toContain(
        'error: contact_days.csv:1: is not valid CSV: a row runs past 1048576 characters without ending (a roster row is a few hundred); is this a CSV file?',
      );
      expect(csv.stderr).toContain('1 error; nothing was imported');
      expect(csv.peakMb).toBeLessThan(300);
      expect(await databaseFingerprint(rig.database.url)).toEqual(before);
      expect(performance.now() - started).toBeLessThan(30_000);

      // The oracle's loadRoster still reads a file into one string, and keeps the limit.
      const loaded = await loadRoster(path);
      expect(loaded.ok).toBe(false);
      if (!loaded.ok)
        expect(formatRosterError(loaded.errors[0]!)).toBe(
          `huge.json: is 513.0 MiB (${size} bytes); a roster file can be at most ${MAX_ROSTER_FILE_BYTES} bytes (just under 512 MiB, the longest text Node.js can hold); import the roster in parts (without --replace), or check that this is the right file`,
        );
    } finally {
      await rm(path, { force: true });
    }
  }, 60_000);
});

describe('another import holding the import lock', () => {
  /** A separate connection holding the import's advisory lock in an open transaction, as a running import does (see src/roster/import.ts). */
  async function holdImportLock(): Promise<{ pid: number; release: () => Promise<void> }> {
    const c = new pg.Client({ connectionString: rig.database.url, application_name: 'other-import' });
    await c.connect();
    await c.query('BEGIN');
    await c.query('SELECT pg_advisory_xact_lock(4626848, 2)');
    const pid = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    let released = false;
    return {
      pid,
      release: async () => {
        if (released) return;
        released = true;
        await c.query('ROLLBACK');
        await c.end();
      },
    };
  }

  it('given the lock held past the 30 s wait, then `sro import` says another import is running, without Prisma\u2019s excerpt, exits 3 and writes nothing', async () => {
    const holder = await holdImportLock();
    try {
      const before = await databaseFingerprint(rig.database.url);
      const r = await sro(['import', join(FIXTURES, 'changed.json')]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(
        new RegExp(
          `^error: another import is running \\(PostgreSQL process ${holder.pid}, application "other-import", from [^,]+, running for \\d+ s; waited 30 s for it\\); try again when it has finished\\. Nothing was imported$`,
          'm',
        ),
      );
      expect(r.stderr).not.toMatch(/invocation|prisma|\$transaction|Transaction already closed/i);
      expect(r.ms).toBeGreaterThanOrEqual(29_000);
      expect(await databaseFingerprint(rig.database.url)).toEqual(before);
    } finally {
      await holder.release();
    }
  }, 90_000);

  it('given the lock held for a few seconds, then the import waits for it and succeeds', async () => {
    const holder = await holdImportLock();
    const releasing = new Promise<void>((resolve, reject) =>
      setTimeout(() => holder.release().then(resolve, reject), 3_000),
    );
    try {
      const r = await sro(['import', join(FIXTURES, 'changed.json')]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.ms).toBeGreaterThanOrEqual(3_000);
      expect(countLines(r)).toContain('contactDays      created 1, updated 0, unchanged 3, deleted 0');
    } finally {
      await releasing;
    }
  }, 60_000);

  it('given lockWaitMs, then the import gives up after it with ImportBusyError naming the holder', async () => {
    const holder = await holdImportLock();
    try {
      const started = performance.now();
      const attempt = importRosterObject(rig.database.url, rosterSchema.parse({}), { replace: true, lockWaitMs: 500 });
      await expect(attempt).rejects.toThrow(ImportBusyError);
      await expect(attempt).rejects.toThrow(
        `another import is running (PostgreSQL process ${holder.pid}, application "other-import"`,
      );
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(await count('officer')).toBe(3);
    } finally {
      await holder.release();
    }
  });
});

describe('every import is audited (issue 14 item 6)', () => {
  const events = () =>
    queryRows<{ actor: string; action: string; license: string | null; before: unknown; after: unknown }>(
      rig.database.url,
      'SELECT actor, action, license, before, after FROM audit_event ORDER BY id',
    );

  it('given `sro import` and `sro import --replace`, then each appends one audit event by cli:USER with the counts; a dry run and a refused roster append none', async () => {
    await resetToValid();
    const before = (await events()).length;
    const dir = await csvFolder();
    const dry = await sro(['import', dir, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(await events()).toHaveLength(before);
    const refused = await sro(['import', join(FIXTURES, 'three-errors.json')]);
    expect(refused.code).toBe(1);
    expect(await events()).toHaveLength(before);

    const plain = await sro(['import', dir, '--json']);
    expect(plain.code, plain.stderr).toBe(0);
    const replace = await sro(['import', join(FIXTURES, 'valid.json'), '--replace']);
    expect(replace.code, replace.stderr).toBe(0);
    const added = (await events()).slice(before);
    const actor = `cli:${userInfo().username}`;
    const counts = (JSON.parse(plain.stdout) as { counts: Record<string, unknown> }).counts;
    expect(added).toEqual([
      { actor, action: 'import', license: null, before: null, after: { path: basename(dir), counts, replace: false } },
      {
        actor,
        action: 'import.replace',
        license: null,
        before: null,
        after: { path: 'valid.json', counts: expect.objectContaining({ officers: expect.any(Object) }), replace: true },
      },
    ]);
  });
});
