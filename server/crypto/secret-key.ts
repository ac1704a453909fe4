// The server's secret key and the purpose-bound keys derived from it (HKDF-SHA256, RFC 5869).
// The key never sits in the database: it comes from a file (mode 0600) or, from the desktop app,
// from the OS keychain through LATCHKEY_SECRET_KEY. Every row a key seals or keys records the key's
// id, so that a key can be replaced without losing what the old one sealed (key-ring.ts).
import { hkdfSync, randomBytes } from 'node:crypto';
import { openSync, readFileSync, writeSync, closeSync, statSync } from 'node:fs';

export const SECRET_KEY_BYTES = 32;

export interface DerivedKeys {
  /** AES-256-GCM key for TOTP secrets. */
  totpEncryption: Buffer;
  /** HMAC-SHA256 key for backup codes. */
  backupCodeHashing: Buffer;
  /** HMAC-SHA256 key that seals passkey challenges (modules/security-keys/challenges.ts). */
  passkeyChallenge: Buffer;
}

export class SecretKeyError extends Error {}

/**
 * Reads the key from `inline` (base64, as handed over by the desktop app) or from `file`. With
 * `create` (the server's current key), a file that does not exist yet is created with 32 random
 * bytes and mode 0600; without it (a previous key, the admin commands) a missing file is an error.
 */
export function loadSecretKey(file: string, inline: string | undefined, { create = true } = {}): Buffer {
  if (inline !== undefined) {
    const key = Buffer.from(inline, 'base64');
    if (key.length !== SECRET_KEY_BYTES) {
      throw new SecretKeyError(`LATCHKEY_SECRET_KEY must be ${SECRET_KEY_BYTES} bytes in base64.`);
    }
    return key;
  }
  if (create) createKeyFile(file);
  let key: Buffer;
  try {
    key = readFileSync(file);
  } catch (error) {
    throw new SecretKeyError(`Cannot read the secret key file ${file}: ${(error as Error).message}.`);
  }
  if (key.length !== SECRET_KEY_BYTES) {
    throw new SecretKeyError(
      `The secret key file ${file} must hold exactly ${SECRET_KEY_BYTES} bytes; it holds ${key.length}.`,
    );
  }
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
    throw new SecretKeyError(`The secret key file ${file} is readable by other users; run chmod 600 on it.`);
  }
  return key;
}

function createKeyFile(file: string): void {
  try {
    // 'wx': create only if absent, so two servers starting at once cannot both write a key.
    const fd = openSync(file, 'wx', 0o600);
    try {
      writeSync(fd, randomBytes(SECRET_KEY_BYTES));
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new SecretKeyError(`Cannot create the secret key file ${file}: ${(error as Error).message}.`);
    }
  }
}

export function deriveKeys(secretKey: Buffer): DerivedKeys {
  const derive = (purpose: string) => hkdf(secretKey, purpose, 32);
  return {
    totpEncryption: derive('totp-secret'),
    backupCodeHashing: derive('backup-code'),
    passkeyChallenge: derive('passkey-challenge'),
  };
}

/**
 * The key's public name, stored with every row it seals or keys: 8 bytes derived for this purpose
 * alone, in hex. It tells which key a row needs and nothing about the key itself.
 */
export function secretKeyId(secretKey: Buffer): string {
  return hkdf(secretKey, 'key-id', 8).toString('hex');
}

function hkdf(secretKey: Buffer, purpose: string, bytes: number): Buffer {
  return Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), `latchkey/${purpose}/v1`, bytes));
}
