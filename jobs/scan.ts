// scan: one scan run (src/app/scan-fan-out.ts): the alerts due as of D written to the
// ledger and one send-alert job per (alert, recipient), or, for a large roster, one range
// job per partition on this same queue, which every worker replica takes.
import { createHash } from 'node:crypto';
import type { JobsOptions } from 'bullmq';
import { z } from 'zod';
import { civilDateSchema } from '../src/domain/civil-date-schema.ts';
import { type ScanRunSummary, runScanRequest } from '../src/app/scan-fan-out.ts';
import { type JobDeps, TRIGGER_JOB_OPTIONS, defineJob } from './definition.ts';

const scanPayload = z.object({
  asOf: civilDateSchema,
  /** A license range, for a scan split across workers (exclusive lower, inclusive upper bound). */
  afterLicense: z.string().nullable().default(null),
  throughLicense: z.string().nullable().default(null),
  /** True on a range job of a split scan (it never splits again). */
  part: z.boolean().default(false),
  /** The run the ledger rows are written for: a manual `sro scan` counts only its own (default: the job id; range jobs inherit it). */
  runId: z.string().max(200).nullable().default(null),
  /** Today, read by the shell that triggered a replay of a past day: alerts stale today are marked. */
  today: civilDateSchema.nullable().default(null),
  /** With `today`: send only alerts not stale today; record the rest SUPERSEDED (`sro scan --skip-stale`). */
  skipStale: z.boolean().default(false),
  /**
   * Only these officers: the re-evaluation after a change made in the console (RULES.md 7
   * "at once"), which never splits. Null: the license range (or the whole roster).
   */
  licenses: z.array(z.string().min(1).max(200)).min(1).max(100).nullable().default(null),
});

/** Job id of the day's scan: every replica's cron firing for D adds the same job. */
export function scanJobId(asOf: string): string {
  return `scan-${asOf}`;
}

/** Job id of range `index` (0-based) of `count` of the scan `scanJobId`. */
export function scanPartJobId(scanJobId: string, index: number, count: number): string {
  return `${scanJobId}-part-${index + 1}-of-${count}`;
}

/**
 * Job id of the re-evaluation of one officer after a change (the change's audit event id):
 * the same change enqueued twice (a retried request, two replicas) is one job. BullMQ ids
 * may not hold ':', which a license may: the license goes in as a digest.
 */
export function officerScanJobId(asOf: string, license: string, changeId: string): string {
  const digest = createHash('sha256').update(license).digest('hex').slice(0, 24);
  return `scan-${asOf}-officer-${digest}-change-${changeId}`;
}

/**
 * A re-evaluation goes to the front of the scan queue (LIFO): behind a large daily scan's
 * range jobs it would wait for all of them, and RULES.md 7 wants it within a minute.
 */
export const OFFICER_SCAN_JOB_OPTIONS: JobsOptions = { ...TRIGGER_JOB_OPTIONS, lifo: true };

export const scanJob = defineJob({
  queue: 'scan',
  name: 'scan',
  payload: scanPayload,
  jobId: (p) => scanJobId(p.asOf),
  options: () => TRIGGER_JOB_OPTIONS,
  worker: () => ({ concurrency: 1, lockDuration: 120_000 }),
  async process(deps: JobDeps, payload, { job }): Promise<ScanRunSummary> {
    const started = Date.now();
    const result = await runScanRequest(
      { ...deps, partitionSize: deps.config.scanPartitionSize },
      payload,
      String(job.id),
    );
    deps.metrics.scanDone((Date.now() - started) / 1000);
    deps.log.info('scan finished', { ...result, ms: Date.now() - started });
    return result;
  },
});
