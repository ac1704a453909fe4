// @vitest-environment happy-dom
// The sign-in screens rendered with the real store and API client against the real server.
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../../../src-renderer/app/App.js';
import type { AppStore } from '../../../../src-renderer/store/app-store.js';
import { StoreProvider } from '../../../../src-renderer/store/store-context.js';
import {
  enableTotp,
  PASSWORD,
  signedInClient,
  startTestServer,
  totpCode,
  type TestServer,
} from '../../../support/test-server.js';
import { storeFor } from '../../support/test-api.js';

let server: TestServer;
let store: AppStore;

beforeEach(async () => {
  server = await startTestServer();
  store = storeFor(server).store;
  window.history.replaceState(null, '', '/');
});
afterEach(async () => {
  cleanup();
  await server.close();
});

async function renderApp() {
  await store.getState().session.start();
  render(
    <StoreProvider store={store}>
      <App />
    </StoreProvider>,
  );
  return userEvent.setup();
}

describe('Sign in', () => {
  it('has the named fields and button, and Create account while registration is open', async () => {
    await renderApp();
    expect(screen.getByRole('heading', { level: 1, name: 'Sign in' })).toBeTruthy();
    expect(screen.getByLabelText('Username')).toBeTruthy();
    expect(screen.getByLabelText('Password')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Create account' })).toBeTruthy();
  });

  it('hides Create account when registration is closed', async () => {
    await server.close();
    server = await startTestServer({ args: ['--registration', 'closed'] });
    store = storeFor(server).store;
    await renderApp();
    expect(screen.queryByRole('button', { name: 'Create account' })).toBeNull();
  });

  it('creates an account and lands signed in', async () => {
    const user = await renderApp();
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    await user.type(screen.getByLabelText('Username'), 'alice');
    await user.type(screen.getByLabelText('Password'), 'short');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(screen.getByRole('alert').textContent).toMatch(/at least 8 characters/);
    await user.clear(screen.getByLabelText('Password'));
    await user.type(screen.getByLabelText('Password'), PASSWORD);
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    await screen.findByRole('heading', { level: 1, name: 'Your account' });
    expect(screen.getByRole('button', { name: 'alice account menu' })).toBeTruthy();
  });

  it("shows the server's sentence for a name it refuses: a look-alike, or letters of two scripts", async () => {
    const user = await renderApp();
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    await user.type(screen.getByLabelText('Username'), '\u0430dmin'); // a Cyrillic а, then Latin
    await user.type(screen.getByLabelText('Password'), PASSWORD);
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toMatch(/mixes letters of the Cyrillic and Latin scripts/),
    );
    await user.clear(screen.getByLabelText('Username'));
    await user.type(screen.getByLabelText('Username'), 'нина');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    await screen.findByRole('heading', { level: 1, name: 'Your account' });
  });

  it('shows the server sentence in the alert region and clears the password', async () => {
    await signedInClient(server, 'alice');
    const user = await renderApp();
    await user.type(screen.getByLabelText('Username'), 'alice');
    await user.type(screen.getByLabelText('Password'), 'not the password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/username or password is not right/));
    expect((screen.getByLabelText('Password') as HTMLInputElement).value).toBe('');
    expect(screen.getByLabelText('Password').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('Password').getAttribute('aria-describedby')).toContain(screen.getByRole('alert').id);
  });

  it('asks for the Verification code, and one field takes a 6-digit code', async () => {
    const client = await signedInClient(server, 'alice');
    const { secret } = await enableTotp(server, client);
    const user = await renderApp();
    await user.type(screen.getByLabelText('Username'), 'alice');
    await user.type(screen.getByLabelText('Password'), PASSWORD);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    const field = await screen.findByLabelText('Verification code');
    expect(screen.getByRole('heading', { level: 1, name: 'Two-step verification' })).toBeTruthy();

    await user.type(field, 'nonsense');
    await user.click(screen.getByRole('button', { name: 'Verify' }));
    expect(screen.getByRole('alert').textContent).toMatch(/6-digit code from your authenticator app, or a backup code/);

    server.clock.advance(30_000);
    await user.clear(field);
    await user.type(field, totpCode(secret, server.clock));
    await user.click(screen.getByRole('button', { name: 'Verify' }));
    await screen.findByRole('heading', { level: 1, name: 'Your account' });
  });

  it('takes a backup code in the same field', async () => {
    const client = await signedInClient(server, 'alice');
    const { backupCodes } = await enableTotp(server, client);
    const user = await renderApp();
    await user.type(screen.getByLabelText('Username'), 'alice');
    await user.type(screen.getByLabelText('Password'), PASSWORD);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await user.type(await screen.findByLabelText('Verification code'), backupCodes[3] ?? '');
    await user.click(screen.getByRole('button', { name: 'Verify' }));
    await screen.findByRole('heading', { level: 1, name: 'Your account' });
    await waitFor(() => expect(store.getState().twoFactor.status?.backupCodesRemaining).toBe(9));
  });

  it('sends an ended session back here with the explanation and the username kept', async () => {
    await signedInClient(server, 'alice');
    const user = await renderApp();
    await user.type(screen.getByLabelText('Username'), 'alice');
    await user.type(screen.getByLabelText('Password'), PASSWORD);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByRole('heading', { level: 1, name: 'Your account' });
    server.clock.advance(31 * 60_000);
    await store
      .getState()
      .twoFactor.refresh()
      .catch(() => undefined);
    await screen.findByRole('heading', { level: 1, name: 'Sign in' });
    expect(screen.getAllByText(/Your session has ended/).length).toBeGreaterThan(0);
    expect(screen.getByRole('status').textContent).toMatch(/Your session has ended/);
    expect((screen.getByLabelText('Username') as HTMLInputElement).value).toBe('alice');
  });

  it('checks the session when the person comes back to the window', async () => {
    await signedInClient(server, 'alice');
    const user = await renderApp();
    await user.type(screen.getByLabelText('Username'), 'alice');
    await user.type(screen.getByLabelText('Password'), PASSWORD);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByRole('heading', { level: 1, name: 'Your account' });
    server.clock.advance(31 * 60_000);
    document.dispatchEvent(new Event('visibilitychange'));
    await screen.findByRole('heading', { level: 1, name: 'Sign in' });
    expect(store.getState().session.notice?.message).toMatch(/Your session has ended/);
  });
});
