import type { Database } from '../../db/database.js';
import { KEY_IDS_IN_USE, KEY_USAGE, toKeyUse, type KeyUsageRow } from './queries.js';
import type { KeyUse, SecretKeyUseRepository } from './repository.js';

export class SqliteSecretKeyUseRepository implements SecretKeyUseRepository {
  private readonly inUse;
  private readonly labelTotp;
  private readonly labelCodes;
  private readonly usageStatement;

  constructor(private readonly db: Database) {
    const c = db.connection;
    this.inUse = c.prepare<[], string>(KEY_IDS_IN_USE).pluck();
    this.labelTotp = c.prepare(
      'UPDATE totp_credentials SET key_id = ? WHERE key_id IS NULL AND enabled_at IS NOT NULL',
    );
    this.labelCodes = c.prepare('UPDATE backup_codes SET key_id = ? WHERE key_id IS NULL AND used_at IS NULL');
    this.usageStatement = c.prepare<[], KeyUsageRow>(KEY_USAGE);
  }

  keyIdsInUse(): Promise<string[]> {
    return this.db.run(() => this.inUse.all());
  }

  labelUnlabeled(keyId: string): Promise<number> {
    return this.db.run(
      (connection) =>
        connection.transaction(
          () => this.labelTotp.run(keyId).changes + this.labelCodes.run(keyId).changes,
        )() as number,
    );
  }

  usage(): Promise<KeyUse[]> {
    return this.db.run(() => this.usageStatement.all().map(toKeyUse));
  }
}
