// End-to-end tests of the built desktop app (Playwright's _electron); they skip, saying why, without an Electron binary.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/e2e-electron/**/*.test.ts'],
    globalSetup: ['tests/e2e-electron/global-setup.ts'],
    environment: 'node',
    // Building the app and starting Electron take far longer than a unit test.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // One Electron at a time: the suite switches better-sqlite3's native build for the whole checkout.
    fileParallelism: false,
  },
});
