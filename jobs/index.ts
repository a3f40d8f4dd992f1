// The job registry: every job the worker runs, by the key its queue has in `Queues`.
import { scanJob } from './scan.ts';
import { sendAlertJob } from './send-alert.ts';
import { weeklyDigestJob } from './weekly-digest.ts';

export const JOBS = { scan: scanJob, send: sendAlertJob, digest: weeklyDigestJob } as const;

export type JobKey = keyof typeof JOBS;
