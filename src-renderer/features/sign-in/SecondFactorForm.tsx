import { useCallback, useId, useState, type FormEvent } from 'react';
import { ApiError } from '../../api/api-error.js';
import type { SecondFactorMethod } from '../../api/types.js';
import { Button } from '../../components/Button.js';
import { FormError } from '../../components/FormError.js';
import { TextField } from '../../components/TextField.js';
import { useAsyncAction } from '../../components/use-async-action.js';
import { formatTime } from '../../lib/time.js';
import { useAppStore } from '../../store/store-context.js';

/** What the step asks for, in the order the account's methods suggest. */
export function secondFactorHint(methods: readonly SecondFactorMethod[]): string {
  const app = methods.includes('totp');
  const key = methods.includes('security_key');
  if (key && app) {
    return 'Use your security key, or enter the 6-digit code your authenticator app shows for Latchkey. Have neither with you? Enter one of your backup codes.';
  }
  if (key) return "Use your security key. Don't have it with you? Enter one of your backup codes.";
  if (app) {
    return 'Open your authenticator app and enter the 6-digit code it shows for Latchkey. Lost your phone? Enter one of your backup codes instead.';
  }
  return 'Enter one of your backup codes.';
}

export function SecondFactorForm() {
  const challenge = useAppStore((state) => state.session.challenge);
  const verify = useAppStore((state) => state.session.verify);
  const signInWithSecurityKey = useAppStore((state) => state.session.signInWithSecurityKey);
  const cancel = useAppStore((state) => state.session.cancelChallenge);
  const [code, setCode] = useState('');
  // The store tells a mistyped code (refused before sending: the field keeps it for correcting)
  // from a code the server refused (the field empties for the next one).
  const submitCode = useCallback(
    async (input: string) => {
      try {
        await verify(input);
      } catch (error) {
        if (ApiError.from(error).code !== 'invalid_code_format') setCode('');
        throw error;
      }
    },
    [verify],
  );
  const codeAction = useAsyncAction(submitCode);
  const keyAction = useAsyncAction(signInWithSecurityKey);
  const errorId = useId();
  if (!challenge) return null;

  const canUseKey = challenge.methods.includes('security_key');
  const pending = codeAction.pending || keyAction.pending;
  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (keyAction.pending) return;
    keyAction.setError(null);
    await codeAction.run(code);
  };
  const onUseKey = () => {
    if (codeAction.pending) return;
    codeAction.setError(null);
    void keyAction.run();
  };

  return (
    <div className="stack">
      <p>{secondFactorHint(challenge.methods)}</p>
      {canUseKey && (
        <>
          <Button
            variant="primary"
            autoFocus
            onClick={onUseKey}
            busy={keyAction.pending}
            busyLabel="Waiting for your security key…"
            aria-describedby={keyAction.error ? errorId : undefined}
          >
            Use your security key
          </Button>
          <p className="divider">
            <span>or</span>
          </p>
        </>
      )}
      {/* One alert region for both ways, so each failure is read out in the same place. */}
      <form className="stack" onSubmit={(event) => void onSubmit(event)} noValidate aria-busy={pending}>
        <TextField
          label="Verification code"
          name="code"
          autoComplete="one-time-code"
          autoCapitalize="none"
          spellCheck={false}
          autoFocus={!canUseKey}
          value={code}
          onChange={(event) => setCode(event.target.value)}
          readOnly={pending}
          invalid={codeAction.error !== null}
          errorId={errorId}
          hint={`Signing in as ${challenge.username}. This step is open until ${formatTime(new Date(challenge.expiresAt))}.`}
        />
        <FormError id={errorId} message={codeAction.error ?? keyAction.error} />
        <Button
          type="submit"
          variant={canUseKey ? 'secondary' : 'primary'}
          busy={codeAction.pending}
          busyLabel="Verifying…"
        >
          Verify
        </Button>
      </form>
      <p className="aside">
        <button type="button" className="link-button" onClick={cancel}>
          Use a different account
        </button>
      </p>
    </div>
  );
}
