// Private PostgreSQL 15 and Redis instances for the fault suite. The faults it injects
// (restarting PostgreSQL, FLUSHALL) would wreck whatever else uses the machine's shared
// servers on 5432 and 6379 (benchmarks, the default test suite), so the suite starts its own
// in a temp dir, on free loopback ports, and tears them down afterwards.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

const PG_BIN = process.env.SRO_FAULTS_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** A free TCP port on loopback (the kernel's choice; closed again before it is used). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function until<T>(
  what: string,
  ms: number,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  detail: () => string = () => '',
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${ms} ms waiting for ${what}${detail() ? `\n${detail()}` : ''}`);
    await sleep(100);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function run(file: string, args: string[], timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}\n${stderr}`, { cause: error }));
      else resolve(stdout);
    });
  });
}

// initdb refuses to run as root: as root, the cluster belongs to the postgres user.
const asRoot = process.getuid?.() === 0;
function pgCommand(binary: string, args: string[]): [string, string[]] {
  const path = join(PG_BIN, binary);
  return asRoot ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args];
}

/** What a scenario needs to reach (and restart) the private cluster; plain data, so globalSetup can provide it. */
export interface PrivatePostgresInfo {
  port: number;
  dataDir: string;
  socketDir: string;
  logFile: string;
}

export function postgresUrl(info: PrivatePostgresInfo, database: string): string {
  return `postgresql://postgres@127.0.0.1:${info.port}/${database}`;
}

/** pg_ctl on the private cluster: `stop` is a fast shutdown (connections are cut, as in a crash or failover). */
export async function pgCtl(info: PrivatePostgresInfo, action: 'start' | 'stop'): Promise<void> {
  const args =
    action === 'start'
      ? [
          '-D',
          info.dataDir,
          '-l',
          info.logFile,
          '-w',
          '-t',
          '30',
          '-o',
          `-c listen_addresses=127.0.0.1 -p ${info.port} -k ${info.socketDir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
          'start',
        ]
      : ['-D', info.dataDir, '-m', 'fast', '-w', '-t', '30', 'stop'];
  const [file, argv] = pgCommand('pg_ctl', args);
  await run(file, argv);
}

export interface PrivatePostgres extends PrivatePostgresInfo {
  destroy(): Promise<void>;
}

/** A throwaway PostgreSQL cluster: trust auth, loopback only, no fsync (its data is disposable). */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const root = mkdtempSync(join(tmpdir(), 'sro-faults-pg-'));
  if (asRoot)
    chownSync(
      root,
      Number((await run('id', ['-u', 'postgres'])).trim()),
      Number((await run('id', ['-g', 'postgres'])).trim()),
    );
  const info: PrivatePostgresInfo = {
    port: await freePort(),
    dataDir: join(root, 'data'),
    socketDir: root,
    logFile: join(root, 'postgres.log'),
  };
  const [file, argv] = pgCommand('initdb', [
    '-D',
    info.dataDir,
    '-U',
    'postgres',
    '--auth=trust',
    '--no-sync',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
  ]);
  await run(file, argv);
  try {
    await pgCtl(info, 'start');
  } catch (e) {
    const log = existsSync(info.logFile) ? readFileSync(info.logFile, 'utf8') : '';
    rmSync(root, { recursive: true, force: true });
    throw new Error(`private PostgreSQL did not start:\n${log}`, { cause: e });
  }
  return {
    ...info,
    async destroy() {
      await pgCtl(info, 'stop').catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface PrivateRedis {
  url: string;
  port: number;
  destroy(): Promise<void>;
}

/** A throwaway redis-server as a child process: no persistence, loopback only. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'sro-faults-redis-'));
  const port = await freePort();
  let log = '';
  const child: ChildProcess = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      '--dir',
      dir,
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout!.on('data', (b: Buffer) => (log += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (log += b.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `redis://127.0.0.1:${port}`;
  await until(
    'private redis-server to answer PING',
    10_000,
    async () => {
      if (child.exitCode !== null) throw new Error(`redis-server exited: ${log}`);
      const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      r.on('error', () => undefined); // not up yet: the probe's rejection says so
      try {
        await r.connect();
        return (await r.ping()) === 'PONG';
      } catch {
        return false;
      } finally {
        r.disconnect();
      }
    },
    () => log,
  );
  return {
    url,
    port,
    async destroy() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, sleep(5000)]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
