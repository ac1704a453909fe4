// The keys one server holds: the current key, which seals and keys everything new, and the previous
// keys (--previous-secret-key-file), which still open what they sealed. Rows name their key by id
// (secret-key.ts), so a key can be replaced without losing a TOTP secret or a backup code:
// docs/deployment.md "Rotating the secret key" gives the procedure.
import { deriveKeys, secretKeyId, type DerivedKeys } from './secret-key.js';

export interface RingKey {
  /** secretKeyId(): what rows sealed or keyed with it store. */
  id: string;
  derived: DerivedKeys;
}

export class KeyRing {
  private constructor(
    readonly current: RingKey,
    /** Without the current key, and each key once. */
    readonly previous: readonly RingKey[],
  ) {}

  /** Derives every purpose key; the caller may wipe the secrets it passed once this returns. */
  static fromSecrets(current: Buffer, previous: readonly Buffer[] = []): KeyRing {
    const toKey = (secret: Buffer): RingKey => ({ id: secretKeyId(secret), derived: deriveKeys(secret) });
    const first = toKey(current);
    const others = new Map<string, RingKey>();
    for (const secret of previous) {
      const key = toKey(secret);
      if (key.id !== first.id) others.set(key.id, key);
    }
    return new KeyRing(first, [...others.values()]);
  }

  /** The current key first, then the previous ones in the order given. */
  get all(): readonly RingKey[] {
    return [this.current, ...this.previous];
  }

  find(id: string): RingKey | undefined {
    return this.all.find((key) => key.id === id);
  }

  /**
   * Overwrites every derived key (for tools that are done with them). The KeyObjects made from them
   * (key-objects.ts) are not overwritten: they are freed with the services that hold them.
   */
  wipe(): void {
    for (const key of this.all) for (const bytes of Object.values(key.derived)) bytes.fill(0);
  }
}
