import { useState } from 'react';
import { Dialog } from '../../../components/Dialog.js';
import { PasswordConfirmForm } from '../../../components/PasswordConfirmForm.js';
import { useAppStore } from '../../../store/store-context.js';
import { signedOutElsewhereSentence } from '../sessions/session-words.js';
import { usualSecondStep } from '../two-factor/second-factor-words.js';
import { BackupCodesPanel } from './BackupCodesPanel.js';

export function RegenerateBackupCodesDialog({
  onClose,
  fallbackFocus,
  reason = null,
}: {
  onClose: () => void;
  fallbackFocus: () => HTMLElement | null;
  /** Why the dialog opened by itself (few backup codes left), read first. */
  reason?: string | null;
}) {
  const regenerate = useAppStore((state) => state.twoFactor.regenerateBackupCodes);
  const codes = useAppStore((state) => state.twoFactor.newBackupCodes);
  const signedOut = useAppStore((state) => state.twoFactor.newBackupCodesSignedOut);
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
        <>
          {signedOut !== null && <p role="status">{signedOutElsewhereSentence(signedOut)}</p>}
          <BackupCodesPanel
            codes={codes}
            username={username}
            onDone={close}
            standsInFor={status ? usualSecondStep(status) : undefined}
          />
        </>
      ) : (
        <PasswordConfirmForm
          submitLabel="Generate"
          busyLabel="Generating…"
          onPendingChange={setPending}
          onCancel={close}
          onConfirm={regenerate}
          offerSignOutEverywhere
        >
          {reason && (
            <p className="warning">
              <span className="icon" aria-hidden="true">
                !
              </span>
              <span>{reason}</span>
            </p>
          )}
          <p>
            You get ten new codes. <strong>Your current backup codes stop working</strong> as soon as the new ones are
            made, so save the new ones right away.
          </p>
        </PasswordConfirmForm>
      )}
    </Dialog>
  );
}
