// The desktop app itself, driven through Playwright's Electron support (`_electron`), for the
// journeys only Electron can show (test/electron/). They need the Electron binary: where npm
// installed without it (this project's build machines) they are reported as skipped with that
// reason; the GitHub workflow runs them on Windows, macOS and Linux (under xvfb-run).
import { defineConfig } from '@playwright/test';
import browserTests from './playwright.config';

export default defineConfig({
  // One app at a time, no retries, forbidOnly under CI, the list reporter: as the browser tests.
  ...browserTests,
  testDir: 'test/electron',
  testMatch: ['**/*.spec.ts', '**/*.test.ts'],
  outputDir: 'test-results/electron',
  // No browser: each test starts its own Electron, with its own user-data folder.
  globalSetup: undefined,
  timeout: 180_000,
  expect: { timeout: 15_000 },
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure' },
});
