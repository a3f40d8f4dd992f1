import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs no build, no database and no Redis (`npx vitest run --project unit`);
// `services` runs against the real PostgreSQL, Redis, an in-process SMTP peer and Chromium, and
// first builds dist/ (the CLI tests run the compiled `sro`) and the migrated template database.
// The long files (scale, load, fuzz, the oracle, the benchmark scripts at N = 1,000) are a suite
// of their own, `npm run test:long` (vitest.long.config.ts), so that `npm test` stays short.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'services',
          include: ['test/integration/**/*.test.ts', 'test/web/**/*.test.ts', 'test/browser/**/*.test.ts'],
          globalSetup: ['test/helpers/build.ts', 'test/helpers/global-setup.ts'],
        },
      },
    ],
  },
});
