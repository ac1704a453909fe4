import type { Database } from '../../db/database.js';
import type { FactorCounts, TwoFactorRepository } from './repository.js';

interface CountsRow {
  totp: number;
  security_keys: number;
  backup_codes: number;
}

export class SqliteTwoFactorRepository implements TwoFactorRepository {
  private readonly select;

  constructor(private readonly db: Database) {
    this.select = db.connection.prepare<{ userId: number }, CountsRow>(
      `SELECT EXISTS (SELECT 1 FROM totp_credentials WHERE user_id = @userId AND enabled_at IS NOT NULL) AS totp,
              (SELECT count(*) FROM security_keys WHERE user_id = @userId) AS security_keys,
              (SELECT count(*) FROM backup_codes WHERE user_id = @userId AND used_at IS NULL) AS backup_codes`,
    );
  }

  counts(userId: number): Promise<FactorCounts> {
    return this.db.run(() => {
      const row = this.select.get({ userId })!;
      return { totp: row.totp === 1, securityKeys: row.security_keys, backupCodesRemaining: row.backup_codes };
    });
  }
}
