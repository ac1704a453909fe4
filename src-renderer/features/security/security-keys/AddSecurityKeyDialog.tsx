// Add security key, guided: password → a name → USB key or this device's fingerprint reader → the
// browser's (or the OS's) own prompt. The first key of an account turns two-factor on and brings
// ten backup codes, saved with the same panel as in Enable Two-Factor Authentication.
import { useState } from 'react';
import type { SecurityKey } from '../../../api/types.js';
import { Dialog } from '../../../components/Dialog.js';
import { StepHeader } from '../../../components/StepHeader.js';
import { PasswordConfirmForm } from '../../../components/PasswordConfirmForm.js';
import type { KeyRegistrationStep } from '../../../store/security-keys-slice.js';
import { useAppStore } from '../../../store/store-context.js';
import { BackupCodesPanel } from '../backup-codes/BackupCodesPanel.js';
import { KeyKindStep, KeyNameStep } from './AddKeySteps.js';

const STEP_TITLES: Record<KeyRegistrationStep, string> = {
  password: 'Confirm your password',
  name: 'Name your key',
  kind: 'Choose your key',
  backup_codes: 'Save your backup codes',
};
const STEP_ORDER: KeyRegistrationStep[] = ['password', 'name', 'kind', 'backup_codes'];

export function AddSecurityKeyDialog({
  fallbackFocus,
  onAdded,
}: {
  fallbackFocus: () => HTMLElement | null;
  onAdded: (key: SecurityKey) => void;
}) {
  const registration = useAppStore((state) => state.securityKeys.registration);
  const confirmPassword = useAppStore((state) => state.securityKeys.confirmPassword);
  const close = useAppStore((state) => state.securityKeys.closeRegistration);
  const username = useAppStore((state) => state.session.username) ?? '';
  const [pending, setPending] = useState(false);
  const step = registration?.step;

  if (!registration || !step) return null;
  // The backup-codes step exists only when this key turns two-factor on.
  const steps = registration.firstFactor ? STEP_ORDER : STEP_ORDER.slice(0, -1);
  const finish = () => {
    const added = registration.added;
    close();
    if (added) onAdded(added);
  };

  return (
    <Dialog
      title="Add security key"
      onClose={close}
      canClose={!pending && step !== 'backup_codes'}
      fallbackFocus={fallbackFocus}
      wide={step === 'backup_codes'}
    >
      <StepHeader step={step} steps={steps} titles={STEP_TITLES} />
      {step === 'password' && (
        <PasswordConfirmForm
          submitLabel="Continue"
          busyLabel="Checking…"
          notice={registration.restartReason}
          onPendingChange={setPending}
          onCancel={close}
          onConfirm={confirmPassword}
        >
          <p>
            A security key stands in for the 6-digit code when you sign in: you touch the key, or your fingerprint
            reader, instead of typing a code. First, confirm it's you.
          </p>
        </PasswordConfirmForm>
      )}
      {step === 'name' && <KeyNameStep />}
      {step === 'kind' && <KeyKindStep onPendingChange={setPending} onAdded={onAdded} />}
      {step === 'backup_codes' && registration.backupCodes && (
        <div className="stack">
          <p>
            <strong>{registration.added?.name}</strong> is added, and two-factor authentication is now on.
          </p>
          <BackupCodesPanel
            codes={registration.backupCodes}
            username={username}
            onDone={finish}
            standsInFor="your security key"
          />
        </div>
      )}
    </Dialog>
  );
}
