// Where the package is installed, and its version (`sro --version`, `sro_build_info`): from
// the sources (src/shell/) or the compiled build (dist/src/shell/), the nearest folder up
// whose package.json is this package's.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'sro-compliance-worker';

function findRoot(): { root: string; version: string } {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === PACKAGE_NAME) return { root: dir, version: pkg.version ?? 'unknown' };
    }
    const up = dirname(dir);
    if (up === dir)
      throw new Error(`cannot find the ${PACKAGE_NAME} package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

let found: { root: string; version: string } | null = null;

/** The package's folder (package.json, prisma/, examples/). */
export function packageRoot(): string {
  return (found ??= findRoot()).root;
}

export function packageVersion(): string {
  return (found ??= findRoot()).version;
}
