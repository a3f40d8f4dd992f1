// The long suite (`npm run test:long`): the roster and report at scale, the console under load,
// the roster and DSN fuzzers, the import checked against its in-memory oracle, the import's
// safety runs and the delivery's durability scenarios, the compiled `sro report`, `sro scan` and
// `sro demo` end to end (each tens of seconds: `npm test` runs its files one at a time on two
// cores), and each benchmark script run once at N = 1,000 so that it cannot rot. Same services and set-up as `npm test`'s
// `services` project (the real PostgreSQL, Redis, SMTP peer; dist/ built; one template database).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/long/**/*.test.ts'],
    globalSetup: ['test/helpers/build.ts', 'test/helpers/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
