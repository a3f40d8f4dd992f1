// weekly-digest: one e-mail per chief and per PRIMARY district contact, covering their
// officers, once per ISO week (src/app/weekly-digest.ts; the ledger key holds the week's Monday).
import { z } from 'zod';
import { civilDateSchema } from '../src/domain/civil-date-schema.ts';
import { type DigestSummary, enqueueWeeklyDigests } from '../src/app/weekly-digest.ts';
import { type JobDeps, TRIGGER_JOB_OPTIONS, defineJob } from './definition.ts';

const weeklyDigestPayload = z.object({
  asOf: civilDateSchema,
  /** The run the ledger rows are written for (default: the job id). */
  runId: z.string().max(200).nullable().default(null),
});

function digestJobId(asOf: string): string {
  return `digest-${asOf}`;
}

export const weeklyDigestJob = defineJob({
  queue: 'weekly-digest',
  name: 'weekly-digest',
  payload: weeklyDigestPayload,
  jobId: (p) => digestJobId(p.asOf),
  options: () => TRIGGER_JOB_OPTIONS,
  worker: () => ({ concurrency: 1, lockDuration: 120_000 }),
  async process(deps: JobDeps, payload, { job }): Promise<DigestSummary> {
    const summary = await enqueueWeeklyDigests(deps, payload.asOf, payload.runId ?? String(job.id));
    deps.metrics.digestDone();
    deps.log.info('weekly digest enqueued', { ...summary });
    return summary;
  },
});
