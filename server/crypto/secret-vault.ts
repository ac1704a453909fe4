// TOTP secrets under the key ring: sealed with the current key, opened with the key the row names
// (SecretBox: AES-256-GCM, the owner's row as associated data). A box from before key ids were
// stored names no key: it is opened by whichever key the server holds opens it (GCM's tag tells).
import type { Random } from '../platform/random.js';
import type { KeyRing } from './key-ring.js';
import { SecretBox } from './secret-box.js';

export interface Sealed {
  sealed: Buffer;
  /** The id of the key that sealed it. */
  keyId: string;
}

/** A row names a key this server was not given: neither --secret-key-file nor a previous key. */
export class MissingSecretKeyError extends Error {
  constructor(readonly keyId: string) {
    super(
      `A secret is sealed under key ${keyId}, which this server was not given; start it with that key as --secret-key-file or --previous-secret-key-file.`,
    );
  }
}

export class SecretVault {
  private readonly boxes: ReadonlyMap<string, SecretBox>;

  constructor(
    private readonly ring: KeyRing,
    random: Random,
  ) {
    this.boxes = new Map(ring.all.map((key) => [key.id, new SecretBox(key.derived.totpEncryption, random)]));
  }

  get currentKeyId(): string {
    return this.ring.current.id;
  }

  seal(plaintext: Buffer, associatedData: string): Sealed {
    const keyId = this.ring.current.id;
    return { sealed: this.boxes.get(keyId)!.seal(plaintext, associatedData), keyId };
  }

  /**
   * Opens a box sealed under `keyId` (null: from before key ids) and says which key opened it.
   * Throws MissingSecretKeyError for a key this server does not hold, and GCM's error for a box
   * that was tampered with, moved to another row, or sealed by no key held here.
   */
  open(sealed: Buffer, keyId: string | null, associatedData: string): Sealed & { plaintext: Buffer } {
    if (keyId !== null) {
      const box = this.boxes.get(keyId);
      if (!box) throw new MissingSecretKeyError(keyId);
      return { plaintext: box.open(sealed, associatedData), sealed, keyId };
    }
    let failure: unknown;
    for (const [id, box] of this.boxes) {
      try {
        return { plaintext: box.open(sealed, associatedData), sealed, keyId: id };
      } catch (error) {
        failure = error;
      }
    }
    throw failure;
  }
}
