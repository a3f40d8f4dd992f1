// Keeps the status snapshot current (src/db/status-snapshot.ts): `sro web` checks every
// few seconds whether the day or the roster version moved on since the snapshot was taken,
// and if so one replica (an advisory lock) re-evaluates every officer from one consistent
// read of the roster and replaces the snapshot in one transaction. Memory holds one batch.
import type pg from 'pg';
import type { CivilDate } from '../domain/civil-date.ts';
import { urgencyRank } from '../domain/report.ts';
import type { RulesConfig } from '../domain/types.ts';
import { readDirectory } from '../db/officer-reader.ts';
import { openSnapshot } from '../db/snapshot.ts';
import { readLastAlerts } from '../db/ledger.ts';
import {
  readRosterVersion,
  type SnapshotCursor,
  openSnapshotCursor,
  readSnapshotMeta,
  tryLockSnapshot,
  unlockSnapshot,
  writeStatusSnapshot,
} from '../db/status-snapshot.ts';
import { endOfCivilDay } from '../shell/clock.ts';
import type { Logger } from '../shell/log.ts';
import { type OfficerReportWithDelivery, reportBatches } from './status-report.ts';

/** Re-evaluates every officer as of `asOf` into the snapshot; null when another process is at it. */
export async function refreshStatusSnapshot(
  pool: pg.Pool,
  asOf: CivilDate,
  rules: RulesConfig,
): Promise<{ officers: number; rosterVersion: string } | null> {
  const lock = await pool.connect();
  try {
    if (!(await tryLockSnapshot(lock))) return null;
    try {
      const snap = await openSnapshot(pool, 2);
      const writer = await pool.connect().catch(async (e) => {
        await snap.release();
        throw e;
      });
      try {
        const rosterVersion = await readRosterVersion(snap);
        const directory = await readDirectory(snap);
        const rows = (async function* () {
          for await (const lines of reportBatches(snap, directory, asOf, rules, {}))
            yield lines.map((l) => {
              const { lastAlert: _alert, ...report } = l.officer;
              return { report, districtIds: l.districtIds, rank: urgencyRank(report.status) };
            });
        })();
        const officers = await writeStatusSnapshot(writer, { asOf, rosterVersion }, rows);
        return { officers, rosterVersion };
      } finally {
        writer.release();
        await snap.release();
      }
    } finally {
      await unlockSnapshot(lock).catch(() => undefined);
    }
  } finally {
    lock.release();
  }
}

/**
 * Every officer of the snapshot by urgency, in batches, each with the last alert sent by the
 * end of `asOf` in `timeZone` (as `sro report --as-of` shows it). The alerts are read on the
 * connection that holds the snapshot's cursor: one connection per stream, whatever the load.
 * Opened before anything is answered: ServiceBusy when no connection is free in time.
 */
export function openSnapshotWithLastAlerts(
  pool: pg.Pool,
  asOf: CivilDate,
  timeZone: string,
): Promise<SnapshotCursor<OfficerReportWithDelivery[]>> {
  const sentBefore = endOfCivilDay(asOf, timeZone);
  const all = { status: null, agency: null, district: null, search: null };
  return openSnapshotCursor(pool, all, async (q, reports) => {
    const last = await readLastAlerts(
      q,
      reports.map((r) => r.license),
      sentBefore,
    );
    return reports.map((r) => ({ ...r, lastAlert: last.get(r.license) ?? null }));
  });
}

/** Whether the snapshot is of `asOf` and of the roster as it is now. */
export async function snapshotIsCurrent(pool: pg.Pool, asOf: CivilDate): Promise<boolean> {
  const [meta, version] = await Promise.all([readSnapshotMeta(pool), readRosterVersion(pool)]);
  return meta.asOf === asOf && meta.rosterVersion === version;
}

export interface SnapshotKeeper {
  /** Checks now (and refreshes if stale); resolves when done. */
  check(): Promise<void>;
  stop(): Promise<void>;
}

/** Checks every `intervalMs` that the snapshot is of today and of the current roster; refreshes it when not. */
export function keepStatusSnapshot(deps: {
  pool: pg.Pool;
  rules: RulesConfig;
  today: () => CivilDate;
  log: Logger;
  intervalMs: number;
}): SnapshotKeeper {
  let running: Promise<void> | null = null;
  let stopped = false;
  const check = () => {
    if (running) return running;
    running = (async () => {
      try {
        const asOf = deps.today();
        if (await snapshotIsCurrent(deps.pool, asOf)) return;
        const started = performance.now();
        const done = await refreshStatusSnapshot(deps.pool, asOf, deps.rules);
        if (done)
          deps.log.info('status snapshot refreshed', {
            asOf,
            officers: done.officers,
            rosterVersion: done.rosterVersion,
            seconds: Math.round((performance.now() - started) / 100) / 10,
          });
      } catch (e) {
        if (!stopped) deps.log.warn('status snapshot refresh failed; the next check retries', { err: e as Error });
      } finally {
        running = null;
      }
    })();
    return running;
  };
  const timer = setInterval(() => void check(), deps.intervalMs);
  timer.unref();
  return {
    check,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
