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
  onDisabled: () => void;
  fallbackFocus: () => HTMLElement | null;
}) {
  const disable = useAppStore((state) => state.twoFactor.disable);
  const securityKeys = useAppStore((state) => state.twoFactor.status?.securityKeys ?? 0);
  const [pending, setPending] = useState(false);

  return (
    <Dialog
      title="Disable Two-Factor Authentication"
      onClose={onClose}
      canClose={!pending}
      fallbackFocus={fallbackFocus}
    >
      <PasswordConfirmForm
        submitLabel="Disable"
        busyLabel="Disabling…"
        danger
        onPendingChange={setPending}
        onCancel={onClose}
        onConfirm={async (password) => {
          await disable(password);
          onDisabled();
        }}
      >
        {securityKeys > 0 ? (
          <p>
            Your authenticator app will no longer be asked for. Your security keys still protect your account, and so do
            your backup codes.
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
