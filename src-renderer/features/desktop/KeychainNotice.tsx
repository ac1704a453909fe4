// In the desktop app, the main process keeps the session in the OS keychain so the person stays
// signed in across restarts (docs/desktop.md "Staying signed in"). When that keychain can't be
// used, the app still works and this notice says what it means for them. In a browser there is
// no bridge and nothing to say.
import { useEffect, useState } from 'react';
import type { AppStatus } from '../../../src-main/ipc/channels.js';
import { desktopBridge } from '../../platform/desktop-bridge.js';

export const KEYCHAIN_UNAVAILABLE_MESSAGE =
  "Your sign-in can't be kept on this device: the system keychain is unavailable. You'll sign in each time you open Latchkey.";

/** The desktop app's status, read once; null in a browser or until it answers. */
export function useDesktopStatus(): AppStatus | null {
  const [status, setStatus] = useState<AppStatus | null>(null);
  useEffect(() => {
    const bridge = desktopBridge();
    if (!bridge) return;
    let current = true;
    bridge.getStatus().then(
      (answer) => {
        if (current) setStatus(answer);
      },
      // The main process refused or is gone: nothing reliable to say, so say nothing.
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, []);
  return status;
}

export function KeychainNotice() {
  const status = useDesktopStatus();
  if (!status || status.keychain.available) return null;
  return (
    <aside className="notice notice-warning keychain-notice" role="status" aria-label="Keychain unavailable">
      <span className="icon" aria-hidden="true">
        !
      </span>
      <div>
        <p>{KEYCHAIN_UNAVAILABLE_MESSAGE}</p>
        {status.keychain.reason && <p className="notice-detail">{status.keychain.reason}</p>}
      </div>
    </aside>
  );
}
