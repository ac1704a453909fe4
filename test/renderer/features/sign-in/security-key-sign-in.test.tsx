// @vitest-environment happy-dom
// Sign in with a security key (second step) and with a passkey, rendered with the real store and
// API client against the real server. WebAuthn can't run in happy-dom: navigator.credentials is
// the software stand-in of support/fake-webauthn.ts, and nothing else is mocked.
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../../../src-renderer/app/App.js';
import { secondFactorHint } from '../../../../src-renderer/features/sign-in/SecondFactorForm.js';
import type { AppStore } from '../../../../src-renderer/store/app-store.js';
import { StoreProvider } from '../../../../src-renderer/store/store-context.js';
import { PASSWORD, startTestServer, type TestServer } from '../../../support/test-server.js';
import { FakeWebAuthn } from '../../support/fake-webauthn.js';
import { storeFor } from '../../support/test-api.js';

let server: TestServer;
let store: AppStore;
let webauthn: FakeWebAuthn;

beforeEach(async () => {
  server = await startTestServer();
  store = storeFor(server).store;
  webauthn = new FakeWebAuthn(server.origin);
  window.history.replaceState(null, '', '/');
});
afterEach(async () => {
  cleanup();
  webauthn.uninstall();
  await server.close();
});

/** An account whose only second factor is one key (so it also has ten backup codes). */
async function accountWithKey(userVerifying: boolean): Promise<string[]> {
  const state = () => store.getState();
  await state().session.start();
  await state().session.createAccount('alice', PASSWORD);
  webauthn.current = webauthn.authenticator(userVerifying);
  state().securityKeys.openRegistration();
  await state().securityKeys.confirmPassword(PASSWORD);
  state().securityKeys.setName('Key');
  state().securityKeys.setKind(userVerifying ? 'platform' : 'usb');
  const { backupCodes } = await state().securityKeys.register();
  state().securityKeys.closeRegistration();
  await state().session.signOut();
  return backupCodes ?? [];
}

function renderApp() {
  render(
    <StoreProvider store={store}>
      <App />
    </StoreProvider>,
  );
  return userEvent.setup();
}

async function passwordStep(user: ReturnType<typeof userEvent.setup>) {
  await user.clear(screen.getByLabelText('Username'));
  await user.type(screen.getByLabelText('Username'), 'alice');
  await user.type(screen.getByLabelText('Password'), PASSWORD);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
  await screen.findByRole('heading', { level: 1, name: 'Two-step verification' });
}

describe('the second step with a security key', () => {
  it('says what each account can use', () => {
    expect(secondFactorHint(['totp', 'security_key', 'backup_code'])).toMatch(
      /^Use your security key, or enter the 6-digit code/,
    );
    expect(secondFactorHint(['security_key', 'backup_code'])).toBe(
      "Use your security key. Don't have it with you? Enter one of your backup codes.",
    );
    expect(secondFactorHint(['totp', 'backup_code'])).toMatch(/^Open your authenticator app/);
  });

  it('offers "Use your security key" beside the code field; a cancelled prompt is read out, then it works', async () => {
    await accountWithKey(false);
    const user = renderApp();
    await passwordStep(user);
    const button = screen.getByRole('button', { name: 'Use your security key' });
    expect(document.activeElement).toBe(button);
    expect(screen.getByLabelText('Verification code')).toBeTruthy();

    webauthn.failNextWith = 'NotAllowedError';
    await user.click(button);
    // One alert region for both ways: exactly one, with the sentence; the code field stays valid.
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/security-key prompt was cancelled/));
    expect(screen.getByLabelText('Verification code').getAttribute('aria-invalid')).toBeNull();
    expect(button.getAttribute('aria-describedby')).toBe(screen.getByRole('alert').id);

    await user.click(button);
    await screen.findByRole('heading', { level: 1, name: 'Your account' });
    expect(screen.getByText(/1 security key\. 10 of 10 backup codes left\./)).toBeTruthy();
  });

  it('a wrong code after a failed key shows only the code sentence', async () => {
    await accountWithKey(false);
    const user = renderApp();
    await passwordStep(user);
    webauthn.failNextWith = 'NotAllowedError';
    await user.click(screen.getByRole('button', { name: 'Use your security key' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/cancelled/));
    await user.type(screen.getByLabelText('Verification code'), 'nonsense');
    await user.click(screen.getByRole('button', { name: 'Verify' }));
    expect(screen.getByRole('alert').textContent).toMatch(/6-digit code from your authenticator app, or a backup code/);
    expect(screen.getByRole('alert').textContent).not.toMatch(/cancelled/);
  });
});

describe('Sign in with a passkey', () => {
  it('signs in with no username typed; a cancelled prompt and an unknown passkey get their sentences', async () => {
    await accountWithKey(true);
    const passkey = webauthn.current;
    const user = renderApp();
    await user.clear(screen.getByLabelText('Username'));
    const button = screen.getByRole('button', { name: 'Sign in with a passkey' });

    webauthn.failNextWith = 'NotAllowedError';
    await user.click(button);
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toMatch(
        /The passkey prompt was cancelled or timed out, or this device has no passkey for Latchkey\./,
      ),
    );
    webauthn.current = webauthn.authenticator(true); // a passkey this server never saw
    await user.click(button);
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/passkey is not registered/));

    webauthn.current = passkey;
    await user.click(button);
    await screen.findByRole('heading', { level: 1, name: 'Your account' });
    expect(screen.getByRole('button', { name: 'alice account menu' })).toBeTruthy();
  });

  it('is not offered where the browser has no WebAuthn', async () => {
    webauthn.uninstall();
    try {
      await store.getState().session.start();
      renderApp();
      expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
      expect(screen.queryByRole('button', { name: 'Sign in with a passkey' })).toBeNull();
    } finally {
      webauthn = new FakeWebAuthn(server.origin);
    }
  });
});
