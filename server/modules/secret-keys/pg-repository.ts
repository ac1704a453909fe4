import type { PgDatabase } from '../../db/pg-database.js';
import { KEY_IDS_IN_USE, KEY_USAGE, toKeyUse, type KeyUsageRow } from './queries.js';
import type { KeyUse, SecretKeyUseRepository } from './repository.js';

export class PgSecretKeyUseRepository implements SecretKeyUseRepository {
  constructor(private readonly db: PgDatabase) {}

  async keyIdsInUse(): Promise<string[]> {
    const { rows } = await this.db.query<{ key_id: string }>(KEY_IDS_IN_USE);
    return rows.map((row) => row.key_id);
  }

  labelUnlabeled(keyId: string): Promise<number> {
    // Instances starting together may both label: the second finds nothing left to.
    return this.db.transaction(async () => {
      const totp = await this.db.query(
        'UPDATE totp_credentials SET key_id = $1 WHERE key_id IS NULL AND enabled_at IS NOT NULL',
        [keyId],
      );
      const codes = await this.db.query(
        'UPDATE backup_codes SET key_id = $1 WHERE key_id IS NULL AND used_at IS NULL',
        [keyId],
      );
      return (totp.rowCount ?? 0) + (codes.rowCount ?? 0);
    });
  }

  async usage(): Promise<KeyUse[]> {
    const { rows } = await this.db.query<KeyUsageRow>(KEY_USAGE);
    return rows.map(toKeyUse);
  }
}
