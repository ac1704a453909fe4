// The User Center end to end, in Debian's Chromium against the real built server (own process,
// fresh data folder): create account → enable 2FA with the key under "Can't scan it?" → download
// the backup codes → sign in with a TOTP code → with a backup code → new codes (an old one
// refused) → disable 2FA → password alone. Axe and screenshots on every screen on the way.
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { Authenticator } from './support/authenticator.js';
import {
  createAccount,
  dialog,
  openSecuritySettings,
  PASSWORD,
  readBackupCodes,
  signInWithPassword,
  signOutFromSecurity,
  verify,
} from './support/flows.js';
import { startLatchkey, type RunningServer } from './support/latchkey-server.js';
import { checkScreen, expectAccessible, watchContentSecurityPolicy } from './support/page-checks.js';

let server: RunningServer;

test.beforeAll(async () => {
  server = await startLatchkey();
});
test.afterAll(async () => {
  await server?.stop();
});

test('a person turns two-factor on, signs in with each factor, renews the codes and turns it off', async ({ page }) => {
  test.setTimeout(180_000);
  const cspViolations = await watchContentSecurityPolicy(page);
  const username = 'alice';
  let authenticator!: Authenticator;
  let secret = '';
  let firstCodes: string[] = [];

  await test.step('create an account', async () => {
    await page.goto(server.origin);
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
    await checkScreen(page, 'sign-in');
    await page.getByRole('button', { name: 'Create account' }).click();
    await checkScreen(page, 'create-account');
    await page.getByRole('button', { name: 'Sign in instead' }).click();
    await createAccount(page, username);
    await checkScreen(page, 'account-home');
  });

  await test.step('open Settings > Security from the account menu', async () => {
    await openSecuritySettings(page);
    await expect(page).toHaveURL(/\/settings\/security$/);
    await expect(page.getByText('Signing in needs only your password.')).toBeVisible();
    await expect(page.getByRole('list', { name: 'Security events, newest first' })).toContainText('Account created');
    await checkScreen(page, 'security-off', { fullPage: true });
  });

  await test.step('enable two-factor: password, then the key under "Can\'t scan it?", then a code', async () => {
    await page.getByRole('button', { name: 'Enable Two-Factor Authentication' }).click();
    await expect(dialog(page)).toHaveAccessibleName('Enable Two-Factor Authentication');
    await expect(dialog(page).getByRole('heading', { name: 'Confirm your password' })).toBeVisible();
    await expectAccessible(page, 'enable: password');

    await dialog(page).getByLabel('Password').fill('not my password');
    await dialog(page).getByRole('button', { name: 'Continue' }).click();
    await expect(dialog(page).getByRole('alert')).toHaveText(/That password is not right/);
    await dialog(page).getByLabel('Password').fill(PASSWORD);
    await dialog(page).getByRole('button', { name: 'Continue' }).click();

    await expect(dialog(page).getByRole('heading', { name: 'Set up your authenticator app' })).toBeVisible();
    const qr = dialog(page).getByRole('img', { name: /QR code/ });
    await expect(qr).toBeVisible();
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    expect(await qr.evaluate((image: HTMLImageElement) => image.naturalWidth)).toBeGreaterThan(0);
    for (const app of ['Google Authenticator', 'Authy', 'LastPass Authenticator', '1Password']) {
      await expect(
        dialog(page)
          .getByRole('listitem')
          .filter({ hasText: new RegExp(`^${app}$`) }),
      ).toBeVisible();
    }
    const reveal = dialog(page).getByRole('button', { name: "Can't scan it?" });
    await expect(reveal).toHaveAttribute('aria-expanded', 'false');
    await reveal.click();
    await expect(reveal).toHaveAttribute('aria-expanded', 'true');
    const grouped = (await dialog(page).locator('code.secret-key').textContent()) ?? '';
    expect(grouped).toMatch(/^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/);
    secret = grouped.replace(/ /g, '');
    expect(secret).toHaveLength(32);
    authenticator = new Authenticator(secret);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
    await dialog(page).getByRole('button', { name: 'Copy key' }).click();
    await expect(dialog(page).getByRole('status').filter({ hasText: 'Key copied.' })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await checkScreen(page, 'enable-scan');

    await dialog(page).getByRole('button', { name: 'Next' }).click();
    await expect(dialog(page).getByRole('heading', { name: 'Enter the 6-digit code' })).toBeVisible();
    await expect(dialog(page).getByRole('heading', { name: 'Enter the 6-digit code' })).toBeFocused();
    await expectAccessible(page, 'enable: code');
    await dialog(page).getByLabel('6-digit code').fill(authenticator.wrongCode());
    await dialog(page).getByRole('button', { name: 'Turn on' }).click();
    await expect(dialog(page).getByRole('alert')).toHaveText(/That code does not match/);
    await dialog(page)
      .getByLabel('6-digit code')
      .fill(await authenticator.nextCode());
    await dialog(page).getByRole('button', { name: 'Turn on' }).click();
    await expect(dialog(page).getByRole('heading', { name: 'Save your backup codes' })).toBeVisible();
  });

  await test.step('save the backup codes: Download writes latchkey-backup-codes.txt, Done needs a tick', async () => {
    firstCodes = await readBackupCodes(page);
    // The secret is gone as soon as the server accepted a code from it.
    expect(await page.content()).not.toContain(secret);
    await checkScreen(page, 'enable-backup-codes');

    const done = dialog(page).getByRole('button', { name: 'Done' });
    await expect(done).toBeDisabled();
    await expect(dialog(page).getByRole('button', { name: 'Close' })).toHaveCount(0);
    await page.keyboard.press('Escape');
    await expect(dialog(page)).toBeVisible();

    await dialog(page).getByRole('button', { name: 'Copy', exact: true }).click();
    await expect(dialog(page).getByRole('status').filter({ hasText: 'Codes copied.' })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(firstCodes.join('\n'));

    const downloadPromise = page.waitForEvent('download');
    await dialog(page).getByRole('button', { name: 'Download' }).click();
    const download = await downloadPromise;
    expect(download.suggestedFilename()).toBe('latchkey-backup-codes.txt');
    const text = await readFile((await download.path()) ?? '', 'utf8');
    expect(text).toContain(`Account: ${username}`);
    expect(text).toContain(`Created: ${new Date().toISOString().slice(0, 10)}`);
    for (const code of firstCodes) expect(text).toContain(code);
    expect(text).toMatch(/Each code works once/);
    await expect(dialog(page).getByRole('status').filter({ hasText: 'Downloading' })).toBeVisible();

    await page.emulateMedia({ media: 'print' });
    await expect(dialog(page).getByRole('button', { name: 'Print' })).toBeHidden();
    await expect(dialog(page).getByText(firstCodes[0] ?? '')).toBeVisible();
    await page.emulateMedia({ media: 'screen' });

    await dialog(page).getByLabel('I have saved these codes').check();
    await expect(done).toBeEnabled();
    await done.click();
    await expect(dialog(page)).toHaveCount(0);
    await expect(page.getByRole('heading', { name: 'Two-factor authentication' })).toBeFocused();
    await expect(page.getByText('Two-factor authentication is on.')).toBeVisible();
    await expect(page.getByText('10 of 10 backup codes left', { exact: false })).toBeVisible();
    // Closed dialog: neither the codes nor the secret stay in the page.
    const html = await page.content();
    for (const code of firstCodes) expect(html).not.toContain(code);
    await checkScreen(page, 'security-on', { fullPage: true });
  });

  await test.step("sign out, then sign in with a wrong code and then the app's code", async () => {
    await signOutFromSecurity(page);
    await expect(page.getByRole('main').getByText('You have signed out.')).toBeVisible();
    // Also read out: the app-wide live region that outlives the screen change carries it.
    await expect(page.getByRole('status').filter({ hasText: 'You have signed out.' })).toHaveCount(1);
    await expect(page.getByLabel('Username')).toHaveValue(username);
    await signInWithPassword(page, username);
    await expect(page.getByRole('heading', { level: 1, name: 'Two-step verification' })).toBeVisible();
    await expect(page.getByLabel('Verification code')).toBeFocused();
    await checkScreen(page, 'verification-code');

    await verify(page, authenticator.wrongCode());
    await expect(page.getByRole('alert')).toHaveText(/That code is not right or was already used/);
    await expect(page.getByLabel('Verification code')).toHaveAttribute('aria-invalid', 'true');
    await expectAccessible(page, 'verification: wrong code');
    await verify(page, await authenticator.nextCode());
    await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
  });

  await test.step('sign out from the account menu, sign in with a backup code', async () => {
    await page.getByRole('button', { name: / account menu$/ }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await signInWithPassword(page, username);
    // Any letter case, the same field: a backup code goes to the backup-code endpoint.
    await verify(page, (firstCodes[0] ?? '').toUpperCase());
    await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
    await openSecuritySettings(page);
    await expect(page.getByText('9 of 10 backup codes left', { exact: false })).toBeVisible();
    await expect(page.getByRole('list', { name: 'Security events, newest first' })).toContainText('Backup code used');
  });

  let secondCodes: string[] = [];
  await test.step('generate new backup codes: the old ones stop working', async () => {
    await page.getByRole('button', { name: 'Generate new backup codes' }).click();
    await expect(dialog(page)).toContainText('Your current backup codes stop working');
    await expectAccessible(page, 'generate codes: password');
    await dialog(page).getByLabel('Password').fill(PASSWORD);
    await dialog(page).getByRole('button', { name: 'Generate', exact: true }).click();
    secondCodes = await readBackupCodes(page);
    expect(secondCodes.some((code) => firstCodes.includes(code))).toBe(false);
    await checkScreen(page, 'new-backup-codes');
    await dialog(page).getByLabel('I have saved these codes').check();
    await dialog(page).getByRole('button', { name: 'Done' }).click();
    await expect(dialog(page)).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Generate new backup codes' })).toBeFocused();

    await signOutFromSecurity(page);
    await signInWithPassword(page, username);
    await verify(page, firstCodes[1] ?? '');
    await expect(page.getByRole('alert')).toHaveText(/not right or was already used/);
    await verify(page, secondCodes[0] ?? '');
    await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
  });

  await test.step('disable two-factor with the password, then sign in with the password alone', async () => {
    await openSecuritySettings(page);
    await page.getByRole('button', { name: 'Disable Two-Factor Authentication' }).click();
    await expect(dialog(page)).toHaveAccessibleName('Disable Two-Factor Authentication');
    await expectAccessible(page, 'disable: password');
    await checkScreen(page, 'disable-two-factor');
    await dialog(page).getByLabel('Password').fill(PASSWORD);
    await dialog(page).getByRole('button', { name: 'Disable', exact: true }).click();
    await expect(dialog(page)).toHaveCount(0);
    await expect(page.getByText('Two-factor authentication is off.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Enable Two-Factor Authentication' })).toBeVisible();
    await expect(page.getByRole('list', { name: 'Security events, newest first' })).toContainText(
      'Two-factor authentication turned off',
    );

    await signOutFromSecurity(page);
    await signInWithPassword(page, username);
    await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
    await expect(page.getByText('Two-factor off')).toBeVisible();
  });

  expect(await cspViolations()).toEqual([]);
});
