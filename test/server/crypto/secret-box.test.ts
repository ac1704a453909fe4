import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox } from '../../../server/crypto/secret-box.js';
import { deriveKeys } from '../../../server/crypto/secret-key.js';
import { systemRandom } from '../../../server/platform/random.js';

describe('SecretBox (AES-256-GCM bound to its owner)', () => {
  const key = randomBytes(32);
  const box = new SecretBox(key, systemRandom);
  const secret = Buffer.from('a 160-bit TOTP secret.');

  it('opens what it sealed for the same owner', () => {
    const sealed = box.seal(secret, 'totp:user:1');
    expect(sealed.includes(secret)).toBe(false);
    expect(box.open(sealed, 'totp:user:1').equals(secret)).toBe(true);
  });

  it('refuses a box moved to another owner row', () => {
    const sealed = box.seal(secret, 'totp:user:1');
    expect(() => box.open(sealed, 'totp:user:2')).toThrow();
  });

  it('refuses a tampered box and another key', () => {
    const sealed = box.seal(secret, 'totp:user:1');
    const tampered = Buffer.from(sealed);
    tampered[14] = tampered[14]! ^ 1;
    expect(() => box.open(tampered, 'totp:user:1')).toThrow();
    expect(() => new SecretBox(randomBytes(32), systemRandom).open(sealed, 'totp:user:1')).toThrow();
  });

  it('uses a fresh nonce each time', () => {
    expect(box.seal(secret, 'a').equals(box.seal(secret, 'a'))).toBe(false);
  });

  it('derives distinct purpose keys from the one secret key', () => {
    const keys = deriveKeys(key);
    expect(keys.totpEncryption.length).toBe(32);
    expect(keys.totpEncryption.equals(keys.backupCodeHashing)).toBe(false);
    expect(deriveKeys(key).totpEncryption.equals(keys.totpEncryption)).toBe(true);
  });
});
