import { useId, useState, type FormEvent } from 'react';
import { Button } from '../../components/Button.js';
import { FormError } from '../../components/FormError.js';
import { TextField } from '../../components/TextField.js';
import { useAsyncAction } from '../../components/use-async-action.js';
import { useAppStore } from '../../store/store-context.js';

export function PasswordForm({ onCreateAccount }: { onCreateAccount: (() => void) | null }) {
  const signIn = useAppStore((state) => state.session.signIn);
  const lastUsername = useAppStore((state) => state.session.lastUsername);
  const [username, setUsername] = useState(lastUsername);
  const [password, setPassword] = useState('');
  const action = useAsyncAction(signIn);
  const errorId = useId();

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!username.trim() || !password) {
      action.setError('Enter your username and your password.');
      return;
    }
    const ok = await action.run(username.trim(), password);
    if (!ok) setPassword('');
  };

  return (
    <form className="stack" onSubmit={(event) => void onSubmit(event)} noValidate aria-busy={action.pending}>
      <TextField
        label="Username"
        name="username"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        autoFocus={lastUsername === ''}
        value={username}
        onChange={(event) => setUsername(event.target.value)}
        readOnly={action.pending}
        invalid={action.error !== null && !username.trim()}
        errorId={errorId}
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        autoFocus={lastUsername !== ''}
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        readOnly={action.pending}
        invalid={action.error !== null}
        errorId={errorId}
      />
      <FormError id={errorId} message={action.error} />
      <Button type="submit" variant="primary" busy={action.pending} busyLabel="Signing in…">
        Sign in
      </Button>
      {onCreateAccount && (
        <p className="aside">
          New here?{' '}
          <button type="button" className="link-button" onClick={onCreateAccount}>
            Create account
          </button>
        </p>
      )}
    </form>
  );
}
