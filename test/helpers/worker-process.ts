// A real `sro worker` process for the integration tests: a database of its own holding the
// pipeline roster, a queue prefix of its own, an SMTP receiver in-process, and the worker's
// stderr, kept for the message of a wait that times out.
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll } from 'vitest';
import { rosterSchema } from '../../src/roster/schema.ts';
import { pipelineRoster } from '../fixtures/pipeline-roster.ts';
import { type TestDatabase, createTestDatabase } from './db.ts';
import { importRosterObject } from './roster-import.ts';
import { deletePrefix, uniquePrefix } from './redis.ts';
import { type SmtpReceiver, startSmtpReceiver } from './smtp.ts';
import { spawnSro } from './sro-cli.ts';

type Probe<T> = () => T | undefined | false | Promise<T | undefined | false>;

export interface WorkerRig {
  t: TestDatabase;
  smtp: SmtpReceiver;
  prefix: string;
  /** What the worker has written to stderr so far. */
  readonly stderr: string;
  /**
   * Spawns `sro worker ...args` on the rig's database, queue prefix and SMTP receiver, HTTP on
   * a free port, plus `env`; resolves once it logs where it serves HTTP.
   */
  start(args: readonly string[], env?: Record<string, string>): Promise<{ worker: ChildProcess; http: string }>;
  /** Polls `probe` every 100 ms until it gives a value (not undefined or false); on timeout, the error shows the worker's stderr. */
  until<T>(what: string, ms: number, probe: Probe<T>): Promise<T>;
  /** Kills the worker if it still runs, and removes the database, the queue keys and the receiver. */
  close(): Promise<void>;
}

/** The rig of one test file: started before its tests, closed after them; call the result in a test to get it. */
export function useWorkerRig(label: string): () => WorkerRig {
  let rig: WorkerRig | undefined;
  beforeAll(async () => {
    rig = await startWorkerRig(label);
  });
  afterAll(async () => {
    await rig?.close();
  });
  return () => {
    if (rig === undefined) throw new Error(`the worker rig ${label} did not start`);
    return rig;
  };
}

async function startWorkerRig(label: string): Promise<WorkerRig> {
  const t = await createTestDatabase(label);
  const r = await importRosterObject(t.url, rosterSchema.parse(pipelineRoster()), { replace: false });
  if (!r.ok) throw new Error('fixture');
  const smtp = await startSmtpReceiver();
  const prefix = uniquePrefix(label);
  let stderr = '';
  let worker: ChildProcess | undefined;

  const until = async <T>(what: string, ms: number, probe: Probe<T>): Promise<T> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; worker stderr:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  return {
    t,
    smtp,
    prefix,
    get stderr() {
      return stderr;
    },
    async start(args, env = {}) {
      worker = spawnSro(
        ['worker', ...args],
        { DATABASE_URL: t.url, QUEUE_PREFIX: prefix, SMTP_URL: smtp.url, HTTP_PORT: '0', ...env },
        'ignore',
      );
      worker.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
      const http = await until('worker started', 20_000, () => /"http":"(http:\/\/[^"]+)"/.exec(stderr)?.[1]);
      return { worker, http };
    },
    until,
    async close() {
      worker?.kill('SIGKILL');
      await smtp.close();
      await deletePrefix(prefix);
      await t.drop();
    },
  };
}
