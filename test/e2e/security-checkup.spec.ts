// The security checkup at the top of Settings > Security, end to end in Debian's Chromium against
// the built server: with the password alone it asks to turn on two-factor (and its button opens
// that dialog); with one factor it asks for a second; with two factors and three backup codes left
// it sends the person to generate new ones. Axe on each state, light and dark.
import { expect, test, type Page } from '@playwright/test';
import { signInWithBackupCodes } from './support/elsewhere.js';
import { createAccount, dialog, openSecuritySettings, PASSWORD } from './support/flows.js';
import { startLatchkey, type RunningServer } from './support/latchkey-server.js';
import { checkScreen } from './support/page-checks.js';
import { enableAuthenticatorApp, startAddingKey, USB_KEY, VirtualAuthenticators } from './support/security-keys.js';

let server: RunningServer;

test.beforeAll(async () => {
  server = await startLatchkey();
});
test.afterAll(async () => {
  await server?.stop();
});

function checkup(page: Page) {
  return page.getByRole('region', { name: 'Security checkup' });
}

test('the checkup names the one next step: two-factor, a second factor, new backup codes', async ({ page }) => {
  test.setTimeout(180_000);
  const username = 'nora';
  await page.goto(server.origin);
  const authenticators = await VirtualAuthenticators.attach(page);
  const usb = await authenticators.add(USB_KEY);
  await createAccount(page, username);
  await openSecuritySettings(page);

  await test.step('password alone: turn on two-factor, and the button opens its dialog', async () => {
    await expect(checkup(page)).toContainText('Two-factor authentication is off: your password alone signs you in.');
    await expect(checkup(page)).toContainText('Next step: Turn on two-factor authentication');
    await checkScreen(page, 'security-checkup-off');
    await checkup(page).getByRole('button', { name: 'Turn on two-factor authentication' }).click();
    await expect(dialog(page)).toHaveAccessibleName('Enable Two-Factor Authentication');
    await page.keyboard.press('Escape');
    await expect(dialog(page)).toHaveCount(0);
  });

  await test.step('the authenticator app alone: add a second factor', async () => {
    await enableAuthenticatorApp(page);
    await expect(checkup(page)).toContainText('Two-factor authentication is on: authenticator app.');
    await expect(checkup(page)).toContainText('10 backup codes left.');
    await expect(checkup(page)).toContainText('so that one lost phone does not lock you out');
    await checkup(page).getByRole('button', { name: 'Go to security keys' }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'Security keys' })).toBeFocused();
  });

  let codes: string[] = [];
  await test.step('with a security key as well, nothing to do', async () => {
    await startAddingKey(page, 'Desk key');
    await authenticators.use(usb);
    await dialog(page).getByRole('button', { name: 'Add key' }).click();
    await expect(dialog(page)).toHaveCount(0);
    await expect(checkup(page)).toContainText('authenticator app and 1 security key.');
    await expect(checkup(page)).toContainText('Nothing to do.');
    await expect(checkup(page).getByRole('button')).toHaveCount(0);

    await page.getByRole('button', { name: 'Generate new backup codes' }).click();
    await dialog(page).getByLabel('Password').fill(PASSWORD);
    await dialog(page).getByRole('button', { name: 'Generate', exact: true }).click();
    const list = dialog(page).getByRole('list', { name: 'Your backup codes' });
    await expect(list.getByRole('listitem')).toHaveCount(10);
    codes = await list.getByRole('listitem').allTextContents();
    await dialog(page).getByLabel('I have saved these codes').check();
    await dialog(page).getByRole('button', { name: 'Done' }).click();
  });

  await test.step('three backup codes left: generate new ones', async () => {
    await signInWithBackupCodes(server.origin, username, codes.slice(0, 7));
    await page.reload();
    await expect(checkup(page)).toContainText('3 backup codes left.');
    await expect(checkup(page)).toContainText('You are running low on backup codes.');
    await checkScreen(page, 'security-checkup-low-codes');
    await checkup(page).getByRole('button', { name: 'Go to backup codes' }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'Backup codes' })).toBeFocused();
  });
});
