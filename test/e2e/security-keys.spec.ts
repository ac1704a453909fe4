// Security keys and passkeys in the User Center, end to end in Debian's Chromium with virtual
// authenticators (DevTools protocol) against the built server on its own port (4950–4999):
// a USB key and this device's fingerprint reader are added through the dialog, used as the second
// factor, renamed and removed, a TOTP code still works beside them; an account with keys only gets
// backup codes and uses one; "Sign in with a passkey" signs in without a username. Each failed
// prompt (cancelled, a key already added, a refused signature, an unknown passkey) shows its own
// sentence and trying again works. Axe on every new screen, light and dark.
import { expect, test } from '@playwright/test';
import {
  createAccount,
  dialog,
  expectSignedIn,
  openSecuritySettings,
  PASSWORD,
  signInWithPassword,
  signOut,
  verify,
} from './support/flows.js';
import { startLatchkey, type RunningServer } from './support/latchkey-server.js';
import { checkScreen, expectAccessible, watchContentSecurityPolicy } from './support/page-checks.js';
import {
  checkPart,
  enableAuthenticatorApp,
  FINGERPRINT_CHOICE,
  FINGERPRINT_READER,
  keyItem,
  securityKeysSection,
  startAddingKey,
  USB_CHOICE,
  USB_KEY,
  VirtualAuthenticators,
} from './support/security-keys.js';

let server: RunningServer;

test.beforeAll(async () => {
  server = await startLatchkey([], { ports: { first: 4950, last: 4999 } });
});
test.afterAll(async () => {
  await server?.stop();
});

const NO_FINGERPRINT_READER =
  'This device has no built-in fingerprint reader or face unlock that the browser can use (Firefox, for one, offers none).';

test('a USB key and the fingerprint reader: add each, sign in with each, rename, remove, fall back to a code', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const cspViolations = await watchContentSecurityPolicy(page);
  await page.goto(server.origin);
  const authenticators = await VirtualAuthenticators.attach(page);
  const usb = await authenticators.add(USB_KEY);
  await createAccount(page, 'kim');
  await openSecuritySettings(page);
  await expect(securityKeysSection(page)).toContainText('No security keys yet.');
  const { app } = await enableAuthenticatorApp(page);

  await test.step('add the USB key: without a fingerprint reader, that choice is off and says why', async () => {
    await securityKeysSection(page).getByRole('button', { name: 'Add security key' }).click();
    await expect(dialog(page).getByText('Step 1 of 3')).toBeVisible();
    await dialog(page).getByLabel('Password').fill('not my password');
    await dialog(page).getByRole('button', { name: 'Continue' }).click();
    await expect(dialog(page).getByRole('alert')).toHaveText(/That password is not right/);
    await expectAccessible(page, 'add key: password');
    await dialog(page).getByRole('button', { name: 'Cancel' }).click();

    await startAddingKey(page, 'Office USB key');
    const fingerprintChoice = dialog(page).getByRole('radio', { name: FINGERPRINT_CHOICE });
    await expect(fingerprintChoice).toBeDisabled();
    await expect(fingerprintChoice).toHaveAccessibleDescription(NO_FINGERPRINT_READER);
    await expect(dialog(page).getByRole('radio', { name: USB_CHOICE })).toBeChecked();
    await checkScreen(page, 'add-key-choice-no-fingerprint');
    await authenticators.use(usb);
    await dialog(page).getByRole('button', { name: 'Add key' }).click();
    await expect(dialog(page)).toHaveCount(0);
    await expect(securityKeysSection(page).getByRole('status')).toHaveText('Added “Office USB key”.');
    await expect(keyItem(page, 'Office USB key')).toContainText('USB security key');
    await expect(keyItem(page, 'Office USB key')).toContainText('Not used yet');
    await expect(keyItem(page, 'Office USB key').getByText('Passkey')).toHaveCount(0);
  });

  let fingerprint = '';
  await test.step('add the fingerprint reader; the USB key a second time is refused in words', async () => {
    fingerprint = await authenticators.add(FINGERPRINT_READER);
    await startAddingKey(page, 'Office USB key again');
    await authenticators.use(usb);
    await dialog(page).getByRole('button', { name: 'Add key' }).click();
    await expect(dialog(page).getByRole('alert')).toContainText(
      'This key is already added to your account, so it was not added again. Use a different key, or keep using this one.',
    );
    await expectAccessible(page, 'add key: already added');
    await dialog(page).getByRole('button', { name: 'Back' }).click();
    await dialog(page).getByLabel('Key name').fill('Laptop fingerprint');
    await dialog(page).getByRole('button', { name: 'Next' }).click();
    const fingerprintChoice = dialog(page).getByRole('radio', { name: FINGERPRINT_CHOICE });
    await expect(fingerprintChoice).toBeEnabled();
    await fingerprintChoice.check();
    await checkScreen(page, 'add-key-choice');
    await authenticators.use(fingerprint);
    await dialog(page).getByRole('button', { name: 'Add key' }).click();
    await expect(dialog(page)).toHaveCount(0);
    await expect(keyItem(page, 'Laptop fingerprint')).toContainText('Built-in authenticator');
    // Registered with user verification as a discoverable credential: also a passkey.
    await expect(keyItem(page, 'Laptop fingerprint').getByText('Passkey', { exact: true })).toBeVisible();
    await expect(securityKeysSection(page).getByRole('listitem')).toHaveCount(2);
  });

  await test.step('two-factor state names both factors; the app button only concerns the app', async () => {
    const twoFactor = page.getByRole('region', { name: 'Two-factor authentication' });
    await expect(twoFactor).toContainText('On');
    await expect(twoFactor).toContainText('2 security keys');
    await expect(twoFactor.getByRole('button', { name: 'Turn off authenticator app' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Disable Two-Factor Authentication' })).toHaveCount(0);
  });

  for (const [label, which] of [
    ['the USB key', () => usb],
    ['the fingerprint reader', () => fingerprint],
  ] as const) {
    await test.step(`sign in with ${label} as the second step`, async () => {
      await signOut(page);
      await signInWithPassword(page, 'kim');
      await expect(page.getByRole('heading', { level: 1, name: 'Two-step verification' })).toBeVisible();
      await expect(page.getByRole('button', { name: 'Use your security key' })).toBeFocused();
      await expect(page.getByLabel('Verification code')).toBeVisible();
      if (label === 'the USB key') await checkScreen(page, 'security-key-step');
      await authenticators.use(which());
      await page.getByRole('button', { name: 'Use your security key' }).click();
      await expectSignedIn(page);
    });
  }
  await expect(page.getByText('Authenticator app and 2 security keys.', { exact: false })).toBeVisible();

  await test.step('a refused signature gets the server sentence, and trying again works', async () => {
    await signOut(page);
    await signInWithPassword(page, 'kim');
    await authenticators.use(usb);
    await authenticators.sendBogusSignatures(usb, true);
    await page.getByRole('button', { name: 'Use your security key' }).click();
    await expect(page.getByRole('alert')).toContainText(
      'The security key’s signature could not be verified. Try again with your key.',
    );
    await expectAccessible(page, 'security key refused');
    await authenticators.sendBogusSignatures(usb, false);
    await page.getByRole('button', { name: 'Use your security key' }).click();
    await expectSignedIn(page);
  });

  await test.step('rename the USB key; the list shows when each key was last used', async () => {
    await openSecuritySettings(page);
    await expect(keyItem(page, 'Office USB key')).toContainText('Last used');
    await expect(keyItem(page, 'Laptop fingerprint')).toContainText('Last used');
    await checkPart(page, securityKeysSection(page), 'security-keys');
    await keyItem(page, 'Office USB key').getByRole('button', { name: 'Rename Office USB key' }).click();
    await expect(dialog(page)).toHaveAccessibleName('Rename security key');
    await expect(dialog(page).getByLabel('Key name')).toHaveValue('Office USB key');
    await dialog(page).getByLabel('Key name').fill('   ');
    await dialog(page).getByRole('button', { name: 'Save' }).click();
    await expect(dialog(page).getByRole('alert')).toHaveText(/Enter a name for the key/);
    await expectAccessible(page, 'rename key');
    await dialog(page).getByLabel('Key name').fill('Desk key');
    await dialog(page).getByRole('button', { name: 'Save' }).click();
    await expect(dialog(page)).toHaveCount(0);
    await expect(securityKeysSection(page).getByRole('status')).toHaveText('Renamed to “Desk key”.');
    await expect(keyItem(page, 'Desk key')).toContainText('USB security key');
  });

  await test.step('remove the USB key with the password', async () => {
    await keyItem(page, 'Desk key').getByRole('button', { name: 'Remove Desk key' }).click();
    await expect(dialog(page)).toHaveAccessibleName('Remove security key');
    await expect(dialog(page)).toContainText('Desk key will no longer sign you in.');
    await expect(dialog(page)).not.toContainText('last second factor');
    await dialog(page).getByLabel('Password').fill('not my password');
    await dialog(page).getByRole('button', { name: 'Remove', exact: true }).click();
    await expect(dialog(page).getByRole('alert')).toHaveText(/That password is not right/);
    await expectAccessible(page, 'remove key');
    await dialog(page).getByLabel('Password').fill(PASSWORD);
    await dialog(page).getByRole('button', { name: 'Remove', exact: true }).click();
    await expect(dialog(page)).toHaveCount(0);
    await expect(securityKeysSection(page).getByRole('status')).toHaveText(
      'Removed “Desk key”. It no longer signs you in.',
    );
    await expect(page.getByRole('heading', { name: 'Security keys' })).toBeFocused();
    await expect(securityKeysSection(page).getByRole('listitem')).toHaveCount(1);
    await expect(page.getByRole('region', { name: 'Two-factor authentication' })).toContainText('1 security key');
    await expect(page.getByRole('list', { name: 'Security events, newest first' })).toContainText(
      'Security key removed',
    );
  });

  await test.step('the authenticator app still works beside the remaining key', async () => {
    await signOut(page);
    await signInWithPassword(page, 'kim');
    await expect(page.getByRole('button', { name: 'Use your security key' })).toBeVisible();
    await verify(page, await app.nextCode());
    await expectSignedIn(page);
  });

  expect(await cspViolations()).toEqual([]);
});

test('keys only: the first key brings backup codes; passkey sign-in; cancelled prompts; an unknown passkey', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto(server.origin);
  const authenticators = await VirtualAuthenticators.attach(page);
  const fingerprint = await authenticators.add(FINGERPRINT_READER);
  await createAccount(page, 'lee');
  await openSecuritySettings(page);
  let codes: string[] = [];

  await test.step('a cancelled prompt says so, and trying again adds the key and shows ten backup codes', async () => {
    await startAddingKey(page, 'This laptop');
    await expect(dialog(page).getByText('Step 3 of 4')).toBeVisible();
    await dialog(page).getByRole('radio', { name: FINGERPRINT_CHOICE }).check();
    await authenticators.setUserVerified(fingerprint, false);
    await dialog(page).getByRole('button', { name: 'Add key' }).click();
    await expect(dialog(page).getByRole('alert')).toContainText(
      'Adding the key was cancelled, or the prompt timed out before the key answered. Choose “Add key” to try again.',
    );
    await expectAccessible(page, 'add key: cancelled');
    await authenticators.setUserVerified(fingerprint, true);
    await dialog(page).getByRole('button', { name: 'Add key' }).click();
    await expect(dialog(page).getByRole('heading', { name: 'Save your backup codes' })).toBeFocused();
    await expect(dialog(page).getByText('Step 4 of 4')).toBeVisible();
    await expect(dialog(page)).toContainText('This laptop is added, and two-factor authentication is now on.');
    const list = dialog(page).getByRole('list', { name: 'Your backup codes' });
    await expect(list.getByRole('listitem')).toHaveCount(10);
    codes = await list.getByRole('listitem').allTextContents();
    await checkScreen(page, 'add-key-backup-codes');
    await expect(dialog(page).getByRole('button', { name: 'Close' })).toHaveCount(0);
    await dialog(page).getByLabel('I have saved these codes').check();
    await dialog(page).getByRole('button', { name: 'Done' }).click();
    await expect(dialog(page)).toHaveCount(0);
    await expect(securityKeysSection(page).getByRole('status')).toHaveText('Added “This laptop”.');
    const twoFactor = page.getByRole('region', { name: 'Two-factor authentication' });
    await expect(twoFactor).toContainText('On');
    await expect(twoFactor).toContainText('Not set up');
    await expect(twoFactor.getByRole('button', { name: 'Set up authenticator app' })).toBeVisible();
    await expect(page.getByText('10 of 10 backup codes left', { exact: false })).toBeVisible();
    await expect(page.getByText("when you can't use your security key", { exact: false })).toBeVisible();
  });

  await test.step('Sign in with a passkey: a cancelled prompt, then no username or password typed', async () => {
    await signOut(page);
    await expect(page.getByRole('button', { name: 'Sign in with a passkey' })).toBeVisible();
    await checkScreen(page, 'sign-in-passkey');
    await authenticators.setUserVerified(fingerprint, false);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect(page.getByRole('alert')).toContainText(
      'The passkey prompt was cancelled or timed out, or this device has no passkey for Latchkey. Try again, or sign in with your password.',
    );
    await authenticators.setUserVerified(fingerprint, true);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expectSignedIn(page);
    await expect(page.getByRole('button', { name: 'lee account menu' })).toBeVisible();
  });

  await test.step('the second step of a keys-only account takes a backup code', async () => {
    await signOut(page);
    await signInWithPassword(page, 'lee');
    await expect(
      page.getByText("Use your security key. Don't have it with you? Enter one of your backup codes."),
    ).toBeVisible();
    await verify(page, codes[0] ?? '');
    await expectSignedIn(page);
    await expect(page.getByText('1 security key. 9 of 10 backup codes left.', { exact: false })).toBeVisible();
  });

  await test.step('removing the last key turns two-factor off; the passkey left on the device is unknown', async () => {
    await openSecuritySettings(page);
    await keyItem(page, 'This laptop').getByRole('button', { name: 'Remove This laptop' }).click();
    await expect(dialog(page)).toContainText('It is your last second factor.');
    await expect(dialog(page)).toContainText('neither as your second step nor as a passkey');
    await dialog(page).getByLabel('Password').fill(PASSWORD);
    await dialog(page).getByRole('button', { name: 'Remove', exact: true }).click();
    await expect(securityKeysSection(page).getByRole('status')).toHaveText(
      'Removed “This laptop”. Two-factor authentication is off, and your backup codes no longer work.',
    );
    await expect(page.getByRole('button', { name: 'Enable Two-Factor Authentication' })).toBeVisible();

    await signOut(page);
    // The device still holds the credential; the server no longer knows it.
    expect(await authenticators.credentials(fingerprint)).toHaveLength(1);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect(page.getByRole('alert')).toContainText(
      'That passkey is not registered with this Latchkey server. Sign in with your password, or use a passkey you added here.',
    );
    await signInWithPassword(page, 'lee');
    await expectSignedIn(page);
    await expect(page.getByText('Two-factor off')).toBeVisible();
  });
});
