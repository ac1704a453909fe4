// Change password: the current one (docs/api.md "Re-authentication"), the new one twice, and a
// strength hint that advises but never refuses a password the policy takes. On success every other
// session has ended on the server; the section says how many.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { PASSWORD_MAX_CHARACTERS, PASSWORD_MIN_CHARACTERS } from '../../../../contract/values.js';
import { AccountNameField } from '../../../components/AccountNameField.js';
import { Button } from '../../../components/Button.js';
import { Dialog } from '../../../components/Dialog.js';
import { FormError } from '../../../components/FormError.js';
import { PasswordField } from '../../../components/PasswordField.js';
import { useAsyncAction } from '../../../components/use-async-action.js';
import { useAppStore } from '../../../store/store-context.js';
import { passwordStrength, type PasswordStrength } from './password-strength.js';

/** The policy's own check, before any request (the server checks again, after NFC). */
export function newPasswordProblem(newPassword: string, confirmation: string): string | null {
  const length = [...newPassword.normalize('NFC')].length;
  if (length < PASSWORD_MIN_CHARACTERS)
    return `Choose a new password of at least ${PASSWORD_MIN_CHARACTERS} characters.`;
  if (length > PASSWORD_MAX_CHARACTERS) return `A password can be at most ${PASSWORD_MAX_CHARACTERS} characters.`;
  if (newPassword !== confirmation) return 'The two new passwords are not the same. Type the new password again.';
  return null;
}

function useStrength(password: string, username: string): PasswordStrength | null {
  // Kept with the password it was measured for: a hint for an older value never shows.
  const [measured, setMeasured] = useState<{ password: string; strength: PasswordStrength } | null>(null);
  useEffect(() => {
    if (!password) return;
    let current = true;
    // Waits for a pause in typing.
    const timer = setTimeout(() => {
      void passwordStrength(password, [username, 'latchkey']).then(
        (strength) => current && setMeasured({ password, strength }),
        () => undefined,
      );
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [password, username]);
  return measured?.password === password ? measured.strength : null;
}

export function ChangePasswordDialog({
  onClose,
  onChanged,
  fallbackFocus,
}: {
  onClose: () => void;
  /** `otherSessionsEnded`: how many other sessions the change signed out. */
  onChanged: (otherSessionsEnded: number) => void;
  fallbackFocus: () => HTMLElement | null;
}) {
  const changePassword = useAppStore((state) => state.password.change);
  const username = useAppStore((state) => state.session.username) ?? '';
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const strength = useStrength(next, username);
  const errorId = useId();
  const strengthId = useId();
  const action = useAsyncAction(async () => {
    onChanged(await changePassword(current, next));
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const problem = current ? newPasswordProblem(next, confirmation) : 'Enter your current password to continue.';
    if (problem) {
      action.setError(problem);
      return;
    }
    void action.run();
  };

  return (
    <Dialog title="Change password" onClose={onClose} canClose={!action.pending} fallbackFocus={fallbackFocus}>
      <form className="stack" onSubmit={onSubmit} noValidate aria-busy={action.pending}>
        <p>Every other place you are signed in is signed out; this window stays signed in.</p>
        <AccountNameField />
        <PasswordField
          label="Current password"
          purpose="current"
          value={current}
          onValueChange={setCurrent}
          readOnly={action.pending}
          invalid={action.error !== null}
          errorId={errorId}
        />
        <PasswordField
          label="New password"
          purpose="new"
          hint={`At least ${PASSWORD_MIN_CHARACTERS} characters. A few unrelated words make a strong one.`}
          value={next}
          onValueChange={setNext}
          readOnly={action.pending}
          aria-describedby={strength ? strengthId : undefined}
        />
        <p id={strengthId} className="field-hint strength" aria-live="polite">
          {strength && (
            <>
              <span className={`strength-meter strength-${strength.score}`} aria-hidden="true">
                <span />
              </span>
              <strong>Strength: {strength.label}.</strong> {strength.advice}
            </>
          )}
        </p>
        <PasswordField
          label="Confirm new password"
          purpose="new"
          value={confirmation}
          onValueChange={setConfirmation}
          readOnly={action.pending}
        />
        <FormError id={errorId} message={action.error} />
        <div className="button-row button-row-end">
          <Button onClick={onClose} disabled={action.pending}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" busy={action.pending} busyLabel="Changing…">
            Change password
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
