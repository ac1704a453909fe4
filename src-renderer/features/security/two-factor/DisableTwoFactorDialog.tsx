import { useState } from 'react';
import { Dialog } from '../../../components/Dialog.js';
import { PasswordConfirmForm } from '../../../components/PasswordConfirmForm.js';
import { useAppStore } from '../../../store/store-context.js';

export function DisableTwoFactorDialog({
  onClose,
  onDisabled,
  fallbackFocus,
}: {
  onClose: () => void;
  /** `stillOn`: security keys keep two-factor on; `signedOut`: other sessions ended, or null. */
  onDisabled: (stillOn: boolean, signedOut: number | null) => void;
  fallbackFocus: () => HTMLElement | null;
}) {
  const disable = useAppStore((state) => state.twoFactor.disable);
  const securityKeys = useAppStore((state) => state.twoFactor.status?.securityKeys ?? 0);
  const [pending, setPending] = useState(false);
  // Named when opened: the count changes once the app is off.
  const [title] = useState(() =>
    securityKeys > 0 ? 'Turn off authenticator app' : 'Disable Two-Factor Authentication',
  );

  return (
    <Dialog title={title} onClose={onClose} canClose={!pending} fallbackFocus={fallbackFocus}>
      <PasswordConfirmForm
        submitLabel={securityKeys > 0 ? 'Turn off' : 'Disable'}
        busyLabel={securityKeys > 0 ? 'Turning off…' : 'Disabling…'}
        danger
        onPendingChange={setPending}
        onCancel={onClose}
        offerSignOutEverywhere
        onConfirm={async (password, signOutOthers) => {
          const signedOut = await disable(password, signOutOthers);
          onDisabled(securityKeys > 0, signedOut);
        }}
      >
        {securityKeys > 0 ? (
          <p>
            Codes from your authenticator app will no longer sign you in. Two-factor authentication stays on: your
            security keys still protect your account, and so do your backup codes.
          </p>
        ) : (
          <p>
            <strong>Your account will be protected by your password alone.</strong> Codes from your authenticator app
            and your backup codes will stop working.
          </p>
        )}
      </PasswordConfirmForm>
    </Dialog>
  );
}
