// scan: reads officers in batches, computes the alerts due as of D, writes PENDING ledger
// rows and enqueues one send-alert job per (alert, recipient), the ledger key as job id.
// A whole-roster scan of more than SCAN_PARTITION_SIZE officers fans out instead: it adds
// one range job per partition to the scan queue (ids derived from its own), and every
// worker replica takes range jobs from there, so a large roster is scanned in parallel.
import { createHash } from 'node:crypto';
import type { JobsOptions } from 'bullmq';
import { z } from 'zod';
import { civilDateSchema } from '../src/domain/civil-date-schema.ts';
import type { CivilDate } from '../src/domain/civil-date.ts';
import { type ScanSummary, addScanSummaries, planScanRanges, runScan } from '../src/app/alert-scan.ts';
import { type JobDeps, TRIGGER_JOB_OPTIONS, defineJob } from './definition.ts';

export const scanPayload = z.object({
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
export type ScanPayload = z.infer<typeof scanPayload>;

/** Job id of the day's scan: every replica's cron firing for D adds the same job. */
export function scanJobId(asOf: string, suffix = ''): string {
  return `scan-${asOf}${suffix}`;
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

export interface ScanJobResult extends ScanSummary {
  /** Ids of the range jobs this scan fanned out to (their summaries add up to the scan's); empty when it scanned itself. */
  parts: string[];
}

export const scanJob = defineJob({
  queue: 'scan',
  name: 'scan',
  payload: scanPayload,
  jobId: (p) => scanJobId(p.asOf),
  options: () => TRIGGER_JOB_OPTIONS,
  worker: () => ({ concurrency: 1, lockDuration: 120_000 }),
  async process(deps: JobDeps, payload, { job }): Promise<ScanJobResult> {
    const started = Date.now();
    const result = await scan(deps, payload, String(job.id));
    deps.metrics.scanDone((Date.now() - started) / 1000);
    deps.log.info('scan finished', { ...result, ms: Date.now() - started });
    return result;
  },
});

export async function scan(
  deps: Pick<JobDeps, 'pool' | 'queues' | 'config' | 'rules' | 'alerts'>,
  payload: ScanPayload,
  jobId: string,
): Promise<ScanJobResult> {
  const whole =
    !payload.part && payload.afterLicense === null && payload.throughLicense === null && payload.licenses === null;
  const runId = payload.runId ?? jobId;
  if (whole) {
    const ranges = await planScanRanges(deps.pool, deps.config.scanPartitionSize);
    if (ranges.length > 1) {
      const parts = ranges.map((_, i) => `${jobId}-part-${i + 1}-of-${ranges.length}`);
      await deps.queues.scan.addBulk(
        ranges.map((r, i) => ({
          name: scanJob.name,
          data: { asOf: payload.asOf, ...r, part: true, runId, today: payload.today, skipStale: payload.skipStale },
          opts: { ...TRIGGER_JOB_OPTIONS, jobId: parts[i] },
        })),
      );
      return { ...addScanSummaries(payload.asOf, []), parts };
    }
  }
  const summary = await runScan(deps.pool, {
    asOf: payload.asOf,
    rules: deps.rules,
    alerts: deps.alerts,
    sendQueue: deps.queues.send,
    sendAttempts: deps.config.sendAttempts,
    afterLicense: payload.afterLicense,
    throughLicense: payload.throughLicense,
    licenses: payload.licenses,
    runId,
    today: payload.today,
    skipStale: payload.skipStale,
  });
  return { ...summary, parts: [] };
}

/** What a scan run did, whether it scanned itself or fanned out to range jobs (their sum). */
export function scanTotal(
  asOf: CivilDate,
  run: { result: ScanJobResult; parts: readonly ScanJobResult[] },
): ScanSummary {
  return addScanSummaries(asOf, run.parts.length > 0 ? run.parts : [run.result]);
}
