// Row locks that PostgreSQL repositories take where SQLite relied on its single writer.
import type { PgDatabase } from './pg-database.js';

/**
 * Locks the account's users row until the surrounding transaction ends, so that changes to the
 * account's rows (replace all backup codes, …) run one after another. FOR NO KEY UPDATE leaves
 * the foreign-key checks of inserts elsewhere unblocked (they take FOR KEY SHARE).
 * Call inside `db.transaction`.
 */
export async function lockAccountRow(db: PgDatabase, userId: number): Promise<void> {
  await db.query('SELECT id FROM users WHERE id = $1 FOR NO KEY UPDATE', [userId]);
}
