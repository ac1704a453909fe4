import { useId, useState, type FormEvent } from 'react';
import { Button } from '../../components/Button.js';
import { FormError } from '../../components/FormError.js';
import { TextField } from '../../components/TextField.js';
import { useAsyncAction } from '../../components/use-async-action.js';
import { formatTime } from '../../lib/time.js';
import { useAppStore } from '../../store/store-context.js';
import { classifyVerificationCode } from './verification-code.js';

export function SecondFactorForm() {
  const challenge = useAppStore((state) => state.session.challenge);
  const verify = useAppStore((state) => state.session.verify);
  const cancel = useAppStore((state) => state.session.cancelChallenge);
  const [code, setCode] = useState('');
  const action = useAsyncAction(verify);
  const errorId = useId();
  const hintId = useId();
  if (!challenge) return null;

  const canUseApp = challenge.methods.includes('totp');
  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const classified = classifyVerificationCode(code);
    if (classified.kind === 'invalid') {
      action.setError(classified.message);
      return;
    }
    const ok = await action.run(code);
    if (!ok) setCode('');
  };

  return (
    <form className="stack" onSubmit={(event) => void onSubmit(event)} noValidate aria-busy={action.pending}>
      <p id={hintId}>
        {canUseApp
          ? 'Open your authenticator app and enter the 6-digit code it shows for Latchkey. Lost your phone? Enter one of your backup codes instead.'
          : 'Enter one of your backup codes.'}
      </p>
      <TextField
        label="Verification code"
        name="code"
        autoComplete="one-time-code"
        autoCapitalize="none"
        spellCheck={false}
        autoFocus
        value={code}
        onChange={(event) => setCode(event.target.value)}
        readOnly={action.pending}
        invalid={action.error !== null}
        errorId={errorId}
        hint={`Signing in as ${challenge.username}. This step is open until ${formatTime(new Date(challenge.expiresAt))}.`}
      />
      <FormError id={errorId} message={action.error} />
      <Button type="submit" variant="primary" busy={action.pending} busyLabel="Verifying…">
        Verify
      </Button>
      <p className="aside">
        <button type="button" className="link-button" onClick={cancel}>
          Use a different account
        </button>
      </p>
    </form>
  );
}
