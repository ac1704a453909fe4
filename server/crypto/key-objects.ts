// Node turns a Buffer key into a KeyObject on every createHmac/createCipheriv call: about 20 µs
// each on Node 24, more than the HMAC or the AES-GCM itself (docs/performance.md "Second-factor
// sign-in"). The derived keys are imported once instead, and the KeyObject reused: the same
// key, the same primitive, held in native memory rather than on the JavaScript heap.
import { createSecretKey, type KeyObject } from 'node:crypto';

const imported = new WeakMap<Buffer, KeyObject>();

/**
 * The KeyObject of a derived key, made on first use. KeyRing.wipe() overwrites the bytes, not
 * this copy: it goes with the services that hold it.
 */
export function secretKeyObject(bytes: Buffer): KeyObject {
  let key = imported.get(bytes);
  if (!key) {
    key = createSecretKey(bytes);
    imported.set(bytes, key);
  }
  return key;
}
