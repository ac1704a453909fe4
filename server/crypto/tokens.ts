// Bearer secrets (session tokens, sign-in tickets): 256 random bits, shown once, stored as
// SHA-256. A fast hash is right here: the input has full entropy, so nothing can be guessed.
import { hash } from 'node:crypto';
import type { Random } from '../platform/random.js';

const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newToken(random: Random): string {
  return random.bytes(TOKEN_BYTES).toString('base64url');
}

export function isWellFormedToken(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}

export function hashToken(token: string): Buffer {
  // crypto.hash: the one-shot form, without a Hash object per request (every authenticated request hashes).
  return hash('sha256', token, 'buffer');
}
