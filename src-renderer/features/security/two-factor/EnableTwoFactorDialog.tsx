// Enable Two-Factor Authentication, guided: password → scan the QR code (or type the key) → the
// first 6-digit code → save the backup codes. The secret and the codes live in the store's
// enrolment only while this dialog is open.
import { useState } from 'react';
import { Button } from '../../../components/Button.js';
import { Dialog } from '../../../components/Dialog.js';
import { StepHeader } from '../../../components/StepHeader.js';
import type { EnrolmentStep } from '../../../store/two-factor-slice.js';
import { useAppStore } from '../../../store/store-context.js';
import { BackupCodesPanel } from '../backup-codes/BackupCodesPanel.js';
import { EnrolmentPasswordStep, EnrolmentScanStep, EnrolmentVerifyStep } from './EnrolmentSteps.js';

const STEP_TITLES: Record<EnrolmentStep, string> = {
  password: 'Confirm your password',
  scan: 'Set up your authenticator app',
  verify: 'Enter the 6-digit code',
  backup_codes: 'Save your backup codes',
};
const STEP_ORDER: EnrolmentStep[] = ['password', 'scan', 'verify', 'backup_codes'];

export function EnableTwoFactorDialog({
  fallbackFocus,
  onFinished,
}: {
  fallbackFocus: () => HTMLElement | null;
  /** `keysBefore`: two-factor was already on through security keys. */
  onFinished: (keysBefore: boolean) => void;
}) {
  const enrolment = useAppStore((state) => state.twoFactor.enrolment);
  const close = useAppStore((state) => state.twoFactor.closeEnrolment);
  const username = useAppStore((state) => state.session.username) ?? '';
  const step = enrolment?.step;
  // Named when opened: with security keys, two-factor is on already and this adds the app to it.
  const securityKeys = useAppStore((state) => state.twoFactor.status?.securityKeys ?? 0);
  const [keysBefore] = useState(securityKeys > 0);

  if (!enrolment || !step) return null;
  const finish = () => {
    close();
    onFinished(keysBefore);
  };
  return (
    <Dialog
      title={keysBefore ? 'Set up authenticator app' : 'Enable Two-Factor Authentication'}
      onClose={close}
      canClose={step !== 'backup_codes' || enrolment.backupCodes === null}
      fallbackFocus={fallbackFocus}
      wide={step === 'scan' || step === 'backup_codes'}
    >
      <StepHeader step={step} steps={STEP_ORDER} titles={STEP_TITLES} />
      {step === 'password' && <EnrolmentPasswordStep />}
      {step === 'scan' && enrolment.setup && <EnrolmentScanStep setup={enrolment.setup} username={username} />}
      {step === 'verify' && enrolment.setup && <EnrolmentVerifyStep expiresAt={enrolment.setup.expiresAt} />}
      {step === 'backup_codes' &&
        (enrolment.backupCodes ? (
          <BackupCodesPanel
            codes={enrolment.backupCodes}
            username={username}
            onDone={finish}
            standsInFor="your authenticator app"
          />
        ) : (
          <div className="stack">
            <p>Your authenticator app is set up. Your existing backup codes keep working.</p>
            <div className="button-row button-row-end">
              <Button variant="primary" onClick={finish}>
                Done
              </Button>
            </div>
          </div>
        ))}
    </Dialog>
  );
}
