// The desktop app's notice that the sign-in can't be kept, on the real User Center in Chromium.
// The Electron preload can't run here: an init script stands in for window.latchkey (the one
// function the notice calls), answering as the main process does when the keychain is missing.
// The real preload and app: test/main/preload, test/electron.
import { expect, test } from '@playwright/test';
import { KEYCHAIN_UNAVAILABLE_MESSAGE } from '../../src-renderer/features/desktop/KeychainNotice.js';
import { createAccount } from './support/flows.js';
import { startLatchkey, type RunningServer } from './support/latchkey-server.js';
import { checkScreen } from './support/page-checks.js';

const REASON =
  'The OS keychain is not available (Cannot autolaunch D-Bus without X11 $DISPLAY). Latchkey works, but you will have to sign in each time you open it.';
let server: RunningServer;

test.beforeAll(async () => {
  server = await startLatchkey();
});
test.afterAll(async () => {
  await server?.stop();
});

test('without a keychain the desktop User Center says the sign-in can’t be kept, and still works', async ({ page }) => {
  await page.addInitScript((reason) => {
    (window as unknown as { latchkey: object }).latchkey = {
      getStatus: async () => ({
        appVersion: '0.1.0',
        server: { mode: 'bundled', origin: location.origin, healthy: true },
        keychain: { available: false, reason },
        policy: { managed: false, error: null },
      }),
      saveTextFile: async () => ({ saved: false }),
    };
  }, REASON);
  await page.goto(server.origin);
  const notice = page.getByRole('status', { name: 'Keychain unavailable' });
  await expect(notice).toContainText(KEYCHAIN_UNAVAILABLE_MESSAGE);
  await expect(notice).toContainText(REASON);
  await checkScreen(page, 'keychain-unavailable-sign-in');
  await createAccount(page, 'carol');
  await expect(notice).toBeVisible();
  await checkScreen(page, 'keychain-unavailable-signed-in');
});

test('in a browser there is no notice', async ({ page }) => {
  await page.goto(server.origin);
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('status', { name: 'Keychain unavailable' })).toHaveCount(0);
});
