// One private PostgreSQL cluster and one private Redis for the whole fault suite (initdb
// takes about a second; sharing them keeps the suite fast). Scenarios run one file at a
// time (fileParallelism: false), each in its own database and queue prefix, so the restart
// and FLUSHALL of one scenario never land in another. At the end, the table of results.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresUrl, startPrivatePostgres, startPrivateRedis } from './services.ts';
import { sro } from './sro.ts';
import { type ScenarioResult, formatTable } from './results.ts';

export default async function setup({ provide }: { provide: (key: string, value: unknown) => void }) {
  const resultsDir = mkdtempSync(join(tmpdir(), 'sro-faults-results-'));
  const resultsFile = join(resultsDir, 'results.jsonl');
  const postgres = await startPrivatePostgres();
  const redis = await startPrivateRedis().catch(async (e: unknown) => {
    await postgres.destroy();
    throw e;
  });
  // The schema as `sro migrate` creates it, once: each scenario clones this database.
  const template = 'sro_faults_template';
  const migrated = await sro(['migrate'], { DATABASE_URL: postgresUrl(postgres, template) });
  if (migrated.code !== 0) {
    await Promise.all([redis.destroy(), postgres.destroy()]);
    throw new Error(`sro migrate exited ${migrated.code}:\n${migrated.stderr}`);
  }
  provide('faultTemplateDatabase', template);
  provide('faultPostgres', {
    port: postgres.port,
    dataDir: postgres.dataDir,
    socketDir: postgres.socketDir,
    logFile: postgres.logFile,
  });
  provide('faultRedisUrl', redis.url);
  provide('faultResultsFile', resultsFile);

  return async () => {
    const results: ScenarioResult[] = existsSync(resultsFile)
      ? readFileSync(resultsFile, 'utf8')
          .split('\n')
          .filter((l) => l.trim())
          .map((l) => JSON.parse(l) as ScenarioResult)
      : [];
    process.stdout.write(`\n${formatTable(results)}\n`);
    rmSync(resultsDir, { recursive: true, force: true });
    await redis.destroy();
    await postgres.destroy();
  };
}
