// scan: reads officers in batches, computes the alerts due as of D, writes PENDING ledger
// rows and enqueues one send-alert job per (alert, recipient), the ledger key as job id.
import { z } from 'zod';
import type pg from 'pg';
import type { Queue } from 'bullmq';
import { civilDateSchema } from '../src/domain/civil-date-schema.ts';
import type { AlertConfig } from '../src/domain/alerts.ts';
import type { RulesConfig } from '../src/domain/types.ts';
import { type ScanSummary, runScan } from '../src/scan.ts';

export const scanPayload = z.object({
  asOf: civilDateSchema,
  /** A license range, for a scan split across workers (exclusive lower, inclusive upper bound). */
  afterLicense: z.string().nullable().default(null),
  throughLicense: z.string().nullable().default(null),
});
export type ScanPayload = z.infer<typeof scanPayload>;

export interface ScanDeps {
  pool: pg.Pool;
  sendQueue: Queue;
  rules: RulesConfig;
  alerts: AlertConfig;
  sendAttempts: number;
}

/** Job id of the day's scan: every replica's cron firing for D adds the same job. */
export function scanJobId(asOf: string, suffix = ''): string {
  return `scan-${asOf}${suffix}`;
}

export function scan(deps: ScanDeps, payload: ScanPayload): Promise<ScanSummary> {
  return runScan(deps.pool, {
    asOf: payload.asOf,
    rules: deps.rules,
    alerts: deps.alerts,
    sendQueue: deps.sendQueue,
    sendAttempts: deps.sendAttempts,
    afterLicense: payload.afterLicense,
    throughLicense: payload.throughLicense,
  });
}
