// An import whose input stops in the middle (issue 19, security 6): the console abandons a
// request whose body stops arriving by destroying its stream with InputStalled, and a roster
// file can fail to read half-way (the disk). Whatever the import had started is rolled back,
// the COPY it had open is failed first (a ROLLBACK queued behind an open COPY never runs, and
// the transaction would hold the import lock for the life of the process), the error keeps
// its class for the caller, and the next import takes the lock at once.
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputStalled } from '../../src/errors.ts';
import { RosterUpload } from '../../src/app/import-upload.ts';
import type { SqlSession } from '../../src/db/import-staging.ts';
import { type RosterFeed, importFeed } from '../../src/roster/import.ts';
import { openRosterFeed } from '../../src/roster/load.ts';
import { type TestDatabase, createTestDatabase, databaseFingerprint, queryRows } from '../helpers/db.ts';

const VALID_CSV = join(import.meta.dirname, '..', 'fixtures', 'rosters', 'valid-csv');
const BOUND_MS = 10_000;

let t: TestDatabase;
let tmp: string;

beforeAll(async () => {
  t = await createTestDatabase('input_stalls');
  tmp = await mkdtemp(join(tmpdir(), 'sro-input-stalls-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
  await t?.drop();
});

async function feedOf(path: string): Promise<RosterFeed> {
  const opened = await openRosterFeed(path);
  if (!opened.ok) throw new Error(JSON.stringify(opened.errors));
  return opened.feed;
}

/** Sessions of the test database doing anything, or idle inside a transaction. */
async function busySessions(): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    t.url,
    `SELECT count(*)::int AS n FROM pg_stat_activity
     WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'`,
  );
  return row!.n;
}

/** Settles within `ms`, or rejects saying so (a hang is the failure these tests look for). */
function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running after ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * The folder's feed, whose input fails with `cause` once `afterRows` rows of officers.csv are
 * staged: the COPY into the officers' staging table is open, rows in it, when it stops.
 */
async function failingMidFile(afterRows: number, cause: Error): Promise<RosterFeed> {
  const real = await feedOf(VALID_CSV);
  return {
    ...real,
    stage: (ctx) => {
      const session: SqlSession = {
        ...ctx.session,
        stage(table) {
          const w = ctx.session.stage(table);
          if (table.name !== 'stage_officer') return w;
          let rows = 0;
          return {
            ...w,
            add(values) {
              if (rows++ === afterRows) throw cause;
              return w.add(values);
            },
          };
        },
      };
      return real.stage({ ...ctx, session });
    },
  };
}

describe('an import whose input stops in the middle of a file', () => {
  it.each([
    ['the console abandons a stalled upload (InputStalled)', new InputStalled('the upload stopped arriving')],
    ['a read error of the disk (EIO)', Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' })],
  ])('%s: the import rejects at once, rolls back, and the next import takes the lock', async (_name, cause) => {
    const before = await databaseFingerprint(t.url);
    const outcome = await within(
      BOUND_MS,
      importFeed(t.url, await failingMidFile(1, cause), { replace: false, lockWaitMs: 0 }).catch((e: unknown) => e),
    );
    // The app's own error keeps its class (the console answers 408 for it); a disk error is the import's failure.
    if (cause instanceof InputStalled) expect(outcome).toBe(cause);
    else expect(String(outcome)).toMatch(/the roster import failed and was rolled back: EIO/);
    expect(await databaseFingerprint(t.url)).toEqual(before);
    expect(await busySessions()).toBe(0);
    const next = await within(BOUND_MS, importFeed(t.url, await feedOf(VALID_CSV), { replace: false, lockWaitMs: 0 }));
    expect(next.ok).toBe(true);
  });

  it('a feed that fails with the COPY just opened (no row yet) is rolled back the same way', async () => {
    const stalled = new InputStalled('the upload stopped arriving');
    const real = await feedOf(VALID_CSV);
    const feed: RosterFeed = {
      ...real,
      async stage(ctx) {
        ctx.session.stage({ name: 'stage_officer', columns: [['r', 'int']] });
        throw stalled;
      },
    };
    expect(
      await within(
        BOUND_MS,
        importFeed(t.url, feed, { replace: false, lockWaitMs: 0 }).catch((e) => e),
      ),
    ).toBe(stalled);
    expect(await busySessions()).toBe(0);
    expect((await within(BOUND_MS, importFeed(t.url, real, { replace: false, lockWaitMs: 0 }))).ok).toBe(true);
  });
});

describe('an uploaded file whose stream is destroyed half-way (the console gives up on a stalled body)', () => {
  it('add() rejects with the stream’s InputStalled, nothing is imported, and remove() leaves no upload folder', async () => {
    const before = await databaseFingerprint(t.url);
    const upload = await RosterUpload.create();
    const stalled = new InputStalled('the upload stopped arriving');
    const body = new Readable({ read() {} });
    body.push('license,first_name,last_name,email,agency_id\n12345,Dana,Ol');
    setTimeout(() => body.destroy(stalled), 50);
    expect(
      await within(
        BOUND_MS,
        upload.add('officers.csv', 'roster', body).catch((e: unknown) => e),
      ),
    ).toBe(stalled);
    await upload.remove();
    expect((await readdir(tmpdir())).filter((n) => upload.dir.endsWith(n))).toEqual([]);
    expect(await databaseFingerprint(t.url)).toEqual(before);
    // The lock was never taken: an import right after runs without waiting.
    const folder = join(tmp, 'after-stall');
    await cp(VALID_CSV, folder, { recursive: true });
    expect(
      (await within(BOUND_MS, importFeed(t.url, await feedOf(folder), { replace: false, lockWaitMs: 0 }))).ok,
    ).toBe(true);
  });
});
