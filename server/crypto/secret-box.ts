// AES-256-GCM from node:crypto, with the owner's id as associated data (SECURITY.md "Someone with a
// copy of the data folder": TOTP secrets "bound to the user row"): a ciphertext copied onto another
// row fails to open.
import { createCipheriv, createDecipheriv, type KeyObject } from 'node:crypto';
import type { Random } from '../platform/random.js';
import { secretKeyObject } from './key-objects.js';

const NONCE_BYTES = 12; // NIST SP 800-38D §8.2: 96-bit IVs
const TAG_BYTES = 16;

export class SecretBox {
  private readonly key: KeyObject;

  constructor(
    key: Buffer,
    private readonly random: Random,
  ) {
    this.key = secretKeyObject(key);
  }

  /** Returns nonce || ciphertext || tag. */
  seal(plaintext: Buffer, associatedData: string): Buffer {
    const nonce = this.random.bytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([nonce, body, cipher.getAuthTag()]);
  }

  /** Throws when the box was tampered with, moved to another owner, or sealed with another key. */
  open(sealed: Buffer, associatedData: string): Buffer {
    const nonce = sealed.subarray(0, NONCE_BYTES);
    const tag = sealed.subarray(sealed.length - TAG_BYTES);
    const body = sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  }
}
