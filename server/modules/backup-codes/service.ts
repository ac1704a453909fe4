// Backup codes: single-use look-up secrets (NIST SP 800-63B §5.1.2), stored as a keyed hash so
// a stolen database alone cannot be brute-forced, and found by one indexed lookup. Each code keeps
// the key it was made with (its id is stored beside it): a code is only known when someone types
// it, so it cannot be re-keyed, and works as long as the server holds that key (SECURITY.md "The
// secret key").
import { createHmac } from 'node:crypto';
import type { KeyRing, RingKey } from '../../crypto/key-ring.js';
import { secretKeyObject } from '../../crypto/key-objects.js';
import type { Clock } from '../../platform/clock.js';
import type { Random } from '../../platform/random.js';
import { BACKUP_CODE_COUNT, newBackupCode, normalizeBackupCode } from './backup-code-format.js';
import type { BackupCodeRepository } from './repository.js';

export class BackupCodeService {
  constructor(
    private readonly repository: BackupCodeRepository,
    private readonly keys: KeyRing,
    private readonly clock: Clock,
    private readonly random: Random,
  ) {}

  /** A new set of ten; every earlier code of the user stops working in the same step. */
  async regenerate(userId: number): Promise<string[]> {
    const codes = Array.from({ length: BACKUP_CODE_COUNT }, () => newBackupCode(this.random));
    if (new Set(codes).size !== codes.length) return this.regenerate(userId); // 2^-50 odds, but never store a duplicate
    const { current } = this.keys;
    const hashes = codes.map((code) => this.hash(current, userId, normalizeBackupCode(code)!));
    await this.repository.replaceAll(userId, hashes, current.id, this.clock.now());
    return codes;
  }

  /** Spends the code; true only for the one request that spent it. */
  async consume(userId: number, input: string): Promise<boolean> {
    const normalized = normalizeBackupCode(input);
    if (normalized === null) return false;
    const candidates = this.keys.all.map((key) => ({ keyId: key.id, codeHash: this.hash(key, userId, normalized) }));
    return this.repository.consume(userId, candidates, this.clock.now());
  }

  remaining(userId: number): Promise<number> {
    return this.repository.countRemaining(userId);
  }

  clear(userId: number): Promise<void> {
    return this.repository.deleteAll(userId);
  }

  private hash(key: RingKey, userId: number, normalized: string): Buffer {
    return createHmac('sha256', secretKeyObject(key.derived.backupCodeHashing))
      .update(`${userId}:${normalized}`)
      .digest();
  }
}
