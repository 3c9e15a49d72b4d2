// Unit tests: beside their code as *.test.ts(x). End-to-end suites have their own configs.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{electron,preload,engine,native,renderer,marketplace,scripts,tests}/**/*.test.{ts,tsx}'],
    exclude: ['node_modules/**', 'out/**', 'tests/e2e-web/**', 'tests/e2e-electron/**', 'tests/bench/**'],
    environment: 'node',
    testTimeout: 30_000,
    pool: 'forks',
  },
});
