import { useId, useState, type FormEvent } from 'react';
import type { TotpSetup } from '../../../api/types.js';
import { Button } from '../../../components/Button.js';
import { PasswordConfirmForm } from '../../../components/PasswordConfirmForm.js';
import { CopyButton } from '../../../components/CopyButton.js';
import { FormError } from '../../../components/FormError.js';
import { TextField } from '../../../components/TextField.js';
import { useAsyncAction } from '../../../components/use-async-action.js';
import { formatTime } from '../../../lib/time.js';
import { useAppStore } from '../../../store/store-context.js';
import { groupSecret, qrImageSource } from './secret-key.js';

export const SUGGESTED_APPS = ['Google Authenticator', 'Authy', 'LastPass Authenticator', '1Password'] as const;

export function EnrolmentPasswordStep() {
  const beginSetup = useAppStore((state) => state.twoFactor.beginSetup);
  const close = useAppStore((state) => state.twoFactor.closeEnrolment);
  const restartReason = useAppStore((state) => state.twoFactor.enrolment?.restartReason ?? null);

  return (
    <PasswordConfirmForm
      submitLabel="Continue"
      busyLabel="Checking…"
      onConfirm={beginSetup}
      onCancel={close}
      notice={restartReason}
    >
      <p>
        With two-factor authentication, signing in takes your password and a 6-digit code from an app on your phone, so
        a stolen password alone can't open your account. First, confirm it's you.
      </p>
    </PasswordConfirmForm>
  );
}

export function EnrolmentScanStep({ setup, username }: { setup: TotpSetup; username: string }) {
  const goToStep = useAppStore((state) => state.twoFactor.goToStep);
  const close = useAppStore((state) => state.twoFactor.closeEnrolment);
  const [showKey, setShowKey] = useState(false);
  const keyRegionId = useId();
  const qrSource = qrImageSource(setup.qrCodeSvg);
  const issuer = new URL(setup.otpauthUri).searchParams.get('issuer') ?? 'Latchkey';

  return (
    <div className="stack">
      <div className="scan-layout">
        {qrSource && (
          <img
            className="qr-code"
            src={qrSource}
            width={200}
            height={200}
            alt={`QR code to add ${issuer} (${username}) to your authenticator app`}
          />
        )}
        <div className="stack">
          <p>Open your authenticator app, choose to add an account, and scan this QR code.</p>
          <p>No app yet? Any of these works:</p>
          <ul className="app-list">
            {SUGGESTED_APPS.map((app) => (
              <li key={app}>{app}</li>
            ))}
          </ul>
        </div>
      </div>
      <div className="disclosure">
        <button
          type="button"
          className="link-button"
          aria-expanded={showKey}
          aria-controls={keyRegionId}
          onClick={() => setShowKey((shown) => !shown)}
        >
          Can't scan it?
        </button>
        <div id={keyRegionId} hidden={!showKey} className="stack secret-key-region">
          {showKey && (
            <>
              <p>
                In your app, choose to enter a setup key, and type this key. Use account name{' '}
                <strong>{username}</strong> and a time-based key.
              </p>
              <p className="secret-key-line">
                <code className="secret-key" aria-label={`Setup key: ${groupSecret(setup.secret)}`}>
                  {groupSecret(setup.secret)}
                </code>
                <CopyButton text={setup.secret} label="Copy key" copiedMessage="Key copied." />
              </p>
            </>
          )}
        </div>
      </div>
      <div className="button-row button-row-end">
        <Button onClick={close}>Cancel</Button>
        <Button variant="primary" onClick={() => goToStep('verify')}>
          Next
        </Button>
      </div>
    </div>
  );
}

export function EnrolmentVerifyStep({ expiresAt }: { expiresAt: string }) {
  const confirmCode = useAppStore((state) => state.twoFactor.confirmCode);
  const goToStep = useAppStore((state) => state.twoFactor.goToStep);
  const [code, setCode] = useState('');
  const action = useAsyncAction(confirmCode);
  const errorId = useId();

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const compact = code.replace(/[\s-]/g, '');
    if (!/^\d{6}$/.test(compact)) {
      action.setError('Enter the 6 digits your authenticator app shows for Latchkey.');
      return;
    }
    const ok = await action.run(compact);
    if (!ok) setCode('');
  };

  return (
    <form className="stack" onSubmit={(event) => void onSubmit(event)} noValidate aria-busy={action.pending}>
      <p>Enter the code your app now shows for Latchkey, to check that it is set up right.</p>
      <TextField
        label="6-digit code"
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={9}
        value={code}
        onChange={(event) => setCode(event.target.value)}
        readOnly={action.pending}
        invalid={action.error !== null}
        errorId={errorId}
        hint={`This set-up stays open until ${formatTime(new Date(expiresAt))}.`}
      />
      <FormError id={errorId} message={action.error} />
      <div className="button-row button-row-end">
        <Button onClick={() => goToStep('scan')}>Back</Button>
        <Button type="submit" variant="primary" busy={action.pending} busyLabel="Turning on…">
          Turn on
        </Button>
      </div>
    </form>
  );
}
