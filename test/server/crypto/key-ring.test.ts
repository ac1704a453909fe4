import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeyRing } from '../../../server/crypto/key-ring.js';
import { secretKeyId } from '../../../server/crypto/secret-key.js';
import { MissingSecretKeyError, SecretVault } from '../../../server/crypto/secret-vault.js';
import { systemRandom } from '../../../server/platform/random.js';

describe('the key ring', () => {
  const [oldKey, newKey, strayKey] = [randomBytes(32), randomBytes(32), randomBytes(32)];
  const secret = Buffer.from('a 160-bit TOTP secret.');

  it('names each key by an id derived from it alone: the same key, the same id', () => {
    expect(secretKeyId(oldKey)).toMatch(/^[0-9a-f]{16}$/);
    expect(secretKeyId(Buffer.from(oldKey))).toBe(secretKeyId(oldKey));
    expect(secretKeyId(newKey)).not.toBe(secretKeyId(oldKey));
    // The id is not a piece of the key or of any key derived from it.
    expect(oldKey.toString('hex')).not.toContain(secretKeyId(oldKey).slice(0, 8));
  });

  it('holds the current key first and each previous key once, never the current one again', () => {
    const ring = KeyRing.fromSecrets(newKey, [oldKey, newKey, Buffer.from(oldKey)]);
    expect(ring.all.map((key) => key.id)).toEqual([secretKeyId(newKey), secretKeyId(oldKey)]);
    expect(ring.find(secretKeyId(oldKey))).toBe(ring.previous[0]);
    expect(ring.find(secretKeyId(strayKey))).toBeUndefined();
  });

  it('seals under the current key, and opens under the key a box names, or by trial for none', () => {
    const before = new SecretVault(KeyRing.fromSecrets(oldKey), systemRandom);
    const after = new SecretVault(KeyRing.fromSecrets(newKey, [oldKey]), systemRandom);
    const old = before.seal(secret, 'totp:user:1');
    expect(old.keyId).toBe(secretKeyId(oldKey));
    expect(after.open(old.sealed, old.keyId, 'totp:user:1')).toMatchObject({ plaintext: secret, keyId: old.keyId });
    expect(after.open(old.sealed, null, 'totp:user:1')).toMatchObject({ plaintext: secret, keyId: old.keyId });
    expect(after.seal(secret, 'totp:user:1').keyId).toBe(secretKeyId(newKey));
    // A key the server was not given is named; a box moved to another row does not open under any.
    expect(() => before.open(after.seal(secret, 'a').sealed, secretKeyId(newKey), 'a')).toThrow(MissingSecretKeyError);
    expect(() => after.open(old.sealed, null, 'totp:user:2')).toThrow();
    expect(() =>
      new SecretVault(KeyRing.fromSecrets(strayKey), systemRandom).open(old.sealed, null, 'totp:user:1'),
    ).toThrow();
  });
});
