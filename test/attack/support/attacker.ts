// What an attacker who knows the password (phished, reused, leaked) can do against the second
// factor, and the arithmetic of how far the attempt limits let them get.
import type { AttemptLimitConfig } from '../../../server/config.js';
import { codeAt, decodeSecret, timeStep } from '../../../server/modules/totp/totp-codes.js';
import { BACKUP_CODE_ALPHABET } from '../../../server/modules/backup-codes/backup-code-format.js';

/**
 * Second-factor guesses the server evaluates for one account in `windowSeconds`, starting from a
 * clean count (docs/api.md "Attempt limits"): `threshold` free failures, then one more each time the
 * lock ends, the lock starting at `base` and doubling up to `max`. Only a successful sign-in
 * resets the count, and the attacker cannot make one.
 */
export function guessesInWindow(limits: AttemptLimitConfig, windowSeconds: number): number {
  let guesses = limits.accountThreshold;
  let at = 0;
  for (let extra = 0; ; extra += 1) {
    const lock = Math.min(limits.accountBaseLockSeconds * 2 ** extra, limits.accountMaxLockSeconds);
    at += lock;
    if (at >= windowSeconds) return guesses;
    guesses += 1;
  }
}

/** A six-digit code that is none of the three the server accepts right now (steps −1, 0, +1). */
export function wrongTotpCode(secretBase32: string, nowMs: number, random: () => number): string {
  const secret = decodeSecret(secretBase32);
  const valid = new Set([-1, 0, 1].map((offset) => codeAt(secret, (timeStep(nowMs) + offset) * 30_000)));
  for (;;) {
    const candidate = String(Math.floor(random() * 1_000_000)).padStart(6, '0');
    if (!valid.has(candidate)) return candidate;
  }
}

/** A well-formed backup code drawn at random: right with odds of 10 in 2^50. */
export function randomBackupCode(random: () => number): string {
  const symbols = Array.from(
    { length: 10 },
    () => BACKUP_CODE_ALPHABET[Math.floor(random() * BACKUP_CODE_ALPHABET.length)],
  ).join('');
  return `${symbols.slice(0, 5)}-${symbols.slice(5)}`;
}
