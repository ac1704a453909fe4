// "Enter your password, then <do the sensitive thing>": docs/api.md "Re-authentication" asks for
// the password again in the same request for every sensitive change. A change that takes a factor
// away or replaces the backup codes may also sign out everywhere else in the same step (docs/api.md
// "Signing out everywhere else"): the box for it sits in the same form.
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { AccountNameField } from './AccountNameField.js';
import { Button } from './Button.js';
import { FormError } from './FormError.js';
import { PasswordField } from './PasswordField.js';
import { useAsyncAction } from './use-async-action.js';

export function PasswordConfirmForm({
  children,
  submitLabel,
  busyLabel,
  danger = false,
  onConfirm,
  onCancel,
  onPendingChange,
  notice = null,
  offerSignOutEverywhere = false,
}: {
  children: ReactNode;
  submitLabel: string;
  busyLabel: string;
  danger?: boolean;
  /** `signOutOthers`: the person ticked "Sign out everywhere else" (false when not offered). */
  onConfirm: (password: string, signOutOthers: boolean) => Promise<void>;
  onCancel: () => void;
  onPendingChange?: (pending: boolean) => void;
  /** A sentence for the alert region until the person submits (why they are asked again). */
  notice?: string | null;
  /** Shows the "Sign out everywhere else" box. */
  offerSignOutEverywhere?: boolean;
}) {
  const [password, setPassword] = useState('');
  const [signOutOthers, setSignOutOthers] = useState(false);
  const signOutId = useId();
  const action = useAsyncAction(async (value: string) => {
    onPendingChange?.(true);
    try {
      await onConfirm(value, offerSignOutEverywhere && signOutOthers);
    } finally {
      onPendingChange?.(false);
    }
  });
  const errorId = useId();

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!password) {
      action.setError('Enter your password to continue.');
      return;
    }
    await action.run(password);
    setPassword('');
  };

  return (
    <form className="stack" onSubmit={(event) => void onSubmit(event)} noValidate aria-busy={action.pending}>
      {children}
      <AccountNameField />
      <PasswordField
        label="Password"
        purpose="current"
        value={password}
        onValueChange={setPassword}
        readOnly={action.pending}
        invalid={action.error !== null}
        errorId={errorId}
      />
      {offerSignOutEverywhere && (
        <div className="checkbox">
          <input
            id={signOutId}
            type="checkbox"
            checked={signOutOthers}
            disabled={action.pending}
            onChange={(event) => setSignOutOthers(event.target.checked)}
          />
          <label htmlFor={signOutId}>Sign out everywhere else</label>
        </div>
      )}
      <FormError id={errorId} message={action.error ?? (action.pending ? null : notice)} />
      <div className="button-row button-row-end">
        <Button onClick={onCancel} disabled={action.pending}>
          Cancel
        </Button>
        <Button type="submit" variant={danger ? 'danger' : 'primary'} busy={action.pending} busyLabel={busyLabel}>
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}
