import { useState } from 'react';
import type { SecurityKey } from '../../../api/types.js';
import { Dialog } from '../../../components/Dialog.js';
import { PasswordConfirmForm } from '../../../components/PasswordConfirmForm.js';
import { useAppStore } from '../../../store/store-context.js';

export function RemoveSecurityKeyDialog({
  securityKey,
  onClose,
  onRemoved,
  fallbackFocus,
}: {
  securityKey: SecurityKey;
  onClose: () => void;
  /** `stillOn`: another second factor keeps two-factor on; `signedOut`: other sessions ended, or null. */
  onRemoved: (stillOn: boolean, signedOut: number | null) => void;
  fallbackFocus: () => HTMLElement | null;
}) {
  const remove = useAppStore((state) => state.securityKeys.remove);
  const status = useAppStore((state) => state.twoFactor.status);
  const [pending, setPending] = useState(false);
  // Decided when the dialog opens: the count drops as soon as the key is gone.
  const [lastFactor] = useState(() => status !== null && !status.totp && status.securityKeys <= 1);

  return (
    <Dialog title="Remove security key" onClose={onClose} canClose={!pending} fallbackFocus={fallbackFocus}>
      <PasswordConfirmForm
        submitLabel="Remove"
        busyLabel="Removing…"
        danger
        onPendingChange={setPending}
        onCancel={onClose}
        offerSignOutEverywhere
        onConfirm={async (password, signOutOthers) => {
          const signedOut = await remove(securityKey.id, password, signOutOthers);
          onRemoved(!lastFactor, signedOut);
        }}
      >
        <p>
          <strong>{securityKey.name}</strong> will no longer sign you in
          {securityKey.passkey ? ', neither as your second step nor as a passkey.' : '.'}
        </p>
        {lastFactor && (
          <p className="warning">
            <span className="icon" aria-hidden="true">
              !
            </span>
            <span>
              <strong>It is your last second factor.</strong> Your account will be protected by your password alone, and
              your backup codes will stop working.
            </span>
          </p>
        )}
      </PasswordConfirmForm>
    </Dialog>
  );
}
