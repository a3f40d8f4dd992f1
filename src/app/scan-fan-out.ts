// One scan run (RULES.md 5), as the scan job asks for it: a whole-roster scan of more than
// SCAN_PARTITION_SIZE officers fans out instead of scanning: it asks for one range scan per
// partition, which every worker replica takes, so a large roster is scanned in parallel; a
// range, a list of officers or a small roster is scanned here (alert-scan.ts).
import type pg from 'pg';
import type { CivilDate } from '../domain/civil-date.ts';
import type { AlertConfig } from '../domain/alerts.ts';
import type { RulesConfig } from '../domain/types.ts';
import { planScanRanges } from '../db/scan-ranges.ts';
import { type ScanSummary, addScanSummaries, runScan } from './alert-scan.ts';
import type { WorkQueue } from './ports.ts';

/** What one scan run covers (the scan job's payload). */
export interface ScanRequest {
  asOf: CivilDate;
  /** A license range (exclusive lower, inclusive upper bound); null, null: the whole roster. */
  afterLicense: string | null;
  throughLicense: string | null;
  /** True on a range of a split scan (it never splits again). */
  part: boolean;
  /** The run the ledger rows are written for; null: this run's own id. */
  runId: string | null;
  /** Today, on a replay of a past day: alerts stale today are marked (skipped with `skipStale`). */
  today: CivilDate | null;
  skipStale: boolean;
  /** Only these officers (a re-evaluation after a console change, RULES.md 7); never splits. */
  licenses: readonly string[] | null;
}

export interface ScanRunSummary extends ScanSummary {
  /** Ids of the range scans this run fanned out to (their summaries add up to the run's); empty when it scanned itself. */
  parts: string[];
}

export interface ScanRunDeps {
  pool: pg.Pool;
  work: WorkQueue;
  rules: RulesConfig;
  alerts: AlertConfig;
  /** SCAN_PARTITION_SIZE: officers per range scan. */
  partitionSize: number;
}

/**
 * Scans what `request` covers, or fans a large whole-roster scan out into range scans whose
 * ids derive from `jobId` (the id of the job running it, and the run's id unless the request names one).
 */
export async function runScanRequest(deps: ScanRunDeps, request: ScanRequest, jobId: string): Promise<ScanRunSummary> {
  const whole =
    !request.part && request.afterLicense === null && request.throughLicense === null && request.licenses === null;
  const runId = request.runId ?? jobId;
  if (whole) {
    const ranges = await planScanRanges(deps.pool, deps.partitionSize);
    if (ranges.length > 1) {
      const parts = await deps.work.scanParts(
        jobId,
        ranges.map((r) => ({ asOf: request.asOf, ...r, runId, today: request.today, skipStale: request.skipStale })),
      );
      return { ...addScanSummaries(request.asOf, []), parts };
    }
  }
  const summary = await runScan(deps.pool, {
    asOf: request.asOf,
    rules: deps.rules,
    alerts: deps.alerts,
    work: deps.work,
    afterLicense: request.afterLicense,
    throughLicense: request.throughLicense,
    licenses: request.licenses,
    runId,
    today: request.today,
    skipStale: request.skipStale,
  });
  return { ...summary, parts: [] };
}

/** What a scan run did, whether it scanned itself or fanned out to range scans (their sum). */
export function scanTotal(
  asOf: CivilDate,
  run: { result: ScanRunSummary; parts: readonly ScanRunSummary[] },
): ScanSummary {
  return addScanSummaries(asOf, run.parts.length > 0 ? run.parts : [run.result]);
}
