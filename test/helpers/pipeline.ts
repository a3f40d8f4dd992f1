// Wires a real runtime (PostgreSQL database of its own, Redis with its own prefix, a real
// SMTP receiver in-process) for the pipeline tests.
import { type Config, loadConfig } from '../../src/config.ts';
import { createRuntime, type Runtime } from '../../src/worker/runtime.ts';
import { runJobToCompletion, type DeliveryCounts } from '../../src/worker/run-once.ts';
import type { ScanSummary } from '../../src/app/alert-scan.ts';
import { scanJob } from '../../jobs/scan.ts';
import { scanTotal } from '../../src/app/scan-fan-out.ts';
import { civilDate } from '../../src/domain/civil-date.ts';
import { silentLogger } from '../../src/shell/log.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';
import { importRosterObject } from './roster-import.ts';
import { TEST_REDIS_URL, deletePrefix, uniquePrefix } from './redis.ts';
import { serviceEnv } from './service-env.ts';
import { startSmtpReceiver, type SmtpReceiver } from './smtp.ts';
import { rosterSchema } from '../../src/roster/schema.ts';

export interface Pipeline {
  database: TestDatabase;
  smtp: SmtpReceiver;
  prefix: string;
  config: Config;
  runtime: Runtime;
  /** Another runtime on the same database, queue and SMTP receiver (a second worker replica). */
  spawnReplica(): Runtime;
  load(roster: unknown, replace?: boolean): Promise<void>;
  scan(asOf: string, runtime?: Runtime): Promise<{ result: ScanSummary; delivery: DeliveryCounts }>;
  ledger(): Promise<
    {
      key: string;
      alert_key: string;
      kind: string;
      status: string;
      recipient: string;
      attempts: number;
      last_error: string | null;
      message_id: string | null;
    }[]
  >;
  close(): Promise<void>;
}

export async function startPipeline(label: string, env: Record<string, string> = {}): Promise<Pipeline> {
  const database = await createTestDatabase(label);
  const smtp = await startSmtpReceiver();
  const prefix = uniquePrefix(label);
  const config = loadConfig({
    ...serviceEnv({ databaseUrl: database.url, redisUrl: TEST_REDIS_URL, smtpUrl: smtp.url, queuePrefix: prefix }),
    SEND_ATTEMPTS: '6',
    ...env,
  });
  const runtimes: Runtime[] = [];
  const spawnReplica = () => {
    const r = createRuntime(config, silentLogger, { work: true });
    runtimes.push(r);
    return r;
  };
  const runtime = spawnReplica();
  const never = new AbortController().signal;
  return {
    database,
    smtp,
    prefix,
    config,
    runtime,
    spawnReplica,
    async load(roster, replace = false) {
      const parsed = rosterSchema.parse(roster);
      const r = await importRosterObject(database.url, parsed, { replace });
      if (!r.ok) throw new Error(`fixture roster invalid: ${JSON.stringify(r.errors)}`);
    },
    async scan(asOf, rt = runtime) {
      const run = await runJobToCompletion(rt, scanJob, { asOf }, never);
      return { result: scanTotal(civilDate(asOf), run), delivery: run.delivery };
    },
    async ledger() {
      const r = await runtime.pool.query(
        'SELECT key, alert_key, kind, status::text AS status, recipient, attempts, last_error, message_id FROM alert_ledger ORDER BY created_at, key',
      );
      return r.rows;
    },
    async close() {
      for (const r of runtimes) await r.close();
      await smtp.close();
      await deletePrefix(prefix);
      await database.drop();
    },
  };
}
