// The shipped command runs the compiled build (dist/), loads a command's modules only when
// it runs, and answers typos with a suggestion. Child processes of the real bin/sro.js.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/db/migrate.ts';

const bin = join(projectRoot, 'bin', 'sro.js');
let dir = '';
let hook = '';

function sro(args: string[], nodeArgs: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...nodeArgs, bin, ...args],
      { cwd: projectRoot, env: { PATH: process.env.PATH ?? '' }, timeout: 30_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Every module URL the process resolved (a module resolve hook that reports on stderr). */
async function loadedModules(args: string[]): Promise<string[]> {
  const r = await sro(args, ['--import', hook]);
  return r.stderr
    .split('\n')
    .filter((l) => l.startsWith('LOADED '))
    .map((l) => l.slice('LOADED '.length));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sro-build-'));
  const resolveHook = join(dir, 'hook.mjs');
  await writeFile(
    resolveHook,
    `export async function resolve(s, c, next) { const r = await next(s, c); process.stderr.write('LOADED ' + r.url + '\\n'); return r; }\n`,
  );
  hook = join(dir, 'register.mjs');
  await writeFile(
    hook,
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(resolveHook).href)});\n`,
  );
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the compiled build', () => {
  it('given `sro --version`, then it prints the package version from the compiled build, with no tsx loaded', async () => {
    const pkg = JSON.parse(await readFile(join(projectRoot, 'package.json'), 'utf8')) as { version: string };
    const r = await sro(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${pkg.version}\n`);
    const loaded = await loadedModules(['--version']);
    expect(loaded.some((u) => u.endsWith('/dist/src/cli.js'))).toBe(true);
    expect(loaded.filter((u) => /\/node_modules\/tsx\/|\.ts$/.test(u))).toEqual([]);
  });

  it('given `sro --help`, then no database, queue, mail or validation library is loaded', async () => {
    const loaded = await loadedModules(['--help']);
    expect(loaded.length).toBeGreaterThan(0);
    expect(
      loaded.filter((u) =>
        /\/node_modules\/(bullmq|ioredis|pg|@prisma|prisma|nodemailer|zod|pino|prom-client)\//.test(u),
      ),
    ).toEqual([]);
  });

  it('given `sro report --help`, then it loads the module of report but not the queue or the mailer', async () => {
    const loaded = await loadedModules(['report', '--help']);
    expect(loaded.some((u) => u.includes('/dist/src/commands/report.js'))).toBe(true);
    expect(loaded.filter((u) => /\/node_modules\/(bullmq|nodemailer)\//.test(u))).toEqual([]);
  });
});

describe('typos get a suggestion', () => {
  it('given `sro reprot`, then exit 2 with "did you mean \'sro report\'"', async () => {
    const r = await sro(['reprot']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("did you mean 'sro report'?");
  });

  it('given `sro report --asof 2026-03-02`, then exit 2 with "did you mean --as-of" and not Node\'s parser message', async () => {
    const r = await sro(['report', '--asof', '2026-03-02']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown option --asof; did you mean --as-of?');
    expect(r.stderr).not.toContain('To specify a positional argument');
  });

  it('given an option far from every real one, then no suggestion is made up', async () => {
    const r = await sro(['scan', '--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown option --frobnicate');
    expect(r.stderr).not.toContain('did you mean');
  });
});
