import { useId, useState, type FormEvent } from 'react';
import { Button } from '../../components/Button.js';
import { FormError } from '../../components/FormError.js';
import { PasswordField } from '../../components/PasswordField.js';
import { TextField } from '../../components/TextField.js';
import { useAsyncAction } from '../../components/use-async-action.js';
import { webAuthnSupported } from '../../platform/webauthn.js';
import { useAppStore } from '../../store/store-context.js';

export function PasswordForm({ onCreateAccount }: { onCreateAccount: (() => void) | null }) {
  const signIn = useAppStore((state) => state.session.signIn);
  const signInWithPasskey = useAppStore((state) => state.session.signInWithPasskey);
  const lastUsername = useAppStore((state) => state.session.lastUsername);
  const [username, setUsername] = useState(lastUsername);
  const [password, setPassword] = useState('');
  const action = useAsyncAction(signIn);
  const passkeyAction = useAsyncAction(signInWithPasskey);
  // Without WebAuthn in this browser a passkey can't be used at all: no button that can only fail.
  const [offerPasskey] = useState(webAuthnSupported);
  const pending = action.pending || passkeyAction.pending;
  const errorId = useId();

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (passkeyAction.pending) return;
    passkeyAction.setError(null);
    if (!username.trim() || !password) {
      action.setError('Enter your username and your password.');
      return;
    }
    const ok = await action.run(username.trim(), password);
    if (!ok) setPassword('');
  };

  return (
    <form className="stack" onSubmit={(event) => void onSubmit(event)} noValidate aria-busy={pending}>
      <TextField
        label="Username"
        name="username"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        autoFocus={lastUsername === ''}
        value={username}
        onChange={(event) => setUsername(event.target.value)}
        readOnly={pending}
        invalid={action.error !== null && !username.trim()}
        errorId={errorId}
      />
      <PasswordField
        label="Password"
        name="password"
        purpose="current"
        autoFocus={lastUsername !== ''}
        value={password}
        onValueChange={setPassword}
        readOnly={pending}
        invalid={action.error !== null}
        errorId={errorId}
      />
      {/* One alert region for both ways of signing in. */}
      <FormError id={errorId} message={action.error ?? passkeyAction.error} />
      <Button type="submit" variant="primary" busy={action.pending} busyLabel="Signing in…">
        Sign in
      </Button>
      {offerPasskey && (
        <>
          <p className="divider">
            <span>or</span>
          </p>
          <Button
            onClick={() => {
              if (action.pending) return;
              action.setError(null);
              void passkeyAction.run();
            }}
            busy={passkeyAction.pending}
            busyLabel="Waiting for your passkey…"
            aria-describedby={passkeyAction.error ? errorId : undefined}
          >
            Sign in with a passkey
          </Button>
        </>
      )}
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
