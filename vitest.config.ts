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
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
