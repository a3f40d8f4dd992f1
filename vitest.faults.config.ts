// The fault suite (`npm run test:faults`): real `sro worker` processes against a private
// PostgreSQL and Redis that test/faults/global-setup.ts starts and tears down. The files run
// one at a time: they share that cluster, and one scenario restarts it.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    globalSetup: ['test/helpers/build.ts', 'test/faults/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
    pool: 'forks',
  },
});
