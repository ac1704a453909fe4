// Looks into a server's data folder from the outside, the way an auditor would: its own SQLite
// connection to latchkey.db, and the backup-code HMAC recomputed from the secret key.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import type { Database as SqliteConnection } from 'better-sqlite3';
import { deriveKeys } from '../../../server/crypto/secret-key.js';
import { usernameKey } from '../../../server/modules/accounts/username.js';
import { normalizeBackupCode } from '../../../server/modules/backup-codes/backup-code-format.js';

export function databaseFile(dataDir: string): string {
  return join(dataDir, 'latchkey.db');
}

/**
 * A second connection to the server's database. Read-only while the server runs; after a crash
 * open it writable, so that SQLite replays the WAL exactly as the restarted server would.
 */
export function openDatabase(dataDir: string, options: { readonly?: boolean } = {}): SqliteConnection {
  const connection = new SqliteDatabase(databaseFile(dataDir), {
    readonly: options.readonly ?? true,
    fileMustExist: true,
    timeout: 10_000,
  });
  return connection;
}

export function withDatabase<T>(dataDir: string, read: (connection: SqliteConnection) => T): T {
  const connection = openDatabase(dataDir);
  try {
    return read(connection);
  } finally {
    connection.close();
  }
}

export function readSecretKey(dataDir: string): Buffer {
  return readFileSync(join(dataDir, 'secret.key'));
}

/** What BackupCodeService stores for `code`: HMAC-SHA256 under the derived key, bound to the user. */
export function backupCodeHash(secretKey: Buffer, userId: number, code: string): Buffer {
  const normalized = normalizeBackupCode(code);
  if (normalized === null) throw new Error(`not a backup code: ${code}`);
  return createHmac('sha256', deriveKeys(secretKey).backupCodeHashing).update(`${userId}:${normalized}`).digest();
}

export function userId(connection: SqliteConnection, username: string): number {
  const id = connection.prepare('SELECT id FROM users WHERE username_key = ?').pluck().get(usernameKey(username));
  if (typeof id !== 'number') throw new Error(`no user ${username}`);
  return id;
}

export interface StoredBackupCode {
  hashHex: string;
  createdAt: number;
  usedAt: number | null;
}

export function storedBackupCodes(connection: SqliteConnection, id: number): StoredBackupCode[] {
  return connection
    .prepare<[number], { code_hash: Buffer; created_at: number; used_at: number | null }>(
      'SELECT code_hash, created_at, used_at FROM backup_codes WHERE user_id = ? ORDER BY code_hash',
    )
    .all(id)
    .map((row) => ({ hashHex: row.code_hash.toString('hex'), createdAt: row.created_at, usedAt: row.used_at }));
}

/**
 * Every row of the tables that hold what a person or attacker could change, in a stable order.
 * Attempt counters and security events are left out on purpose: a refused sign-in is meant to
 * count and to be logged (docs/api.md "Attempt limits").
 */
export function protectedState(connection: SqliteConnection): string {
  const tables = connection
    .prepare(
      `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
       AND name NOT IN ('account_attempts', 'address_attempts', 'attempt_reservations', 'security_events', 'schema_migrations')
       ORDER BY name`,
    )
    .pluck()
    .all() as string[];
  const dump: Record<string, unknown[]> = {};
  for (const table of tables) {
    dump[table] = connection
      .prepare(`SELECT * FROM "${table}"`)
      .raw()
      .all()
      .map((row) => (row as unknown[]).map((value) => (Buffer.isBuffer(value) ? value.toString('hex') : value)))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  return JSON.stringify(dump);
}
