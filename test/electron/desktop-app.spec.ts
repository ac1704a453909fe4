// The journeys only the real desktop app can show, driven by Playwright's Electron support
// (docs/desktop.md "Tests"). Each test starts Latchkey with a fresh profile; on Linux each profile
// has its own gnome-keyring. Where the Electron binary is missing (this machine: its download is
// refused) every test is reported as skipped with that reason.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test, type Page } from '@playwright/test';
import { KEYCHAIN_UNAVAILABLE_MESSAGE } from '../../src-renderer/features/desktop/KeychainNotice.js';
import { Authenticator } from '../e2e/support/authenticator.js';
import { createAccount, dialog, openSecuritySettings, PASSWORD, signOutFromSecurity } from '../e2e/support/flows.js';
import {
  filesContaining,
  filesNamed,
  openedPaths,
  Profile,
  saveDialogCalls,
  serverPid,
  sessionCookie,
  SKIP_REASON,
  stubOpenPath,
  stubSaveDialog,
} from './support/electron-app.js';

test.skip(SKIP_REASON !== null, SKIP_REASON ?? '');
test.afterAll(() => Profile.removeAll());

const health = (page: Page) =>
  page.evaluate(async () => ((await (await fetch('/api/v1/health')).json()) as { status: string }).status);

test('first launch starts the bundled server and shows Sign in, in a locked-down window', async () => {
  const profile = new Profile();
  const { app, page } = await profile.launch();
  try {
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
    expect(new URL(page.url()).origin).toMatch(/^http:\/\/localhost:\d+$/);
    expect(await health(page)).toBe('ok');
    expect(await serverPid(app)).toBeGreaterThan(0);
    expect(existsSync(join(profile.userData, 'server', 'latchkey.db'))).toBe(true);
    // The page's world has no Node, and the bridge has exactly its two functions.
    expect(
      await page.evaluate(() => [
        typeof (globalThis as { require?: unknown }).require,
        typeof (globalThis as { process?: unknown }).process,
      ]),
    ).toEqual(['undefined', 'undefined']);
    expect(await page.evaluate(() => Object.keys((window as unknown as { latchkey: object }).latchkey).sort())).toEqual(
      ['getStatus', 'saveTextFile'],
    );
    const status = await page.evaluate(() =>
      (
        window as unknown as { latchkey: { getStatus(): Promise<{ keychain: { available: boolean } }> } }
      ).latchkey.getStatus(),
    );
    expect(status.keychain.available).toBe(true);
    await expect(page.getByRole('status', { name: 'Keychain unavailable' })).toHaveCount(0);
    // The log file in the user-data folder has the main process and the server.
    expect(profile.log()).toMatch(/\[main\] bundled server: running/);
  } finally {
    await app.close();
  }
});

test('sign in, quit, reopen: still signed in, the session in the OS keychain and not in Chromium’s cookie file', async () => {
  const profile = new Profile();
  const first = await profile.launch();
  let token: string;
  try {
    await createAccount(first.page, 'desktop', PASSWORD);
    const cookie = await sessionCookie(first.app);
    expect(cookie).not.toBeNull();
    // A session cookie (no expiry): Chromium keeps it in memory only.
    expect(cookie).toMatchObject({ session: true });
    expect(cookie!.expirationDate).toBeUndefined();
    token = cookie!.value;
  } finally {
    await first.app.close();
  }

  const second = await profile.launch();
  try {
    await expect(second.page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
    expect(await second.page.evaluate(async () => (await fetch('/api/v1/me')).status)).toBe(200);
    expect(profile.log()).toContain('session from the OS keychain: restored');
  } finally {
    await second.app.close();
  }

  // The partition is on disk (Touch ID credentials survive), its cookie file never had the session.
  expect(existsSync(join(profile.userData, 'Partitions', 'latchkey'))).toBe(true);
  for (const file of filesNamed(join(profile.userData, 'Partitions'), 'Cookies')) {
    const database = new Database(file, { readonly: true, fileMustExist: true });
    try {
      expect(database.prepare("SELECT count(*) AS n FROM cookies WHERE name = 'latchkey_session'").get()).toEqual({
        n: 0,
      });
    } finally {
      database.close();
    }
  }
  // Nor anywhere else in the app's folder (the log included).
  expect(filesContaining(profile.userData, token)).toEqual([]);

  // Sign out, so no session of this test stays in the OS keychain.
  const third = await profile.launch();
  try {
    await openSecuritySettings(third.page);
    await signOutFromSecurity(third.page);
  } finally {
    await third.app.close();
  }
});

test('Download of the backup codes goes through the native Save dialog and writes a private file', async () => {
  const profile = new Profile();
  const { app, page } = await profile.launch();
  try {
    await createAccount(page, 'codes', PASSWORD);
    await openSecuritySettings(page);
    await page.getByRole('button', { name: 'Enable Two-Factor Authentication' }).click();
    await dialog(page).getByLabel('Password').fill(PASSWORD);
    await dialog(page).getByRole('button', { name: 'Continue' }).click();
    await dialog(page).getByRole('button', { name: "Can't scan it?" }).click();
    const secret = ((await dialog(page).locator('code.secret-key').textContent()) ?? '').replace(/ /g, '');
    await dialog(page).getByRole('button', { name: 'Next' }).click();
    await dialog(page)
      .getByLabel('6-digit code')
      .fill(await new Authenticator(secret).nextCode());
    await dialog(page).getByRole('button', { name: 'Turn on' }).click();
    const codes = (
      await dialog(page).getByRole('list', { name: 'Your backup codes' }).getByRole('listitem').allTextContents()
    ).map((code) => code.trim());
    expect(codes).toHaveLength(10);

    const target = join(profile.folder, 'chosen-by-the-person.txt');
    await stubSaveDialog(app, target);
    await dialog(page).getByRole('button', { name: 'Download' }).click();
    await expect(dialog(page).getByText('Saved the codes to a file.')).toBeVisible();
    const [asked] = await saveDialogCalls(app);
    expect(asked?.defaultPath).toMatch(/latchkey-backup-codes\.txt$/);
    const text = readFileSync(target, 'utf8');
    for (const code of codes) expect(text).toContain(code);
    if (process.platform !== 'win32') expect(statSync(target).mode & 0o777).toBe(0o600);
  } finally {
    await app.close();
  }
});

test('a server that dies is restarted once; the second time the error screen says so and opens the logs folder', async () => {
  const profile = new Profile();
  const { app, page } = await profile.launch();
  try {
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
    const origin = new URL(page.url()).origin;
    const firstPid = await serverPid(app);
    process.kill(firstPid, 'SIGKILL');
    await expect.poll(() => serverPid(app), { timeout: 30_000 }).not.toBe(firstPid);
    // Restarted on the same port: the window reloads the same origin.
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
    expect(new URL(page.url()).origin).toBe(origin);
    expect(await health(page)).toBe('ok');
    expect(profile.log()).toMatch(/bundled server: restarting/);

    await stubOpenPath(app);
    process.kill(await serverPid(app), 'SIGKILL');
    await page.waitForURL(/^data:/, { timeout: 30_000 });
    await expect(page.getByRole('heading', { level: 1, name: 'Latchkey’s server stopped' })).toBeVisible();
    await expect(page.getByText(/already restarted once/)).toBeVisible();
    await page.getByRole('link', { name: 'Open logs folder' }).click();
    await expect.poll(() => openedPaths(app)).toEqual([join(profile.userData, 'logs')]);
    expect(page.url()).toMatch(/^data:/);
  } finally {
    await app.close();
  }
});

test('without a keychain the app still works and the User Center says the sign-in can’t be kept', async () => {
  test.skip(
    process.platform !== 'linux',
    'Only Linux can start the app without a secret service (with-keyring.sh none).',
  );
  const profile = new Profile('none');
  const { app, page } = await profile.launch();
  try {
    const notice = page.getByRole('status', { name: 'Keychain unavailable' });
    await expect(notice).toContainText(KEYCHAIN_UNAVAILABLE_MESSAGE);
    await createAccount(page, 'nokeychain', PASSWORD);
    await expect(notice).toBeVisible();
    expect(profile.log()).toMatch(/The OS keychain is not available/);
  } finally {
    await app.close();
  }
});
