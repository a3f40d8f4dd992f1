import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/unit/**/*.test.ts',
      'test/integration/**/*.test.ts',
      'test/web/**/*.test.ts',
      'test/browser/**/*.test.ts',
      'test/bench-smoke/**/*.test.ts',
    ],
    globalSetup: ['test/helpers/build.ts', 'test/helpers/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
