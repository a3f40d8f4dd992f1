// weekly-digest: one e-mail per chief and per PRIMARY district contact, covering their
// officers, once per ISO week (the ledger key holds the week's Monday).
import { z } from 'zod';
import { civilDateSchema } from '../src/domain/civil-date-schema.ts';
import { type DigestTarget, digestLedgerRow, digestTargets } from '../src/app/weekly-digest.ts';
import { openSnapshot } from '../src/db/snapshot.ts';
import { markRequeued, insertLedgerRows, readPending } from '../src/db/ledger.ts';
import { enqueueSends } from '../src/app/alert-scan.ts';
import { type JobDeps, TRIGGER_JOB_OPTIONS, defineJob } from './definition.ts';

export const weeklyDigestPayload = z.object({
  asOf: civilDateSchema,
  /** The run the ledger rows are written for (default: the job id). */
  runId: z.string().max(200).nullable().default(null),
});
export type WeeklyDigestPayload = z.infer<typeof weeklyDigestPayload>;

export interface DigestSummary {
  asOf: string;
  digests: number;
  noContact: number;
  enqueued: number;
}

export function digestJobId(asOf: string, suffix = ''): string {
  return `digest-${asOf}${suffix}`;
}

export const weeklyDigestJob = defineJob({
  queue: 'weekly-digest',
  name: 'weekly-digest',
  payload: weeklyDigestPayload,
  jobId: (p) => digestJobId(p.asOf),
  options: () => TRIGGER_JOB_OPTIONS,
  worker: () => ({ concurrency: 1, lockDuration: 120_000 }),
  async process(deps: JobDeps, payload, { job }): Promise<DigestSummary> {
    const summary = await weeklyDigest(deps, payload, String(job.id));
    deps.metrics.digestDone();
    deps.log.info('weekly digest enqueued', { ...summary });
    return summary;
  },
});

export async function weeklyDigest(
  deps: Pick<JobDeps, 'pool' | 'queues' | 'config'>,
  payload: WeeklyDigestPayload,
  jobId: string | null = null,
): Promise<DigestSummary> {
  // Directory and officers from one snapshot: an import committing meanwhile is seen whole or not at all.
  const snapshot = await openSnapshot(deps.pool, 1);
  let targets: DigestTarget[];
  try {
    targets = await digestTargets(snapshot, payload.asOf);
  } finally {
    await snapshot.release();
  }
  const runId = payload.runId ?? jobId;
  await insertLedgerRows(
    deps.pool,
    targets.map((t) => digestLedgerRow(t, payload.asOf, runId)),
  );
  // Every digest still owed (including ones whose job Redis lost).
  const pending = await readPending(deps.pool, { digestsOnly: true, limit: 1_000_000 });
  if (runId !== null)
    await markRequeued(
      deps.pool,
      pending.map((p) => p.key),
      runId,
    );
  const enqueued = await enqueueSends(
    deps.queues.send,
    pending.map((p) => ({ key: p.key, asOf: payload.asOf, runId })),
    deps.config.sendAttempts,
  );
  return {
    asOf: payload.asOf,
    digests: targets.filter((t) => t.recipient).length,
    noContact: targets.filter((t) => !t.recipient).length,
    enqueued,
  };
}
