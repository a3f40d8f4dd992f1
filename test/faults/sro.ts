// `sro ARGS` as a script runs it: a child process with only the variables given (and PATH).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../src/db/migrate.ts';

export const SRO_BIN = join(projectRoot, 'bin', 'sro.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function sro(args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [SRO_BIN, ...args],
      { cwd: projectRoot, env: { PATH: process.env.PATH ?? '', ...env }, timeout: timeoutMs, maxBuffer: 64 << 20 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
