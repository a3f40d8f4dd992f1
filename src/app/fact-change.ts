// The shell around every change made in the console (RULES.md 7; acknowledgements RULES.md 6):
// who may (asked of the policy module, never decided here), validation in the roster's own
// field schemas, one transaction per change with its audit event, and then the officer
// re-evaluated at once: a scan job limited to the officer, with an id derived from the change,
// so what is owed (RESOLVED, a reminder no longer due superseded) goes out through the queue
// and the ledger within a minute, exactly once.
import type pg from 'pg';
import type { z } from 'zod';
import { inTransaction } from '../db/transaction.ts';
import type { CivilDate } from '../domain/civil-date.ts';
import type { RulesConfig } from '../domain/types.ts';
import type { AuditActor } from '../db/audit.ts';
import { lockRosterVersion, replaceSnapshotRow } from '../db/console-facts.ts';
import { readDirectory } from '../db/officer-reader.ts';
import { type OfficerSubjectRow, readOfficerSubject } from '../db/officer-subject.ts';
import { urgencyRank } from '../domain/report.ts';
import { reportBatches } from './status-report.ts';
import type { Logger } from '../shell/log.ts';
import type { WorkQueue } from './ports.ts';
import { type Action, type Subjects, type Viewer, can, refusalOf } from './policy.ts';
import { type FieldProblem, NotAllowed, NotFound } from '../errors.ts';

export interface RecordDeps {
  pool: pg.Pool;
  work: Pick<WorkQueue, 'officerScan'>;
  rules: RulesConfig;
  log: Logger;
}

/** Who is recording, from where, and today in TZ (the shell reads the clock). */
export interface Recorder {
  viewer: Viewer;
  actor: AuditActor;
  today: CivilDate;
  /** The officer as the request's scope check read them (read again when absent or of another license). */
  officer?: OfficerSubjectRow | null;
}

/** Refuses unless the policy module allows `action` (NotAllowed, with why, in the asker's words). */
export function authorize<A extends Action>(v: Viewer, action: A, subject: Subjects[A]): void {
  if (!can(v, action, subject)) throw new NotAllowed(refusalOf(action, subject));
}

// ---- Validation (the roster's own field schemas, src/roster/schema.ts) ----

export function problemsOf(error: z.ZodError, rename: Record<string, string> = {}): FieldProblem[] {
  return error.issues.map((i) => {
    const path = i.path.map(String).join('.');
    return { field: rename[path] ?? (path || '(body)'), problem: i.message };
  });
}

export const notAfterToday = (field: string, d: string | null, today: CivilDate): FieldProblem[] =>
  d !== null && d > today ? [{ field, problem: `${d} is after today (${today})` }] : [];

export function optionalText(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  const s = String(v).trim();
  return s === '' ? null : s;
}

// ---- The shell around every change ----

/**
 * One change's transaction: roster_version locked first (so the status snapshot's label is
 * read before anything moves), then the work. When the snapshot was current before it (of
 * today, of the roster version the change started from), the officer's row of it is then
 * replaced, so an admin's snapshot view shows the change at once instead of after a refresh
 * of everyone.
 */
export async function inChange<T>(
  deps: RecordDeps,
  license: string,
  today: CivilDate,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const { out, before, after } = await inTransaction(deps.pool, async (client) => {
    const before = await lockRosterVersion(client);
    const out = await work(client);
    return { out, before, after: (await lockRosterVersion(client)).version };
  });
  await followChange(deps, license, today, before, after);
  return out;
}

/**
 * After a committed change of one officer (roster_version `before` → `after`): when the status
 * snapshot was current before it, the officer's row of it is replaced (see inChange).
 */
export async function followChange(
  deps: RecordDeps,
  license: string,
  today: CivilDate,
  before: { version: string; snapshotAsOf: string | null; snapshotVersion: string | null },
  after: string,
): Promise<void> {
  if (before.snapshotAsOf === today && before.snapshotVersion === before.version && after !== before.version)
    await followInSnapshot(deps, license, today, { from: before.version, to: after }).catch((e: Error) =>
      deps.log.warn('could not bring the status snapshot up to date after a change; the next refresh will', {
        license,
        error: e.message,
      }),
    );
}

/**
 * Replaces the officer's row of the status snapshot, evaluated on the committed roster of
 * version `to`, provided nothing else changed since `from` (the snapshot's label): else the
 * snapshot keeper's refresh takes over, as for any roster change.
 */
async function followInSnapshot(
  deps: RecordDeps,
  license: string,
  today: CivilDate,
  versions: { from: string; to: string },
): Promise<void> {
  const rows: Parameters<typeof replaceSnapshotRow>[1][] = [];
  for await (const lines of reportBatches(deps.pool, await readDirectory(deps.pool), today, deps.rules, {
    licenses: [license],
  }))
    for (const l of lines) {
      const { lastAlert: _alert, ...report } = l.officer;
      rows.push({ report, districtIds: l.districtIds, rank: urgencyRank(report.status) });
    }
  await inTransaction(deps.pool, async (client) => {
    const now = await lockRosterVersion(client);
    if (now.version !== versions.to || now.snapshotAsOf !== today || now.snapshotVersion !== versions.from) return;
    for (const row of rows) await replaceSnapshotRow(client, row);
  });
}

/** The officer the change is about: the one the request's scope check read, else read now. */
export async function officerContext(pool: pg.Pool, who: Recorder, license: string): Promise<OfficerSubjectRow> {
  const o = who.officer?.license === license ? who.officer : await readOfficerSubject(pool, license, who.today);
  if (!o) throw new NotFound('not found');
  return o;
}

/**
 * RULES.md 7 "re-evaluated at once": a scan of this officer as of today, through the scan
 * queue and the ledger (whose keys make every send exactly-once). The job id is derived from
 * the change, so a change enqueued twice is one job. A failure to enqueue does not undo the
 * change: it is logged, and the next daily scan catches up.
 */
export async function reevaluateOfficer(
  deps: RecordDeps,
  license: string,
  changeId: string,
  today: CivilDate,
): Promise<string | null> {
  try {
    return await deps.work.officerScan(today, license, changeId);
  } catch (e) {
    deps.log.warn('could not enqueue the re-evaluation of an officer; the daily scan will catch up', {
      license,
      changeId,
      error: (e as Error).message,
    });
    return null;
  }
}
