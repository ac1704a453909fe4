// docs/api.md "Passwords": 8 to 128 characters after NFC normalisation, never truncated; a longer
// one is refused before it reaches the hash.
import { PASSWORD_MAX_CHARACTERS, PASSWORD_MIN_CHARACTERS } from '../../../contract/values.js';
import { ApiError, errors } from '../../http/api-error.js';

export { PASSWORD_MAX_CHARACTERS, PASSWORD_MIN_CHARACTERS };

export type PasswordCheck =
  { ok: true; normalized: string } | { ok: false; problem: 'too_short' | 'too_long' | 'malformed' };

export function checkPassword(raw: string): PasswordCheck {
  // A lone surrogate is no character: UTF-8 encoding (on the way to the hash) would turn each
  // into U+FFFD, and so make different passwords one. Such a password is never hashed.
  if (!raw.isWellFormed()) return { ok: false, problem: 'malformed' };
  const normalized = raw.normalize('NFC');
  // Count code points, not UTF-16 units: an emoji is one character to a person.
  const length = [...normalized].length;
  if (length < PASSWORD_MIN_CHARACTERS) return { ok: false, problem: 'too_short' };
  if (length > PASSWORD_MAX_CHARACTERS) return { ok: false, problem: 'too_long' };
  return { ok: true, normalized };
}

/**
 * A new password (at registration, at a change) as the rules take it: its normalised form, or the
 * refusal that says what to change.
 */
export function acceptNewPassword(raw: string): string {
  const checked = checkPassword(raw);
  if (checked.ok) return checked.normalized;
  if (checked.problem === 'malformed') throw errors.malformedPassword();
  if (checked.problem === 'too_short') throw new ApiError(400, 'weak_password');
  throw new ApiError(400, 'password_too_long');
}
