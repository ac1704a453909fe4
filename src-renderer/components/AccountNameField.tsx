import { useAppStore } from '../store/store-context.js';

/**
 * A hidden username beside a password re-entry, so that password managers know which account's
 * password to fill (Chromium's "password forms should have username fields" advice).
 */
export function AccountNameField() {
  const username = useAppStore((state) => state.session.username) ?? '';
  return <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />;
}
