// The real desktop app under Playwright's Electron driver (test/electron/), run like the browser
// tests (playwright.config.ts: one worker, no retries) but with its own folder, set-up and
// time limits. It needs the Electron binary, which this machine's network can't download: there
// every test is reported as skipped, with that reason (test/electron/support/electron-app.ts).
// On Linux the tests need a display (xvfb-run) and run each app in its own gnome-keyring session.
import { defineConfig } from '@playwright/test';
import browserTests from './playwright.config.js';

export default defineConfig({
  ...browserTests,
  testDir: 'test/electron',
  testMatch: ['**/*.spec.ts', '**/*.test.ts'],
  outputDir: 'test-results/electron',
  globalSetup: './test/electron/support/global-setup.ts',
  timeout: 240_000,
  expect: { timeout: 20_000 },
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure' },
});
