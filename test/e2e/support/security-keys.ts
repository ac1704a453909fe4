// Security keys in the browser tests: Chromium's virtual authenticators through the DevTools
// protocol (a USB key, transport `usb`; this device's fingerprint reader, transport `internal`),
// and the steps a person takes with them in the User Center, by the names docs/user-center.md gives.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type CDPSession, type Locator, type Page } from '@playwright/test';
import type { VirtualAuthenticatorOptions, VirtualCredential } from '../../support/webauthn-browser.js';
import { Authenticator } from './authenticator.js';
import { dialog, PASSWORD, readBackupCodes } from './flows.js';
import { expectAccessible, SCREENSHOT_DIR } from './page-checks.js';

export { FINGERPRINT_READER, USB_KEY } from '../../support/webauthn-browser.js';

/** The virtual authenticators of one tab (WebAuthn domain of the DevTools protocol). */
export class VirtualAuthenticators {
  private readonly ids: string[] = [];

  private constructor(private readonly cdp: CDPSession) {}

  static async attach(page: Page): Promise<VirtualAuthenticators> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    return new VirtualAuthenticators(cdp);
  }

  async add(options: VirtualAuthenticatorOptions): Promise<string> {
    const { authenticatorId } = await this.cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { automaticPresenceSimulation: true, ...options },
    });
    this.ids.push(authenticatorId);
    return authenticatorId;
  }

  /**
   * The person will touch this authenticator. Chromium ends a ceremony as soon as any
   * authenticator is touched, and one without the requested credential ends it with
   * NotAllowedError, so only the chosen one simulates presence.
   */
  async use(authenticatorId: string): Promise<void> {
    for (const id of this.ids) {
      await this.cdp.send('WebAuthn.setAutomaticPresenceSimulation', {
        authenticatorId: id,
        enabled: id === authenticatorId,
      });
    }
  }

  /**
   * False: the fingerprint check fails, which Chromium reports as it reports a cancelled prompt
   * (NotAllowedError, WebAuthn §5.1.3).
   */
  async setUserVerified(authenticatorId: string, isUserVerified: boolean): Promise<void> {
    await this.cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified });
  }

  /** A bogus signature on the next answers: the server refuses them (until reset with false). */
  async sendBogusSignatures(authenticatorId: string, bogus: boolean): Promise<void> {
    await this.cdp.send('WebAuthn.setResponseOverrideBits', { authenticatorId, isBogusSignature: bogus });
  }

  async credentials(authenticatorId: string): Promise<VirtualCredential[]> {
    const { credentials } = await this.cdp.send('WebAuthn.getCredentials', { authenticatorId });
    return credentials as VirtualCredential[];
  }
}

export function securityKeysSection(page: Page): Locator {
  return page.getByRole('region', { name: 'Security keys' });
}

export function keyItem(page: Page, name: string): Locator {
  return securityKeysSection(page)
    .getByRole('listitem')
    .filter({ has: page.getByText(name, { exact: true }) });
}

/** Add security key: password → name → the kind of key; stops before "Add key". */
export async function startAddingKey(page: Page, name: string): Promise<void> {
  await securityKeysSection(page).getByRole('button', { name: 'Add security key' }).click();
  await expect(dialog(page)).toHaveAccessibleName('Add security key');
  await expect(dialog(page).getByRole('heading', { name: 'Confirm your password' })).toBeVisible();
  await dialog(page).getByLabel('Password').fill(PASSWORD);
  await dialog(page).getByRole('button', { name: 'Continue' }).click();
  await expect(dialog(page).getByRole('heading', { name: 'Name your key' })).toBeFocused();
  await dialog(page).getByLabel('Key name').fill(name);
  await dialog(page).getByRole('button', { name: 'Next' }).click();
  await expect(dialog(page).getByRole('heading', { name: 'Choose your key' })).toBeFocused();
}

export const USB_CHOICE = 'USB security key';
export const FINGERPRINT_CHOICE = "This device's fingerprint reader";

/**
 * Settings > Security > Enable Two-Factor Authentication up to the code step, the key read from
 * "Can't scan it?"; returns the app.
 */
export async function beginAuthenticatorSetup(page: Page): Promise<Authenticator> {
  await page.getByRole('button', { name: 'Enable Two-Factor Authentication' }).click();
  await dialog(page).getByLabel('Password').fill(PASSWORD);
  await dialog(page).getByRole('button', { name: 'Continue' }).click();
  await dialog(page).getByRole('button', { name: "Can't scan it?" }).click();
  const secret = ((await dialog(page).locator('code.secret-key').textContent()) ?? '').replace(/ /g, '');
  await dialog(page).getByRole('button', { name: 'Next' }).click();
  return new Authenticator(secret);
}

/** Settings > Security > Enable Two-Factor Authentication, the whole way: the app and the backup codes it showed. */
export async function enableAuthenticatorApp(page: Page): Promise<{ app: Authenticator; backupCodes: string[] }> {
  const authenticator = await beginAuthenticatorSetup(page);
  await dialog(page)
    .getByLabel('6-digit code')
    .fill(await authenticator.nextCode());
  await dialog(page).getByRole('button', { name: 'Turn on' }).click();
  const backupCodes = await readBackupCodes(page);
  await dialog(page).getByLabel('I have saved these codes').check();
  await dialog(page).getByRole('button', { name: 'Done' }).click();
  await expect(dialog(page)).toHaveCount(0);
  return { app: authenticator, backupCodes };
}

/** Axe on the whole page in both themes; a screenshot of just `part` in each. */
export async function checkPart(page: Page, part: Locator, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await expectAccessible(page, `${name} (${colorScheme})`);
    await part.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${colorScheme}.png`), animations: 'disabled' });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}
