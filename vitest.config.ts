import { defineConfig } from 'vitest/config';

// Unit and HTTP-level tests. Browser end-to-end tests run under Playwright (playwright.config.ts),
// the desktop app's under playwright.electron.config.ts.
export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    // Playwright's: test/e2e (a browser, playwright.config.ts), test/electron (the desktop app,
    // playwright.electron.config.ts).
    exclude: ['test/e2e/**', 'test/electron/**', 'node_modules/**'],
    pool: 'forks',
    // One PostgreSQL for the run (a private cluster, or LATCHKEY_TEST_DATABASE_URL); see the file.
    globalSetup: ['test/support/postgres/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
