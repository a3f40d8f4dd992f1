// The package's version (`sro --version`, `sro_build_info`), read once from package.json.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let version: string | null = null;

export function packageVersion(): string {
  if (version === null) {
    // src/shell/ (sources) or dist/src/shell/ (compiled): package.json is two or three levels up.
    const here = dirname(fileURLToPath(import.meta.url));
    for (const up of [['..', '..'], ['..', '..', '..']]) {
      try {
        const pkg = JSON.parse(readFileSync(join(here, ...up, 'package.json'), 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'sro-compliance-worker' && pkg.version) {
          version = pkg.version;
          break;
        }
      } catch {
        // not here: try one level up
      }
    }
    version ??= 'unknown';
  }
  return version;
}
