import type { PgDatabase } from '../../db/pg-database.js';
import type { FactorCounts, TwoFactorRepository } from './repository.js';

interface CountsRow {
  totp: boolean;
  security_keys: number;
  backup_codes: number;
}

/** The account's factors in one statement ($1: the user id); also what bench/pg-baseline-server.mjs runs. */
export const FACTOR_COUNTS_QUERY = `SELECT EXISTS (SELECT 1 FROM totp_credentials WHERE user_id = $1 AND enabled_at IS NOT NULL) AS totp,
       (SELECT count(*) FROM security_keys WHERE user_id = $1) AS security_keys,
       (SELECT count(*) FROM backup_codes WHERE user_id = $1 AND used_at IS NULL) AS backup_codes`;

export class PgTwoFactorRepository implements TwoFactorRepository {
  constructor(private readonly db: PgDatabase) {}

  async counts(userId: number): Promise<FactorCounts> {
    const { rows } = await this.db.query<CountsRow>(FACTOR_COUNTS_QUERY, [userId]);
    const row = rows[0]!;
    return { totp: row.totp, securityKeys: row.security_keys, backupCodesRemaining: row.backup_codes };
  }
}
