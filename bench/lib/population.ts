// The benchmark's accounts, and every secret they hold, derived from one fixed seed. The seeder
// (seed.ts) writes them into the database; the load generator (load-worker.ts, another process)
// derives the same tokens, tickets and codes again, so no list of secrets passes between them.
//
// For N accounts (ids 1..N, username `user<id>`, all with the same password):
// - every SESSION_EVERY-th account (ids 1, 11, 21, …) is signed in somewhere: one live session;
// - every TWO_FACTOR_EVERY-th account has two-factor on: TOTP enabled plus ten backup codes
//   (docs/api.md "Two-factor": backup codes exist exactly while two-factor is on); the others have two-factor off;
// - second-factor tickets are seeded for the two-factor accounts, one per request the load may
//   send, because a ticket is single-use and each real one would cost an argon2 hash to obtain.
import { createHmac } from 'node:crypto';
import { BACKUP_CODE_COUNT, newBackupCode } from '../../server/modules/backup-codes/backup-code-format.js';
import type { Random } from '../../server/platform/random.js';

export const BENCH_PASSWORD = 'bench-password-0123';
export const TWO_FACTOR_EVERY = 10;
export const SESSION_EVERY = 10;
/** How many distinct sessions the /me load cycles through, and how many accounts the password sign-in load does. */
export const HOT_SET_SIZE = 1000;

const SEED = Buffer.from('latchkey-benchmark-population-v1');

export function username(userId: number): string {
  return `user${userId}`;
}

export function hasTwoFactor(userId: number): boolean {
  return userId % TWO_FACTOR_EVERY === 0;
}

export function hasSession(userId: number): boolean {
  return userId % SESSION_EVERY === 1;
}

export function sessionCount(accounts: number): number {
  return Math.ceil(accounts / SESSION_EVERY);
}

export function twoFactorCount(accounts: number): number {
  return Math.floor(accounts / TWO_FACTOR_EVERY);
}

/** The k-th two-factor account (k from 0). */
export function twoFactorAccount(k: number): number {
  return (k + 1) * TWO_FACTOR_EVERY;
}

/**
 * A repeatable stream of bytes per label (HMAC-SHA256 in counter mode). Used only to make the
 * benchmark's secrets reproducible between two processes, never by the server.
 */
export function derivedRandom(label: string): Random {
  let counter = 0;
  let pool = Buffer.alloc(0);
  let offset = 0;
  return {
    bytes(length: number): Buffer {
      const out = Buffer.allocUnsafe(length);
      for (let filled = 0; filled < length;) {
        if (offset === pool.length) {
          pool = createHmac('sha256', SEED).update(`${label}#${counter++}`).digest();
          offset = 0;
        }
        const taken = pool.copy(out, filled, offset, Math.min(pool.length, offset + length - filled));
        offset += taken;
        filled += taken;
      }
      return out;
    },
  };
}

/** A 256-bit bearer value in the server's token format (43 base64url characters). */
function derivedToken(label: string): string {
  return createHmac('sha256', SEED).update(label).digest('base64url');
}

export function sessionToken(userId: number): string {
  return derivedToken(`session:${userId}`);
}

export function totpTicket(k: number): string {
  return derivedToken(`ticket:totp:${k}`);
}

export function backupCodeTicket(k: number): string {
  return derivedToken(`ticket:backup:${k}`);
}

/** The raw 160-bit TOTP secret of a two-factor account. */
export function totpSecret(userId: number): Buffer {
  return derivedRandom(`totp:${userId}`).bytes(20);
}

/** The Random that the backup-code service is given when seeding this account's ten codes. */
export function backupCodeRandom(userId: number): Random {
  return derivedRandom(`backup:${userId}`);
}

/** The peer's (better-auth's) sign-in name for an account: it signs in with an email address. */
export function peerEmail(userId: number): string {
  return `${username(userId)}@bench.invalid`;
}

/**
 * The peer's TOTP secret for an account: the same 160 bits as Latchkey's, as the text better-auth
 * keeps (its TOTP key is the UTF-8 bytes of that text).
 */
export function peerTotpSecret(userId: number): string {
  return totpSecret(userId).toString('base64url');
}

/** The account's ten backup codes: what the server's regenerate() makes from backupCodeRandom(). */
export function backupCodes(userId: number): string[] {
  const random = backupCodeRandom(userId);
  return Array.from({ length: BACKUP_CODE_COUNT }, () => newBackupCode(random));
}

/**
 * Spreads `count` picks evenly over 1..accounts (or over the two-factor accounts), so the load
 * touches rows all over the tables rather than one hot corner.
 */
export function spread(index: number, count: number, range: number): number {
  return Math.floor(((index % count) + 0.5) * (range / count));
}

/** The account whose session the i-th /me request presents. */
export function meAccount(i: number, accounts: number): number {
  const sessions = sessionCount(accounts);
  const hot = Math.min(HOT_SET_SIZE, sessions);
  return 1 + SESSION_EVERY * spread(i, hot, sessions);
}

/** The account the i-th password sign-in uses: two-factor off, so it ends with a session. */
export function passwordAccount(i: number, accounts: number): number {
  const hot = Math.min(HOT_SET_SIZE, accounts - twoFactorCount(accounts));
  let id = 1 + spread(i, hot, accounts);
  while (hasTwoFactor(id)) id = id === 1 ? 2 : id - 1;
  return id;
}

/**
 * Second-factor request k uses ticket k, which belongs to two-factor account `order(k)`: a
 * stride through all of them, so consecutive requests land far apart. TOTP needs a fresh
 * account per request (a time step is accepted once per account); backup codes may reuse an
 * account with its next code once every account has been used.
 */
export function secondFactorAccount(k: number, accounts: number): number {
  const count = twoFactorCount(accounts);
  const stride = coprimeStride(count);
  return twoFactorAccount((k * stride) % count);
}

export function backupCodeIndex(k: number, accounts: number): number {
  return Math.floor(k / twoFactorCount(accounts)) % BACKUP_CODE_COUNT;
}

/** How many single-use second-factor requests the population allows for each method. */
export function secondFactorCapacity(accounts: number): { totp: number; backupCode: number } {
  const count = twoFactorCount(accounts);
  return { totp: count, backupCode: count * BACKUP_CODE_COUNT };
}

function coprimeStride(count: number): number {
  if (count <= 2) return 1;
  let stride = Math.max(1, Math.floor(count * 0.618));
  while (gcd(stride, count) !== 1) stride++;
  return stride;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
