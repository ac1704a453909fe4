// @vitest-environment happy-dom
// Settings > Security > Security keys, rendered with the real store and API client against the
// real server. WebAuthn can't run in happy-dom: navigator.credentials is the software stand-in of
// support/fake-webauthn.ts, and nothing else is mocked.
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import type { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppStore } from '../../../../src-renderer/store/app-store.js';
import { PASSWORD, startTestServer, totpCode, type TestServer } from '../../../support/test-server.js';
import { FakeWebAuthn } from '../../support/fake-webauthn.js';
import { renderSecurityPage } from '../../support/render-security-page.js';
import { signedUpStore } from '../../support/test-api.js';

let server: TestServer;
let store: AppStore;
let webauthn: FakeWebAuthn;

beforeEach(async () => {
  server = await startTestServer();
  store = await signedUpStore(server);
  webauthn = new FakeWebAuthn(server.origin);
});
afterEach(async () => {
  cleanup();
  webauthn.uninstall();
  await server.close();
});

const renderSecurity = () => renderSecurityPage(store);

type User = ReturnType<typeof userEvent.setup>;
const section = () => screen.getByRole('region', { name: 'Security keys' });
const twoFactorSection = () => screen.getByRole('region', { name: 'Two-factor authentication' });

/** Add security key up to the choice of key. */
async function upToChoice(user: User, name: string) {
  await user.click(within(section()).getByRole('button', { name: 'Add security key' }));
  const dialog = screen.getByRole('dialog', { name: 'Add security key' });
  await user.type(within(dialog).getByLabelText('Password'), PASSWORD);
  await user.click(within(dialog).getByRole('button', { name: 'Continue' }));
  await user.type(await within(dialog).findByLabelText('Key name'), name);
  await user.click(within(dialog).getByRole('button', { name: 'Next' }));
  await within(dialog).findByRole('heading', { name: 'Choose your key' });
  return dialog;
}

/** A key added through the store, as a previous visit would have. */
async function keyAdded(name: string, userVerifying: boolean) {
  const keys = () => store.getState().securityKeys;
  webauthn.current = webauthn.authenticator(userVerifying);
  keys().openRegistration();
  await keys().confirmPassword(PASSWORD);
  keys().setName(name);
  keys().goToStep('kind');
  keys().setKind(userVerifying ? 'platform' : 'usb');
  await keys().register();
  keys().closeRegistration();
}

describe('Security keys section', () => {
  it('lists each key with its type in words, when it was added and used, and the passkey marker', async () => {
    await keyAdded('Office USB key', false);
    await keyAdded('Laptop fingerprint', true);
    renderSecurity();
    const list = await within(section()).findByRole('list', { name: 'Your security keys' });
    const [usb, fingerprint] = within(list).getAllByRole('listitem');
    expect(usb?.textContent).toMatch(/^Office USB keyUSB security key · Added .+ · Not used yet/);
    expect(fingerprint?.textContent).toMatch(/^Laptop fingerprintPasskeyBuilt-in authenticator · Added /);
    expect(within(usb!).queryByText('Passkey')).toBeNull();
    expect(usb?.querySelector('time')?.getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(within(usb!).getByRole('button', { name: 'Rename Office USB key' })).toBeTruthy();
    expect(within(usb!).getByRole('button', { name: 'Remove Office USB key' })).toBeTruthy();
    expect(section().textContent).toMatch(/A key marked Passkey can also sign you in on its own/);
    expect(within(twoFactorSection()).getByText('2 security keys')).toBeTruthy();
  });

  it('adds the first key: the fingerprint choice says why it is off, then ten backup codes in the shared panel', async () => {
    webauthn.platformAuthenticator = false;
    const user = renderSecurity();
    expect(await within(section()).findByText('No security keys yet.')).toBeTruthy();
    const dialog = await upToChoice(user, 'Office USB key');
    expect(within(dialog).getByText('Step 3 of 4')).toBeTruthy();
    const fingerprint = within(dialog).getByRole('radio', { name: "This device's fingerprint reader" });
    await waitFor(() => expect((fingerprint as HTMLInputElement).disabled).toBe(true));
    const description = document.getElementById(fingerprint.getAttribute('aria-describedby') ?? '');
    expect(description?.textContent).toBe(
      'This device has no built-in fingerprint reader or face unlock that the browser can use (Firefox, for one, offers none).',
    );
    expect((within(dialog).getByRole('radio', { name: 'USB security key' }) as HTMLInputElement).checked).toBe(true);

    webauthn.current = webauthn.authenticator(false);
    await user.click(within(dialog).getByRole('button', { name: 'Add key' }));
    await within(dialog).findByRole('heading', { name: 'Save your backup codes' });
    expect(dialog.textContent).toMatch(/Office USB key is added, and two-factor authentication is now on/);
    expect(dialog.textContent).toMatch(/when you can't use your security key\./);
    const codes = within(within(dialog).getByRole('list', { name: 'Your backup codes' })).getAllByRole('listitem');
    expect(codes).toHaveLength(10);
    expect(within(dialog).queryByRole('button', { name: 'Close' })).toBeNull();
    await user.click(within(dialog).getByLabelText('I have saved these codes'));
    await user.click(within(dialog).getByRole('button', { name: 'Done' }));

    expect(screen.queryByRole('dialog')).toBeNull();
    expect(within(section()).getByRole('status').textContent).toBe('Added “Office USB key”.');
    expect(within(twoFactorSection()).getByText('On')).toBeTruthy();
    expect(within(twoFactorSection()).getByRole('button', { name: 'Set up authenticator app' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Enable Two-Factor Authentication' })).toBeNull();
    expect(screen.getByText(/of 10 backup codes left/).textContent).toMatch(/when you can't use your security key\./);
  });

  it('a cancelled prompt shows its sentence in the alert region, and Add key tries again', async () => {
    await keyAdded('Office USB key', false);
    const user = renderSecurity();
    const dialog = await upToChoice(user, 'Laptop fingerprint');
    expect(within(dialog).getByText('Step 3 of 3')).toBeTruthy();
    await user.click(within(dialog).getByRole('radio', { name: "This device's fingerprint reader" }));
    webauthn.current = webauthn.authenticator(true);
    webauthn.failNextWith = 'NotAllowedError';
    await user.click(within(dialog).getByRole('button', { name: 'Add key' }));
    await waitFor(() =>
      expect(within(dialog).getByRole('alert').textContent).toMatch(
        /Adding the key was cancelled, or the prompt timed out before the key answered\. Choose “Add key” to try again\./,
      ),
    );
    await user.click(within(dialog).getByRole('button', { name: 'Add key' }));
    await waitFor(() => expect(within(section()).getByRole('status').textContent).toBe('Added “Laptop fingerprint”.'));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(within(section()).getAllByRole('listitem')).toHaveLength(2);
  });

  it('renames a key, and removes the last one with a warning; focus lands on the section', async () => {
    await keyAdded('Office USB key', false);
    const user = renderSecurity();
    await user.click(await within(section()).findByRole('button', { name: 'Rename Office USB key' }));
    const rename = screen.getByRole('dialog', { name: 'Rename security key' });
    const field = within(rename).getByLabelText('Key name') as HTMLInputElement;
    expect(field.value).toBe('Office USB key');
    await user.clear(field);
    await user.click(within(rename).getByRole('button', { name: 'Save' }));
    expect(within(rename).getByRole('alert').textContent).toMatch(/Enter a name for the key/);
    await user.type(field, 'Desk key');
    await user.click(within(rename).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(within(section()).getByRole('status').textContent).toBe('Renamed to “Desk key”.');

    await user.click(within(section()).getByRole('button', { name: 'Remove Desk key' }));
    const remove = screen.getByRole('dialog', { name: 'Remove security key' });
    expect(remove.textContent).toMatch(/It is your last second factor\./);
    await user.type(within(remove).getByLabelText('Password'), PASSWORD);
    await user.click(within(remove).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(within(section()).getByRole('status').textContent).toMatch(/Two-factor authentication is off/);
    // The Remove button that opened the dialog is gone with its key: focus goes to the section.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Security keys' })));
    expect(within(section()).getByText('No security keys yet.')).toBeTruthy();
    expect(within(twoFactorSection()).getByRole('button', { name: 'Enable Two-Factor Authentication' })).toBeTruthy();
  });
});

describe('Two-factor wording with keys', () => {
  it('"Turn off authenticator app" leaves two-factor on while a key exists', async () => {
    const twoFactor = store.getState().twoFactor;
    twoFactor.openEnrolment();
    await twoFactor.beginSetup(PASSWORD);
    const secret = store.getState().twoFactor.enrolment?.setup?.secret ?? '';
    await store.getState().twoFactor.confirmCode(totpCode(secret, server.clock));
    store.getState().twoFactor.closeEnrolment();
    await keyAdded('Office USB key', false);

    const user = renderSecurity();
    const button = await within(twoFactorSection()).findByRole('button', { name: 'Turn off authenticator app' });
    expect(screen.queryByRole('button', { name: 'Disable Two-Factor Authentication' })).toBeNull();
    await user.click(button);
    const dialog = screen.getByRole('dialog', { name: 'Turn off authenticator app' });
    expect(dialog.textContent).toMatch(/Two-factor authentication stays on/);
    await user.type(within(dialog).getByLabelText('Password'), PASSWORD);
    await user.click(within(dialog).getByRole('button', { name: 'Turn off' }));
    await screen.findByText(
      /Your authenticator app is no longer used\. Your security keys and backup codes still work\./,
    );
    expect(within(twoFactorSection()).getByText('On')).toBeTruthy();
    expect(within(twoFactorSection()).getByRole('button', { name: 'Set up authenticator app' })).toBeTruthy();
  });
});
