// Runs on the project's own `npm ci`/`npm install`: generate the Prisma client
// (src/generated/prisma). DATABASE_URL only needs to be set, not reachable.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
let cli;
try {
  cli = join(dirname(require.resolve('prisma/package.json')), 'build', 'index.js');
} catch {
  process.exit(0); // installed without dev tooling: nothing to generate
}
const env = {
  ...process.env,
  DATABASE_URL: process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/sro',
  CHECKPOINT_DISABLE: '1',
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
};
const r = spawnSync(process.execPath, [cli, 'generate'], { stdio: 'inherit', env });
if (r.status !== 0) process.exit(r.status ?? 1);

// Then the compiled build that bin/sro.js runs (dist/), when the compiler is installed (a
// production install, `npm ci --omit=dev`, takes dist/ from the build stage instead).
let tsc;
try {
  tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
} catch {
  process.exit(0);
}
const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
process.exit(build.status ?? 1);
