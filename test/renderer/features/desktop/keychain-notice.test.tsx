// @vitest-environment happy-dom
// The User Center's notice that the desktop app can't keep the sign-in. The Electron preload
// can't run here: window.latchkey is a stand-in typed as the real bridge (the real bridge and its
// IPC are tested in test/main/preload and test/main/ipc; the real app in test/electron/).
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppStatus } from '../../../../src-main/ipc/channels.js';
import {
  KEYCHAIN_UNAVAILABLE_MESSAGE,
  KeychainNotice,
} from '../../../../src-renderer/features/desktop/KeychainNotice.js';

afterEach(() => {
  cleanup();
  delete window.latchkey;
});

function status(keychain: AppStatus['keychain']): AppStatus {
  return {
    appVersion: '0.1.0',
    server: { mode: 'bundled', origin: 'http://localhost:4812', healthy: true },
    keychain,
    policy: { managed: false, error: null },
  };
}

function desktopWith(answer: Promise<AppStatus>) {
  const getStatus = vi.fn(() => answer);
  window.latchkey = { getStatus, saveTextFile: vi.fn() };
  return getStatus;
}

describe('KeychainNotice', () => {
  it('tells the person, with the reason, when the desktop app has no keychain', async () => {
    const reason = 'The OS keychain is locked (Cannot create an item in a locked collection). Unlock it.';
    const getStatus = desktopWith(Promise.resolve(status({ available: false, reason })));
    render(<KeychainNotice />);
    const notice = await screen.findByRole('status', { name: 'Keychain unavailable' });
    expect(notice.textContent).toContain(KEYCHAIN_UNAVAILABLE_MESSAGE);
    expect(notice.textContent).toContain(reason);
    expect(getStatus).toHaveBeenCalledTimes(1);
  });

  it('says nothing when the keychain works', async () => {
    const answer = Promise.resolve(status({ available: true, reason: null }));
    desktopWith(answer);
    const { container } = render(<KeychainNotice />);
    await answer;
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(container.textContent).toBe('');
  });

  it('says nothing in a browser (no bridge) or when the main process refuses', async () => {
    const browser = render(<KeychainNotice />);
    expect(browser.container.textContent).toBe('');
    browser.unmount();

    const refused = Promise.reject(new Error('This request did not come from the Latchkey window.'));
    desktopWith(refused);
    const desktop = render(<KeychainNotice />);
    await refused.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(desktop.container.textContent).toBe('');
  });
});
