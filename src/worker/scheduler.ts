// Cron only enqueues: each firing adds the day's scan (or digest) job under an id derived
// from the as-of date, so any number of replicas firing at once run it once per day.
import cron, { type ScheduledTask } from 'node-cron';
import { civilDateIn } from '../shell/clock.ts';
import type { CivilDate } from '../domain/civil-date.ts';
import { addJob, type Queues } from '../../jobs/definition.ts';
import { JOBS } from '../../jobs/index.ts';
import type { Logger } from '../shell/log.ts';

export interface ScheduleDeps {
  scanCron: string;
  digestCron: string;
  timeZone: string;
  queues: Pick<Queues, 'scan' | 'digest'>;
  log: Logger;
  /** The as-of date of a firing: today in TZ, unless pinned (replays, tests). */
  asOf?: () => CivilDate;
}

export interface Schedules {
  stop(): Promise<void>;
}

export function startSchedules(deps: ScheduleDeps): Schedules {
  const asOf = deps.asOf ?? (() => civilDateIn(deps.timeZone));
  const fire = (what: 'scan' | 'digest') => async () => {
    const d = asOf();
    try {
      const job = await addJob(deps.queues[what], JOBS[what], { asOf: d }, { sendAttempts: 1 });
      deps.log.debug(`cron: ${what} for ${d} enqueued`, { jobId: job.id });
    } catch (e) {
      // Redis down: the next firing tries again; nothing is lost because the scan compares dates.
      deps.log.warn(`cron: could not enqueue ${what}`, { err: e });
    }
  };
  const tasks: ScheduledTask[] = [
    cron.schedule(deps.scanCron, fire('scan'), { timezone: deps.timeZone, name: 'sro-scan', noOverlap: true }),
    cron.schedule(deps.digestCron, fire('digest'), { timezone: deps.timeZone, name: 'sro-digest', noOverlap: true }),
  ];
  return {
    async stop() {
      for (const t of tasks) {
        await t.stop();
        await t.destroy();
      }
    },
  };
}
