// The `sro` command line as the integration tests run it: bin/sro.js in a child process of
// this Node, from the project root, with an environment of PATH, REDIS_URL at the test Redis,
// and what the test gives (its database, queue prefix, outbox and the case's variables).
import { type ChildProcess, type ChildProcessByStdio, execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { projectRoot } from '../../src/db/migrate.ts';
import { TEST_REDIS_URL } from './redis.ts';

const SRO_BIN = join(projectRoot, 'bin', 'sro.js');

export type Env = Record<string, string>;

export interface SroRun {
  /** The exit code; 1 when the process ended without one (killed at the timeout). */
  code: number;
  stdout: string;
  stderr: string;
  /** Milliseconds from the call to the exit. */
  ms: number;
}

export interface SroOptions {
  /** The environment under `env`: DATABASE_URL, QUEUE_PREFIX and the like of the test file. */
  base?: Env;
  /** Killed after this many milliseconds; 60 s unless set. */
  timeout?: number;
  /** The most stdout or stderr may hold, in bytes; execFile's default (1 MiB) unless set. */
  maxBuffer?: number;
}

/** PATH and REDIS_URL at the test Redis, then `env` (which may replace REDIS_URL). */
function sroEnv(env: Env = {}): Env {
  return { PATH: process.env.PATH ?? '', REDIS_URL: TEST_REDIS_URL, ...env };
}

/** Runs `sro ...args` to its exit with options.base then `env` over sroEnv(); resolves, never rejects. */
export function runSro(args: readonly string[], env: Env = {}, options: SroOptions = {}): Promise<SroRun> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [SRO_BIN, ...args],
      {
        cwd: projectRoot,
        env: sroEnv({ ...options.base, ...env }),
        timeout: options.timeout ?? 60_000,
        ...(options.maxBuffer === undefined ? {} : { maxBuffer: options.maxBuffer }),
      },
      (error, stdout, stderr) =>
        resolve({
          code: error ? ((error as { code?: number }).code ?? 1) : 0,
          stdout,
          stderr,
          ms: performance.now() - started,
        }),
    );
  });
}

/** Starts `sro ...args` with `env` over sroEnv(), stdin ignored, stderr piped, stdout piped unless 'ignore'. */
export function spawnSro(
  args: readonly string[],
  env: Env,
  stdout: 'pipe' | 'ignore' = 'pipe',
): ChildProcessByStdio<null, Readable | null, Readable> {
  const child: ChildProcess = spawn(process.execPath, [SRO_BIN, ...args], {
    cwd: projectRoot,
    env: sroEnv(env),
    stdio: ['ignore', stdout, 'pipe'],
  });
  return child as ChildProcessByStdio<null, Readable | null, Readable>;
}
