// What a job is (documenso's jobs/definitions, graphile/worker's task list): its queue, its
// name, the zod schema of its payload, how its id is derived, its options, how many run at
// once, and `process`. A job file exports one definition; the runtime loops over them
// (src/worker/runtime.ts), the queues are created from them (src/worker/queue.ts), and a
// job is added only through addJob/addJobs below: no other module spells a queue's or a
// job's name. The use cases ask for work through src/app/ports.ts's WorkQueue.
import type { Job, JobsOptions, Queue, WorkerOptions } from 'bullmq';
import type { z } from 'zod';
import type pg from 'pg';
import type { Config } from '../src/config.ts';
import type { AlertConfig } from '../src/domain/alerts.ts';
import type { RulesConfig } from '../src/domain/types.ts';
import type { Directory } from '../src/db/officer-reader.ts';
import type { MailTransport } from '../src/mail/transport.ts';
import type { WorkQueue } from '../src/app/ports.ts';
import type { Logger } from '../src/shell/log.ts';
import type { JOBS, JobKey } from './index.ts';

type Labels = Record<string, string>;

/** The counters jobs report to (src/worker/metrics.ts owns them). */
export interface JobMetrics {
  sent(labels: Labels): void;
  sendOutcome(labels: Labels): void;
  sendFailure(labels: Labels): void;
  givenUp(labels: Labels): void;
  /** One send attempt took `seconds`. */
  sendSeconds(seconds: number, outcome: string): void;
  /** A scan job (whole roster or range) completed in `seconds`. */
  scanDone(seconds: number): void;
  digestDone(): void;
}

/** What every job's `process` may use; built once by the runtime. */
export interface JobDeps {
  config: Config;
  pool: pg.Pool;
  /** Where a job's use case asks for more work (send jobs, range scans). */
  work: WorkQueue;
  transport: MailTransport;
  rules: RulesConfig;
  alerts: AlertConfig;
  log: Logger;
  metrics: JobMetrics;
  workerId: string;
  /** Agencies and districts as of a directory_version (cached per version). */
  directory: (version: string) => Promise<Directory>;
  /** The clock, for calendar stamps. */
  now: () => Date;
}

/** The job being processed, for the jobs that move themselves back to delayed. */
interface JobRun {
  job: Job;
  token: string | undefined;
}

export interface JobDefinition<Name extends string, Schema extends z.ZodType, Result> {
  /** The BullMQ queue (one queue per job). */
  readonly queue: Name;
  readonly name: Name;
  readonly payload: Schema;
  /** Deterministic ids: a second add of the same work is the same job. */
  jobId(payload: z.input<Schema>): string;
  options(config: Pick<Config, 'sendAttempts'>): JobsOptions;
  worker(config: Config): Pick<WorkerOptions, 'concurrency' | 'lockDuration' | 'limiter'>;
  process(deps: JobDeps, payload: z.output<Schema>, run: JobRun): Promise<Result>;
}

export type AnyJob = JobDefinition<string, z.ZodType, unknown>;

/** The typed queue of a definition: a wrong name or payload does not compile. */
type QueueOf<D> =
  D extends JobDefinition<infer Name, infer Schema, infer Result> ? Queue<z.input<Schema>, Result, Name> : never;

export function defineJob<Name extends string, Schema extends z.ZodType, Result>(
  def: JobDefinition<Name, Schema, Result>,
): JobDefinition<Name, Schema, Result> {
  return def;
}

/**
 * Adds one job of `def` to its queue, with the definition's options and derived id;
 * `overrides` replace either (a manual run's own id, a re-evaluation's place at the front).
 */
export function addJob<D extends AnyJob>(
  queue: Queue,
  def: D,
  payload: z.input<D['payload']>,
  config: Pick<Config, 'sendAttempts'>,
  overrides: JobsOptions = {},
): Promise<Job> {
  return queue.add(def.name, payload, { ...def.options(config), jobId: def.jobId(payload), ...overrides });
}

/** Adds many jobs of `def`, 1,000 a round trip, each under its derived id unless `idOf` gives one. */
export async function addJobs<D extends AnyJob>(
  queue: Queue,
  def: D,
  payloads: readonly z.input<D['payload']>[],
  config: Pick<Config, 'sendAttempts'>,
  idOf: (payload: z.input<D['payload']>, index: number) => string = (p) => def.jobId(p),
): Promise<number> {
  const opts = def.options(config);
  for (let i = 0; i < payloads.length; i += 1000) {
    await queue.addBulk(
      payloads
        .slice(i, i + 1000)
        .map((p, k) => ({ name: def.name, data: p, opts: { ...opts, jobId: idOf(p, i + k) } })),
    );
  }
  return payloads.length;
}

/** Scan and digest ids are derived from the as-of date, so every replica's cron firing adds the same job. */
export const TRIGGER_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 5000 },
  // Kept for three days so that later firings the same day (other replicas) find the id taken.
  removeOnComplete: { age: 3 * 24 * 3600 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** One typed queue per registered job (jobs/index.ts). */
export type Queues = { [K in JobKey]: QueueOf<(typeof JOBS)[K]> } & { close(): Promise<void> };
