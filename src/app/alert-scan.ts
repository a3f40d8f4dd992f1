// The scan (RULES.md 5): every officer, in batches, → status → alerts due → ledger rows →
// one send job per (alert, recipient). Set-based: per batch one ledger read, one INSERT,
// one addBulk. Re-enqueues every PENDING row of the batch too, so work lost from Redis
// (FLUSHALL, a lost job) is re-derived from the ledger.
import type pg from 'pg';
import type { CivilDate } from '../domain/civil-date.ts';
import type { Alert } from '../domain/alert-types.ts';
import {
  type AlertConfig,
  NO_CONTACT_RECIPIENT,
  type PlannedAlert,
  isStillDue,
  ledgerKey,
  planAlerts,
} from '../domain/alerts.ts';
import { officerEvaluator } from '../domain/status.ts';
import type { OfficerStatus, RulesConfig } from '../domain/types.ts';
import { readDirectory, readOfficerBatches } from '../db/officer-reader.ts';
import { openSnapshot } from '../db/snapshot.ts';
import { type LedgerRowInput, closeGaps, markRequeued, insertLedgerRows, readLedgerFacts } from '../db/ledger.ts';
import type { WorkQueue } from './ports.ts';

export interface ScanOptions {
  asOf: CivilDate;
  rules: RulesConfig;
  alerts: AlertConfig;
  /** Where the owed e-mails go; null: dry run (compute only; write nothing, enqueue nothing). */
  work: Pick<WorkQueue, 'sendAlerts'> | null;
  batchSize?: number;
  afterLicense?: string | null;
  throughLicense?: string | null;
  /** Only these officers (the re-evaluation of one officer after a console change). */
  licenses?: readonly string[] | null;
  /** The run (scan job id) the ledger rows are written for: `sro scan` counts its own rows. */
  runId?: string | null;
  /**
   * Today, when the scan is of a day before it (a replay, a backfill): each alert is marked
   * `staleToday` when today's state makes it stale (RULES.md 5 "Never stale").
   */
  today?: CivilDate | null;
  /** With `today`: send only the alerts not stale today; record the others SUPERSEDED with the reason. */
  skipStale?: boolean;
}

/** An alert as the scan reports it: the recipients by address. */
export interface ScanAlertOutput extends Pick<
  Alert,
  'license' | 'dueDate' | 'lead' | 'level' | 'threshold' | 'schoolYear' | 'key'
> {
  kind: string;
  recipients: string[];
  /** Addresses the rules name but that are not on file (NO_CONTACT_ON_FILE). */
  noContactOnFile?: string[];
  /** The scan is of a past day and today's state makes this alert stale (a deadline met since, …). */
  staleToday: boolean;
}

export interface ScanSummary {
  asOf: CivilDate;
  officers: number;
  /** Alerts due now (one per alert, any number of recipients). */
  alerts: number;
  /** Ledger rows written: PENDING (to send), SUPERSEDED, FAILED (no contact on file). */
  pendingRows: number;
  supersededRows: number;
  noContactRows: number;
  /** Alerts of a past day that today's state makes stale (`--skip-stale` records them SUPERSEDED). */
  staleAlerts: number;
  /** Send jobs handed to the queue (new and re-enqueued PENDING rows). */
  enqueued: number;
}

const emptySummary = (asOf: CivilDate): ScanSummary => ({
  asOf,
  officers: 0,
  alerts: 0,
  pendingRows: 0,
  supersededRows: 0,
  noContactRows: 0,
  staleAlerts: 0,
  enqueued: 0,
});

function ledgerRowsFor(
  alert: PlannedAlert,
  asOf: CivilDate,
  status: 'PENDING' | 'SUPERSEDED',
  runId: string | null = null,
  reason: string | null = null,
): LedgerRowInput[] {
  const base = {
    alertKey: alert.key,
    kind: alert.kind,
    license: alert.license,
    dueDate: alert.dueDate,
    lead: alert.lead,
    level: alert.level,
    threshold: alert.threshold,
    schoolYear: alert.schoolYear,
    obligation: alert.obligation ?? null,
    correctedFrom: alert.correctedFrom ?? null,
    asOf,
    runId,
  };
  const rows: LedgerRowInput[] = alert.recipients.map((r) => ({
    ...base,
    key: ledgerKey(alert.key, r.email),
    recipient: r.email,
    status,
    lastError: reason,
  }));
  if (alert.missing.length > 0) {
    // NO_CONTACT_ON_FILE: never a silent drop; the gap is on the audit trail.
    rows.push({
      ...base,
      key: ledgerKey(alert.key, NO_CONTACT_RECIPIENT),
      recipient: NO_CONTACT_RECIPIENT,
      status: status === 'PENDING' ? 'FAILED' : 'SUPERSEDED',
      lastError: `NO_CONTACT_ON_FILE: ${alert.missing.join('; ')}`,
    });
  }
  return rows;
}

function toScanOutput(a: PlannedAlert, staleToday = false): ScanAlertOutput {
  const out: ScanAlertOutput = {
    kind: a.kind,
    license: a.license,
    dueDate: a.dueDate,
    lead: a.lead,
    level: a.level,
    threshold: a.threshold,
    schoolYear: a.schoolYear,
    recipients: a.recipients.map((r) => r.email),
    key: a.key,
    staleToday,
  };
  if (a.missing.length) out.noContactOnFile = [...a.missing];
  return out;
}

export async function runScan(
  pool: pg.Pool,
  options: ScanOptions,
  onAlert?: (a: ScanAlertOutput) => void,
): Promise<ScanSummary> {
  const { asOf, work } = options;
  const runId = options.runId ?? null;
  const summary = emptySummary(asOf);
  const evaluate = officerEvaluator(asOf, options.rules);
  // A replay of a past day: what today's state makes stale (RULES.md 5 "Never stale").
  const today = options.today != null && options.today > asOf ? options.today : null;
  const evaluateToday = today ? officerEvaluator(today, options.rules) : null;
  const skipStale = today !== null && options.skipStale === true;
  // The directory and every batch from one snapshot: an import committing meanwhile is
  // seen whole or not at all (the ledger is read and written outside it, as it is now).
  const snapshot = await openSnapshot(pool);
  // One batch's ledger writes and enqueue run while the next batch is read and planned
  // (they touch disjoint license ranges); at most one is in flight.
  let writing: Promise<void> | null = null;
  try {
    const directory = await readDirectory(snapshot);
    for await (const batch of readOfficerBatches(snapshot, {
      batchSize: options.batchSize,
      afterLicense: options.afterLicense,
      throughLicense: options.throughLicense,
      licenses: options.licenses ?? null,
    })) {
      // A dry run reads the ledger too: what it already holds decides what is due.
      const ledger = await readLedgerFacts(pool, batch[0]!.license, batch[batch.length - 1]!.license);
      const rows: LedgerRowInput[] = [];
      // Rows an earlier run left PENDING (their job may be lost with Redis): owed still.
      const stillOwed: string[] = [];
      // Alert keys whose NO_CONTACT_ON_FILE row is closed: the step now goes to every address the rules name.
      const gaps: string[] = [];
      for (const facts of batch) {
        const officerLedger = ledger.get(facts.license) ?? [];
        const plan = planAlerts({
          facts,
          status: evaluate(facts),
          asOf,
          agency: directory.agencies.get(facts.agencyId),
          districts: directory.districts,
          ledger: officerLedger,
          config: options.alerts,
        });
        summary.alerts += plan.send.length;
        let todayStatus: OfficerStatus | null = null;
        for (const a of plan.send) {
          let stale = false;
          if (evaluateToday) {
            todayStatus ??= evaluateToday(facts);
            stale = !isStillDue(a, todayStatus, options.alerts);
          }
          if (stale) summary.staleAlerts++;
          if (onAlert) onAlert(toScanOutput(a, stale));
          // A dry run writes nothing, so it builds no ledger rows.
          if (!work) continue;
          if (stale && skipStale) {
            const reason = `STALE_TODAY: skipped by --skip-stale; as of ${today} the officer is ${todayStatus?.status}`;
            for (const r of ledgerRowsFor(a, asOf, 'SUPERSEDED', runId, reason)) rows.push(r);
          } else {
            for (const r of ledgerRowsFor(a, asOf, 'PENDING', runId)) rows.push(r);
            if (a.closesGap) gaps.push(a.key);
          }
        }
        if (!work) continue;
        for (const l of officerLedger) if (l.status === 'PENDING') stillOwed.push(l.key);
        for (const a of plan.supersede) for (const r of ledgerRowsFor(a, asOf, 'SUPERSEDED', runId)) rows.push(r);
      }
      summary.officers += batch.length;
      if (!work) continue;
      await writing;
      writing = writeBatch(pool, work, rows, stillOwed, gaps, options, summary);
      // Observed at once, so a failure while the next batch is read is not an unhandled
      // rejection (which ends the process); the `await writing` above rethrows it.
      writing.catch(() => undefined);
    }
    await writing;
  } finally {
    // Stopped early (an error): let the write in flight settle before the caller closes the pool.
    await writing?.catch(() => undefined);
    await snapshot.release();
  }
  return summary;
}

/** Inserts a batch's ledger rows, then enqueues every PENDING row of the batch: new and still owed. */
async function writeBatch(
  pool: pg.Pool,
  work: Pick<WorkQueue, 'sendAlerts'>,
  rows: readonly LedgerRowInput[],
  stillOwed: readonly string[],
  gaps: readonly string[],
  options: ScanOptions,
  summary: ScanSummary,
): Promise<void> {
  const inserted = await insertLedgerRows(pool, rows);
  await closeGaps(pool, gaps);
  const owed = [...stillOwed];
  for (const r of rows) {
    if (!inserted.has(r.key)) continue;
    if (r.status === 'PENDING') {
      summary.pendingRows++;
      owed.push(r.key);
    } else if (r.status === 'SUPERSEDED') summary.supersededRows++;
    else summary.noContactRows++;
  }
  const runId = options.runId ?? null;
  if (runId !== null) await markRequeued(pool, stillOwed, runId);
  // A row another scan inserted first is that scan's to enqueue; a job id already in Redis is not added twice.
  summary.enqueued += await work.sendAlerts(owed.map((key) => ({ key, asOf: options.asOf, runId })));
}

/** The summary of a scan split into range jobs: the sum of its parts. */
export function addScanSummaries(asOf: CivilDate, parts: readonly ScanSummary[]): ScanSummary {
  const total = emptySummary(asOf);
  for (const p of parts) {
    total.officers += p.officers;
    total.alerts += p.alerts;
    total.pendingRows += p.pendingRows;
    total.supersededRows += p.supersededRows;
    total.noContactRows += p.noContactRows;
    total.staleAlerts += p.staleAlerts ?? 0;
    total.enqueued += p.enqueued;
  }
  return total;
}
