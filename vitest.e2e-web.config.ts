// Browser end-to-end tests: Debian's Chromium (playwright-core) against the loopback host, one test at a time.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/e2e-web/**/*.e2e.ts'],
    globalSetup: ['tests/e2e-web/global-setup.ts'],
    environment: 'node',
    pool: 'forks',
    // One browser and one studio at a time: the machine has two cores and imports use worker threads.
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
