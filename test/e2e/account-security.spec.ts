// Account security, second part, end to end in Debian's Chromium against the built server: change
// the password (errors as sentences, a strength hint that never blocks, the count of sessions it
// ended); where you're signed in (device and browser in words, This device, Sign out one, Sign out
// everywhere else, the ended session refused at once); "Sign out everywhere else" in the dialogs
// that remove a factor or replace the codes; the phone's clock told apart from a wrong code; the
// prompt for new codes after signing in with one of the last three; Test on a security key
// (virtual authenticators). Axe and screenshots on each new screen and dialog.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, request, test, type Page } from '@playwright/test';
import { createAccount, dialog, openSecuritySettings, PASSWORD, signInWithPassword, verify } from './support/flows.js';
import { meStatus, signInElsewhere as signInElsewhereAt, signInWithBackupCodes } from './support/elsewhere.js';
import { REPO_ROOT, startLatchkey, type RunningServer } from './support/latchkey-server.js';
import { checkScreen, expectAccessible, watchContentSecurityPolicy } from './support/page-checks.js';
import {
  beginAuthenticatorSetup,
  checkPart,
  enableAuthenticatorApp,
  keyItem,
  securityKeysSection,
  startAddingKey,
  USB_KEY,
  VirtualAuthenticators,
} from './support/security-keys.js';

let server: RunningServer;

test.beforeAll(async () => {
  server = await startLatchkey();
});
test.afterAll(async () => {
  await server?.stop();
});

/** A sign-in from elsewhere (no browser page): its own cookie jar, an iPhone's user agent. */
function signInElsewhere(username: string, password = PASSWORD) {
  return signInElsewhereAt(server.origin, username, password);
}

function sessionsSection(page: Page) {
  return page.getByRole('region', { name: "Where you're signed in" });
}

function sessionItems(page: Page) {
  return sessionsSection(page)
    .getByRole('list', { name: "Places you're signed in, newest first" })
    .getByRole('listitem');
}

async function readBackupCodes(page: Page): Promise<string[]> {
  const list = dialog(page).getByRole('list', { name: 'Your backup codes' });
  await expect(list.getByRole('listitem')).toHaveCount(10);
  return list.getByRole('listitem').allTextContents();
}

test('change the password: sentences for each refusal, a hint that never blocks, the others signed out', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const cspViolations = await watchContentSecurityPolicy(page);
  await page.goto(server.origin);
  await createAccount(page, 'lena');
  const phone = await signInElsewhere('lena');
  const laptop = await signInElsewhere('lena');
  await openSecuritySettings(page);

  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(dialog(page)).toHaveAccessibleName('Change password');
  await expect(dialog(page).getByLabel('Current password')).toBeFocused();
  await checkScreen(page, 'change-password');

  await test.step('refusals are sentences in the alert region', async () => {
    await dialog(page).getByLabel('Current password').fill(PASSWORD);
    await dialog(page).getByLabel('New password', { exact: true }).fill('short');
    await dialog(page).getByLabel('Confirm new password').fill('short');
    await dialog(page).getByRole('button', { name: 'Change password' }).click();
    await expect(dialog(page).getByRole('alert')).toHaveText(/at least 8 characters/);

    await dialog(page).getByLabel('New password', { exact: true }).fill('a brand new passphrase');
    await dialog(page).getByLabel('Confirm new password').fill('a brand new passphrasx');
    await dialog(page).getByRole('button', { name: 'Change password' }).click();
    await expect(dialog(page).getByRole('alert')).toHaveText(/not the same/);

    await dialog(page).getByLabel('Current password').fill('not my password');
    await dialog(page).getByLabel('Confirm new password').fill('a brand new passphrase');
    await dialog(page).getByRole('button', { name: 'Change password' }).click();
    await expect(dialog(page).getByRole('alert')).toHaveText(/That password is not right/);

    await dialog(page).getByLabel('Current password').fill(PASSWORD);
    await dialog(page).getByLabel('New password', { exact: true }).fill(PASSWORD);
    await dialog(page).getByLabel('Confirm new password').fill(PASSWORD);
    await dialog(page).getByRole('button', { name: 'Change password' }).click();
    await expect(dialog(page).getByRole('alert')).toHaveText(/same as the current one/);
    await expectAccessible(page, 'change password: refused');
  });

  await test.step('a weak but allowed password: the hint says so, and the change goes through', async () => {
    await dialog(page).getByLabel('New password', { exact: true }).fill('password');
    await expect(dialog(page).getByText(/Strength: (Very weak|Weak)\./)).toBeVisible();
    await expect(dialog(page).getByLabel('New password', { exact: true })).toHaveAccessibleDescription(/Strength:/);
    await checkPart(page, dialog(page), 'change-password-strength');
    await dialog(page).getByLabel('Confirm new password').fill('password');
    await dialog(page).getByRole('button', { name: 'Change password' }).click();
    await expect(dialog(page)).toHaveCount(0);
    await expect(page.getByRole('region', { name: 'Password' }).getByRole('status')).toHaveText(
      'Your password is changed. 2 other sessions were signed out.',
    );
    await expect(page.getByRole('button', { name: 'Change password' })).toBeFocused();
  });

  await test.step('the other sessions are refused at once; the new password signs in', async () => {
    expect(await meStatus(phone)).toBe(401);
    expect(await meStatus(laptop)).toBe(401);
    await expect(page.getByRole('list', { name: 'Security events, newest first' })).toContainText('Password changed');
    await page.getByRole('button', { name: / account menu$/ }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await signInWithPassword(page, 'lena', 'password');
    await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
  });
  await Promise.all([phone.dispose(), laptop.dispose()]);
  expect(await cspViolations()).toEqual([]);
});

test("where you're signed in: each place in words, sign out one, sign out everywhere else", async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(server.origin);
  await createAccount(page, 'mia');
  const phone = await signInElsewhere('mia');
  await openSecuritySettings(page);

  await test.step('this device first in the list, the phone in words', async () => {
    await expect(sessionItems(page)).toHaveCount(2);
    const here = sessionItems(page).filter({ hasText: 'This device' });
    await expect(here).toContainText('Chrome on Linux (computer)');
    await expect(here).toContainText('Password');
    await expect(here).toContainText(/Signed in .* · Last active /);
    await expect(here.getByRole('button', { name: /^Sign out/ })).toHaveCount(0);
    const elsewhere = sessionItems(page).filter({ hasText: 'Safari on iOS (phone)' });
    await expect(elsewhere).toContainText('From this computer');
    await expect(page.getByRole('region', { name: 'Security checkup' })).toContainText(
      'You are signed in here and in 1 other place.',
    );
    await checkPart(page, sessionsSection(page), 'sessions');
  });

  await test.step('Sign out on the phone: its very next request is refused', async () => {
    await sessionItems(page)
      .filter({ hasText: 'Safari on iOS' })
      .getByRole('button', { name: 'Sign out Safari on iOS (phone)' })
      .click();
    await expect(sessionsSection(page).getByRole('status')).toHaveText('Signed out of Safari on iOS (phone).');
    await expect(sessionItems(page)).toHaveCount(1);
    expect(await meStatus(phone)).toBe(401);
  });

  await test.step('Sign out everywhere else ends the rest and says how many', async () => {
    const first = await signInElsewhere('mia');
    const second = await signInElsewhere('mia');
    await sessionsSection(page).getByRole('button', { name: 'Refresh' }).click();
    await expect(sessionItems(page)).toHaveCount(3);
    await sessionsSection(page).getByRole('button', { name: 'Sign out everywhere else' }).click();
    await expect(sessionsSection(page).getByRole('status')).toHaveText('2 other sessions were signed out.');
    await expect(sessionItems(page)).toHaveCount(1);
    expect(await meStatus(first)).toBe(401);
    expect(await meStatus(second)).toBe(401);
    await expect(page.getByRole('region', { name: 'Security checkup' })).toContainText('You are signed in only here.');
    await expectAccessible(page, 'sessions: signed out everywhere else');
    await Promise.all([first.dispose(), second.dispose()]);
  });
  await phone.dispose();
});

test('the phone clock, Sign out everywhere else in the dialogs, and the prompt for new codes', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto(server.origin);
  await createAccount(page, 'nils');
  await openSecuritySettings(page);

  await test.step('a code from a phone 3 minutes behind is told apart from a wrong code', async () => {
    const phone = await beginAuthenticatorSetup(page);
    await dialog(page).getByLabel('6-digit code').fill(phone.codeFromClockOff(-180));
    await dialog(page).getByRole('button', { name: 'Turn on' }).click();
    await expect(dialog(page).getByRole('alert')).toContainText(
      "Your phone's clock is about 3 minutes behind. Turn on automatic date and time on your phone, then enter the new code.",
    );
    await checkScreen(page, 'enable-clock-drift');
    await page.keyboard.press('Escape');
    await expect(dialog(page)).toHaveCount(0);
  });

  let codes: string[] = [];
  await test.step('new backup codes with "Sign out everywhere else" ticked', async () => {
    await enableAuthenticatorApp(page);
    await page.getByRole('button', { name: 'Generate new backup codes' }).click();
    await dialog(page).getByLabel('Password').fill(PASSWORD);
    await dialog(page).getByLabel('Sign out everywhere else').check();
    await expectAccessible(page, 'generate codes: sign out everywhere else');
    await dialog(page).getByRole('button', { name: 'Generate', exact: true }).click();
    codes = await readBackupCodes(page);
    await expect(dialog(page).getByRole('status').first()).toHaveText('You were not signed in anywhere else.');
    await dialog(page).getByLabel('I have saved these codes').check();
    await dialog(page).getByRole('button', { name: 'Done' }).click();
  });

  await test.step('after signing in with one of the last three codes, new codes are asked for at once', async () => {
    await signInWithBackupCodes(server.origin, 'nils', codes.slice(0, 7));
    await page.getByRole('button', { name: / account menu$/ }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await signInWithPassword(page, 'nils');
    await verify(page, codes[7] ?? '');
    await expect(dialog(page)).toHaveAccessibleName('Generate new backup codes');
    await expect(dialog(page)).toContainText('You signed in with a backup code, and only 2 are left.');
    await expect(dialog(page).getByLabel('Password')).toBeFocused();
    await checkScreen(page, 'low-backup-codes-prompt');
    await dialog(page).getByLabel('Password').fill(PASSWORD);
    await dialog(page).getByRole('button', { name: 'Generate', exact: true }).click();
    const fresh = await readBackupCodes(page);
    expect(fresh.some((code) => codes.includes(code))).toBe(false);
    await dialog(page).getByLabel('I have saved these codes').check();
    await dialog(page).getByRole('button', { name: 'Done' }).click();
    await expect(dialog(page)).toHaveCount(0);
    await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeFocused();
  });

  await test.step('turning the app off with "Sign out everywhere else" ends the other session', async () => {
    const http = await request.newContext({ baseURL: server.origin });
    const { ticket } = (await (
      await http.post('/api/v1/session', { data: { username: 'nils', password: PASSWORD } })
    ).json()) as {
      ticket: string;
    };
    expect((await http.post('/api/v1/session/backup-code', { data: { ticket, code: codes[9] } })).status()).toBe(401);
    await openSecuritySettings(page);
    await page.getByRole('button', { name: 'Generate new backup codes' }).click();
    await dialog(page).getByLabel('Password').fill(PASSWORD);
    await dialog(page).getByRole('button', { name: 'Generate', exact: true }).click();
    const latest = await readBackupCodes(page);
    await dialog(page).getByLabel('I have saved these codes').check();
    await dialog(page).getByRole('button', { name: 'Done' }).click();
    const again = (await (
      await http.post('/api/v1/session', { data: { username: 'nils', password: PASSWORD } })
    ).json()) as {
      ticket: string;
    };
    expect(
      (await http.post('/api/v1/session/backup-code', { data: { ticket: again.ticket, code: latest[0] } })).status(),
    ).toBe(200);
    expect(await meStatus(http)).toBe(200);

    await page.getByRole('button', { name: 'Disable Two-Factor Authentication' }).click();
    await dialog(page).getByLabel('Password').fill(PASSWORD);
    await dialog(page).getByLabel('Sign out everywhere else').check();
    await dialog(page).getByRole('button', { name: 'Disable', exact: true }).click();
    await expect(page.getByRole('region', { name: 'Two-factor authentication' }).getByRole('status')).toHaveText(
      // The seven sign-ins with backup codes and this one's.
      'Two-factor authentication is off. Your backup codes no longer work. 8 other sessions were signed out.',
    );
    expect(await meStatus(http)).toBe(401);
    await http.dispose();
  });
});

test('Test on a security key: this key works, with the time; another key touched is not this one', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(server.origin);
  const authenticators = await VirtualAuthenticators.attach(page);
  const desk = await authenticators.add(USB_KEY);
  await createAccount(page, 'omar');
  await openSecuritySettings(page);
  await startAddingKey(page, 'Desk key');
  await authenticators.use(desk);
  await dialog(page).getByRole('button', { name: 'Add key' }).click();
  await dialog(page).getByLabel('I have saved these codes').check();
  await dialog(page).getByRole('button', { name: 'Done' }).click();
  await expect(keyItem(page, 'Desk key')).toContainText('Not used yet');

  await keyItem(page, 'Desk key').getByRole('button', { name: 'Test Desk key' }).click();
  await expect(securityKeysSection(page).getByRole('status')).toHaveText(
    /^This key works: “Desk key” answered at \d{1,2}:\d{2}:\d{2}/,
  );
  await expect(keyItem(page, 'Desk key')).toContainText('Last used');
  await checkPart(page, securityKeysSection(page), 'security-key-test');
  // Still signed in, and nothing else signed in or out: one session.
  await expect(page.getByRole('heading', { level: 1, name: 'Security' })).toBeVisible();
  await expect(sessionItems(page)).toHaveCount(1);
  await expect(page.getByRole('list', { name: 'Security events, newest first' })).toContainText('Security key tested');

  // Another key, not registered, answers: the browser finds no allowed credential on it.
  const other = await authenticators.add(USB_KEY);
  await authenticators.use(other);
  await keyItem(page, 'Desk key').getByRole('button', { name: 'Test Desk key' }).click();
  await expect(securityKeysSection(page).getByRole('alert')).toHaveText(/The test was cancelled or timed out/);
  await expect(securityKeysSection(page).getByRole('status')).toHaveText('');
  await expectAccessible(page, 'security key test: wrong key');
});

test("an administrator's two-factor reset is in the person's activity as done by an administrator", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto(server.origin);
  await createAccount(page, 'pat');
  await openSecuritySettings(page);
  await enableAuthenticatorApp(page);

  // The helpdesk's command on the running server's storage (docs/deployment.md "Helpdesk recovery").
  execFileSync(
    process.execPath,
    [join(REPO_ROOT, 'build', 'server', 'admin', 'main.js'), 'reset-two-factor', 'pat', '--data-dir', server.dataDir],
    { cwd: REPO_ROOT, env: { ...process.env, LATCHKEY_SECRET_KEY: '' }, stdio: 'pipe' },
  );

  // Every session ended with it: the next action here goes back to Sign in; the password alone
  // signs in now.
  await page.getByRole('region', { name: 'Recent security activity' }).getByRole('button', { name: 'Refresh' }).click();
  await signInWithPassword(page, 'pat');
  await expect(page.getByRole('heading', { level: 1, name: 'Security' })).toBeVisible();
  const activity = page.getByRole('list', { name: 'Security events, newest first' });
  const reset = activity
    .getByRole('listitem')
    .filter({ hasText: 'Two-factor authentication reset by an administrator' });
  await expect(reset).toContainText('By an administrator, not from your account');
  await expect(page.getByRole('region', { name: 'Security checkup' })).toContainText(
    'Two-factor authentication is off',
  );
  await expectAccessible(page, 'activity: administrator reset');
});
