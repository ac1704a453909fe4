// @vitest-environment happy-dom
// The Security page's two-factor and backup-code sections, rendered with the real store and API
// client against the real server.
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import type { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppStore } from '../../../../src-renderer/store/app-store.js';
import { PASSWORD, startTestServer, totpCode, type TestServer } from '../../../support/test-server.js';
import { renderSecurityPage } from '../../support/render-security-page.js';
import { signedUpStore } from '../../support/test-api.js';

let server: TestServer;
let store: AppStore;

beforeEach(async () => {
  server = await startTestServer();
  store = await signedUpStore(server);
});
afterEach(async () => {
  cleanup();
  delete window.latchkey;
  vi.restoreAllMocks();
  await server.close();
});

const renderSecurity = () => renderSecurityPage(store);

/** Walks the dialog up to the backup codes; returns the secret read under "Can't scan it?". */
async function enrolUpToCodes(user: ReturnType<typeof userEvent.setup>): Promise<string> {
  await user.click(await screen.findByRole('button', { name: 'Enable Two-Factor Authentication' }));
  const dialog = screen.getByRole('dialog', { name: 'Enable Two-Factor Authentication' });
  await user.type(within(dialog).getByLabelText('Password'), PASSWORD);
  await user.click(within(dialog).getByRole('button', { name: 'Continue' }));
  const reveal = await within(dialog).findByRole('button', { name: "Can't scan it?" });
  const qr = within(dialog).getByRole('img', { name: /QR code/ }) as HTMLImageElement;
  expect(qr.src).toMatch(/^data:image\/svg\+xml/);
  for (const app of ['Google Authenticator', 'Authy', 'LastPass Authenticator', '1Password']) {
    expect(within(dialog).getByText(app)).toBeTruthy();
  }
  await user.click(reveal);
  const secret = (dialog.querySelector('code.secret-key')?.textContent ?? '').replace(/ /g, '');
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await user.click(within(dialog).getByRole('button', { name: 'Next' }));
  await user.type(within(dialog).getByLabelText('6-digit code'), totpCode(secret, server.clock));
  await user.click(within(dialog).getByRole('button', { name: 'Turn on' }));
  await within(dialog).findByRole('heading', { name: 'Save your backup codes' });
  return secret;
}

describe('Enable Two-Factor Authentication', () => {
  it('guides through password, QR code and key, code, and backup codes; Done only after the tick', async () => {
    const user = renderSecurity();
    const secret = await enrolUpToCodes(user);
    const dialog = screen.getByRole('dialog');
    const codes = within(dialog)
      .getAllByRole('listitem')
      .map((item) => item.textContent ?? '');
    expect(codes).toHaveLength(10);
    expect(document.body.innerHTML).not.toContain(secret);

    const done = within(dialog).getByRole('button', { name: 'Done' });
    expect(done.getAttribute('aria-disabled')).toBe('true');
    await user.click(done);
    expect(screen.getByRole('dialog')).toBeTruthy();
    await user.click(within(dialog).getByLabelText('I have saved these codes'));
    expect(done.getAttribute('aria-disabled')).toBeNull();
    await user.click(done);

    expect(screen.queryByRole('dialog')).toBeNull();
    expect(store.getState().twoFactor.enrolment).toBeNull();
    for (const code of codes) expect(document.body.innerHTML).not.toContain(code);
    await screen.findByText(/Two-factor authentication is on\./);
    expect(screen.getByRole('button', { name: 'Disable Two-Factor Authentication' })).toBeTruthy();
    expect(screen.getByText(/of 10 backup codes left/).textContent).toMatch(/^10 of 10/);
  });

  it('Download hands the file to the desktop bridge when there is one', async () => {
    // The Electron preload cannot run here; this stands in for window.latchkey (its type is the
    // real bridge's) to check what the page hands over.
    const saveTextFile = vi.fn(async () => ({ saved: true }));
    window.latchkey = { saveTextFile, getStatus: vi.fn() };
    const user = renderSecurity();
    await enrolUpToCodes(user);
    await user.click(screen.getByRole('button', { name: 'Download' }));
    await screen.findByText('Saved the codes to a file.');
    expect(saveTextFile).toHaveBeenCalledTimes(1);
    const [name, contents] = saveTextFile.mock.calls[0] as unknown as [string, string];
    expect(name).toBe('latchkey-backup-codes.txt');
    expect(contents).toContain('Account: alice');
    const shown = within(screen.getByRole('list', { name: 'Your backup codes' })).getAllByRole('listitem');
    expect(shown).toHaveLength(10);
    for (const item of shown) expect(contents).toContain(item.textContent);
  });

  it('Download falls back to a browser download of a text Blob', async () => {
    const blobs: Blob[] = [];
    const createObjectURL = vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return 'blob:test';
    });
    const clicks: { href: string; download: string }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push({ href: this.getAttribute('href') ?? '', download: this.download });
    });
    const user = renderSecurity();
    await enrolUpToCodes(user);
    await user.click(screen.getByRole('button', { name: 'Download' }));
    await screen.findByText('Downloading latchkey-backup-codes.txt.');
    expect(createObjectURL).toHaveBeenCalledTimes(1);
    expect(clicks).toEqual([{ href: 'blob:test', download: 'latchkey-backup-codes.txt' }]);
    expect(blobs[0]?.type).toBe('text/plain;charset=utf-8');
    expect(await blobs[0]?.text()).toMatch(/^Latchkey backup codes\n\nAccount: alice\n/);
  });

  it('Cancel drops the pending secret from the store', async () => {
    const user = renderSecurity();
    await user.click(await screen.findByRole('button', { name: 'Enable Two-Factor Authentication' }));
    await user.type(within(screen.getByRole('dialog')).getByLabelText('Password'), PASSWORD);
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    await screen.findByRole('button', { name: "Can't scan it?" });
    expect(store.getState().twoFactor.enrolment?.setup?.secret).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(store.getState().twoFactor.enrolment).toBeNull();
  });
});

describe('Backup codes and Disable', () => {
  async function enabled(user: ReturnType<typeof userEvent.setup>) {
    await enrolUpToCodes(user);
    await user.click(screen.getByLabelText('I have saved these codes'));
    await user.click(screen.getByRole('button', { name: 'Done' }));
  }

  it('generates new codes with the password, saying the old ones stop working', async () => {
    const user = renderSecurity();
    await enabled(user);
    await user.click(screen.getByRole('button', { name: 'Generate new backup codes' }));
    const dialog = screen.getByRole('dialog', { name: 'Generate new backup codes' });
    expect(dialog.textContent).toMatch(/current backup codes stop working/);
    await user.type(within(dialog).getByLabelText('Password'), 'wrong password');
    await user.click(within(dialog).getByRole('button', { name: 'Generate' }));
    await waitFor(() => expect(within(dialog).getByRole('alert').textContent).toMatch(/password is not right/));
    await user.type(within(dialog).getByLabelText('Password'), PASSWORD);
    await user.click(within(dialog).getByRole('button', { name: 'Generate' }));
    expect(await within(dialog).findAllByRole('listitem')).toHaveLength(10);
    await user.click(within(dialog).getByLabelText('I have saved these codes'));
    await user.click(within(dialog).getByRole('button', { name: 'Done' }));
    expect(store.getState().twoFactor.newBackupCodes).toBeNull();
  });

  it('warns when three or fewer codes are left', async () => {
    const user = renderSecurity();
    await enabled(user);
    expect(screen.queryByText(/Warning:/)).toBeNull();
    store.getState().twoFactor.setStatus({ enabled: true, totp: true, securityKeys: 0, backupCodesRemaining: 3 });
    expect((await screen.findByText(/Warning:/)).parentElement?.textContent).toMatch(/Only 3 backup codes are left/);
  });

  it('disables two-factor after the password, then Disable', async () => {
    const user = renderSecurity();
    await enabled(user);
    await user.click(screen.getByRole('button', { name: 'Disable Two-Factor Authentication' }));
    const dialog = screen.getByRole('dialog', { name: 'Disable Two-Factor Authentication' });
    expect(dialog.textContent).toMatch(/password alone/);
    await user.type(within(dialog).getByLabelText('Password'), PASSWORD);
    await user.click(within(dialog).getByRole('button', { name: 'Disable' }));
    await screen.findByText(/Two-factor authentication is off\./);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByRole('button', { name: 'Enable Two-Factor Authentication' })).toBeTruthy();
  });

  it('lists recent activity with readable labels, time and place', async () => {
    const user = renderSecurity();
    await enabled(user);
    const activity = screen.getByRole('region', { name: 'Recent security activity' });
    await user.click(within(activity).getByRole('button', { name: 'Refresh' }));
    const list = await screen.findByRole('list', { name: 'Security events, newest first' });
    await waitFor(() => expect(list.textContent).toMatch(/Two-factor authentication turned on/));
    expect(list.textContent).toMatch(/New backup codes generated/);
    expect(list.querySelector('time')?.getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(list.textContent).toMatch(/from this computer \(127\.0\.0\.1\)/i);
  });
});
