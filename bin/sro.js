#!/usr/bin/env node
// The `sro` command: runs the compiled build (dist/, made by `npm run build`, which `npm ci`
// runs through postinstall). A checkout without a build (a developer who has not run
// `npm run build`) runs the TypeScript sources through tsx, a development dependency.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/src/cli.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    process.stderr.write('sro: no compiled build (dist/) and no tsx to run the sources: run `npm run build`\n');
    process.exit(3);
  }
  register();
  await import('../src/cli.ts');
}
