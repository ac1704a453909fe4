// The server's keys against what the database holds (SECURITY.md "The secret key"): checked at
// every start, before serving, and reported and brought up to date by the admin commands.
import type { KeyRing } from '../../crypto/key-ring.js';
import { SecretKeyError } from '../../crypto/secret-key.js';
import type { TotpService } from '../totp/index.js';
import type { KeyUse, SecretKeyUseRepository } from './repository.js';

/** Whether this server holds a key: its current key, a previous one, none; unrecorded: rows from before key ids. */
export type KeyHeld = 'current' | 'previous' | 'not given' | 'unrecorded';

export interface KeyReport extends KeyUse {
  held: KeyHeld;
}

export interface ReencryptReport {
  /** TOTP secrets sealed anew under the current key. */
  resealed: number;
  /** Users whose TOTP secret no key held here opens. */
  unopened: number[];
  usage: KeyReport[];
}

export class SecretKeyService {
  constructor(
    private readonly repository: SecretKeyUseRepository,
    private readonly ring: KeyRing,
    private readonly totp: TotpService,
  ) {}

  get currentKeyId(): string {
    return this.ring.current.id;
  }

  /**
   * At every start, before serving. Rows from before key ids get the id of the key that sealed
   * them: one key sealed everything then, and an authenticator-app secret among them tells which
   * (without one, the server's only key). A row sealed under a key this server was not given
   * stops the start with one sentence, rather than failing each sign-in that meets it.
   */
  async prepare(): Promise<void> {
    const legacyKey = await this.totp.keyOfUnlabeled();
    if (legacyKey === null) {
      throw new SecretKeyError(
        `The authenticator-app secrets stored before key ids were sealed by a key this server was not given (it holds ${this.heldIds()}); give that key with --secret-key-file or --previous-secret-key-file.`,
      );
    }
    const only = this.ring.previous.length === 0 ? this.ring.current.id : undefined;
    const labelWith = legacyKey ?? only;
    if (labelWith !== undefined) await this.repository.labelUnlabeled(labelWith);
    const missing = (await this.repository.keyIdsInUse()).filter((id) => !this.ring.find(id));
    if (missing.length === 0) return;
    throw new SecretKeyError(
      `The database holds secrets sealed under key ${missing.join(', ')}, which this server was not given (it holds ${this.heldIds()}); give that key with --secret-key-file or --previous-secret-key-file.`,
    );
  }

  /** What each key id holds, and whether this server holds it; the keys it holds that hold nothing too. */
  async usage(): Promise<KeyReport[]> {
    const uses = await this.repository.usage();
    const reports = uses.map((use): KeyReport => ({ ...use, held: this.held(use.keyId) }));
    for (const key of this.ring.all) {
      if (!uses.some((use) => use.keyId === key.id)) {
        reports.push({ keyId: key.id, totpSecrets: 0, backupCodeAccounts: 0, held: this.held(key.id) });
      }
    }
    return reports;
  }

  /** Seals every TOTP secret that is not under the current key under it, then reports the usage. */
  async reencrypt(): Promise<ReencryptReport> {
    const { resealed, unopened } = await this.totp.resealAll();
    return { resealed, unopened, usage: await this.usage() };
  }

  private heldIds(): string {
    return this.ring.all.map((key) => key.id).join(', ');
  }

  private held(keyId: string | null): KeyHeld {
    if (keyId === null) return 'unrecorded';
    if (keyId === this.ring.current.id) return 'current';
    return this.ring.find(keyId) ? 'previous' : 'not given';
  }
}
