import type { Config } from './config.ts';
import type { CivilDate } from './domain/civil-date.ts';
import { createPool } from './db/pool.ts';
import { alertConfigOf, rulesOf } from './runtime.ts';
import { type ScanAlertOutput, type ScanSummary, runScan } from './scan.ts';

/** A dry-run scan: computes the alerts due as of D; writes and enqueues nothing. */
export async function loadDirectoryAndScan(config: Config, asOf: CivilDate, today: CivilDate | null = null): Promise<{ alerts: ScanAlertOutput[]; summary: ScanSummary }> {
  const pool = createPool(config.databaseUrl);
  try {
    const alerts: ScanAlertOutput[] = [];
    const summary = await runScan(pool, { asOf, rules: rulesOf(config), alerts: alertConfigOf(config), sendQueue: null, sendAttempts: 1, today }, (a) => alerts.push(a));
    return { alerts, summary };
  } finally {
    await pool.end();
  }
}
