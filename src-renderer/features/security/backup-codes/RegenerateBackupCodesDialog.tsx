import { useState } from 'react';
import { Dialog } from '../../../components/Dialog.js';
import { PasswordConfirmForm } from '../../../components/PasswordConfirmForm.js';
import { useAppStore } from '../../../store/store-context.js';
import { usualSecondStep } from '../two-factor/second-factor-words.js';
import { BackupCodesPanel } from './BackupCodesPanel.js';

export function RegenerateBackupCodesDialog({
  onClose,
  fallbackFocus,
}: {
  onClose: () => void;
  fallbackFocus: () => HTMLElement | null;
}) {
  const regenerate = useAppStore((state) => state.twoFactor.regenerateBackupCodes);
  const codes = useAppStore((state) => state.twoFactor.newBackupCodes);
  const forgetCodes = useAppStore((state) => state.twoFactor.closeNewBackupCodes);
  const username = useAppStore((state) => state.session.username) ?? '';
  const status = useAppStore((state) => state.twoFactor.status);
  const [pending, setPending] = useState(false);

  const close = () => {
    forgetCodes();
    onClose();
  };

  return (
    <Dialog
      title="Generate new backup codes"
      onClose={close}
      canClose={!pending && codes === null}
      fallbackFocus={fallbackFocus}
      wide={codes !== null}
    >
      {codes ? (
        <BackupCodesPanel
          codes={codes}
          username={username}
          onDone={close}
          standsInFor={status ? usualSecondStep(status) : undefined}
        />
      ) : (
        <PasswordConfirmForm
          submitLabel="Generate"
          busyLabel="Generating…"
          onPendingChange={setPending}
          onCancel={close}
          onConfirm={regenerate}
        >
          <p>
            You get ten new codes. <strong>Your current backup codes stop working</strong> as soon as the new ones are
            made, so save the new ones right away.
          </p>
        </PasswordConfirmForm>
      )}
    </Dialog>
  );
}
