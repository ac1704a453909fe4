import { useId, useState, type FormEvent } from 'react';
import {
  PASSWORD_MAX_CHARACTERS,
  PASSWORD_MIN_CHARACTERS,
  USERNAME_MAX_CHARACTERS,
  USERNAME_MIN_CHARACTERS,
} from '../../../contract/values.js';
import { Button } from '../../components/Button.js';
import { FormError } from '../../components/FormError.js';
import { PasswordField } from '../../components/PasswordField.js';
import { TextField } from '../../components/TextField.js';
import { useAsyncAction } from '../../components/use-async-action.js';
import { useAppStore } from '../../store/store-context.js';

// The lengths of the server's rules (contract/values.ts, docs/api.md "Passwords"), checked here
// first so that a person gets the sentence before a round trip. Which characters a name may hold
// (one script, nothing invisible) the server decides, and its sentence is shown.
export function validateNewAccount(username: string, password: string): string | null {
  const nameLength = [...username.normalize('NFC')].length;
  if (nameLength < USERNAME_MIN_CHARACTERS || nameLength > USERNAME_MAX_CHARACTERS) {
    return `Choose a username of ${USERNAME_MIN_CHARACTERS} to ${USERNAME_MAX_CHARACTERS} characters.`;
  }
  const length = [...password.normalize('NFC')].length;
  if (length < PASSWORD_MIN_CHARACTERS) return `Choose a password of at least ${PASSWORD_MIN_CHARACTERS} characters.`;
  if (length > PASSWORD_MAX_CHARACTERS) return `Choose a password of at most ${PASSWORD_MAX_CHARACTERS} characters.`;
  return null;
}

export function CreateAccountForm({ onCancel }: { onCancel: () => void }) {
  const createAccount = useAppStore((state) => state.session.createAccount);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const action = useAsyncAction(createAccount);
  const errorId = useId();

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const problem = validateNewAccount(username.trim(), password);
    if (problem) {
      action.setError(problem);
      return;
    }
    await action.run(username.trim(), password);
  };

  return (
    <form className="stack" onSubmit={(event) => void onSubmit(event)} noValidate aria-busy={action.pending}>
      <TextField
        label="Username"
        name="username"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        autoFocus
        hint={`${USERNAME_MIN_CHARACTERS} to ${USERNAME_MAX_CHARACTERS} letters or digits, in one script, and . _ @ + -`}
        value={username}
        onChange={(event) => setUsername(event.target.value)}
        readOnly={action.pending}
        invalid={action.error !== null}
        errorId={errorId}
      />
      <PasswordField
        label="Password"
        name="new-password"
        purpose="new"
        hint={`${PASSWORD_MIN_CHARACTERS} to ${PASSWORD_MAX_CHARACTERS} characters. A few unrelated words make a strong password that is easy to remember.`}
        value={password}
        onValueChange={setPassword}
        readOnly={action.pending}
        invalid={action.error !== null}
        errorId={errorId}
      />
      <FormError id={errorId} message={action.error} />
      <Button type="submit" variant="primary" busy={action.pending} busyLabel="Creating account…">
        Create account
      </Button>
      <p className="aside">
        Already have an account?{' '}
        <button type="button" className="link-button" onClick={onCancel}>
          Sign in instead
        </button>
      </p>
    </form>
  );
}
