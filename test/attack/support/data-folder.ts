// Looks into a server's data from the outside, the way an auditor would: its own SQLite connection
// to latchkey.db, or the rows of either backend through `Rows`, and the backup-code HMAC recomputed
// from the secret key.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import type { Database as SqliteConnection } from 'better-sqlite3';
import { deriveKeys } from '../../../server/crypto/secret-key.js';
import type { Storage } from '../../../server/storage.js';
import { queryRows } from '../../support/backends.js';
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

/** The rows of one statement (`?` parameters), on whichever database is being looked at. */
export type Rows = <Row = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<Row[]>;

/** Rows through a running server's storage, SQLite or PostgreSQL. */
export function rowsOf(storage: Storage): Rows {
  return (sql, params) => queryRows(storage, sql, params);
}

/** Rows through an SQLite connection of the test's own. */
export function sqliteRows(connection: SqliteConnection): Rows {
  return async <Row>(sql: string, params: unknown[] = []) => connection.prepare(sql).all(...params) as Row[];
}

/** `SELECT count(*) …` or any one-number statement. */
export async function countOf(rows: Rows, sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await rows<Record<string, unknown>>(sql, params);
  return Number(Object.values(row ?? {})[0] ?? 0);
}

export async function userId(rows: Rows, username: string): Promise<number> {
  const [row] = await rows<{ id: number }>('SELECT id FROM users WHERE username_key = ?', [usernameKey(username)]);
  if (typeof row?.id !== 'number') throw new Error(`no user ${username}`);
  return row.id;
}

export interface StoredBackupCode {
  hashHex: string;
  createdAt: number;
  usedAt: number | null;
}

export async function storedBackupCodes(rows: Rows, id: number): Promise<StoredBackupCode[]> {
  const stored = await rows<{ code_hash: Buffer; created_at: number; used_at: number | null }>(
    'SELECT code_hash, created_at, used_at FROM backup_codes WHERE user_id = ? ORDER BY code_hash',
    [id],
  );
  return stored.map((row) => ({
    hashHex: row.code_hash.toString('hex'),
    createdAt: row.created_at,
    usedAt: row.used_at,
  }));
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
       AND name NOT IN (${UNPROTECTED}) ORDER BY name`,
    )
    .pluck()
    .all() as string[];
  return dump(
    tables.map((table) => [table, connection.prepare(`SELECT * FROM "${table}"`).raw().all() as unknown[][]]),
  );
}

/** protectedState() of a running server's database, SQLite or PostgreSQL. */
export async function protectedStateOf(storage: Storage): Promise<string> {
  const rows = rowsOf(storage);
  const list =
    storage.kind === 'sqlite'
      ? `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN (${UNPROTECTED})`
      : `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN (${UNPROTECTED})`;
  const tables = (await rows<{ name: string }>(`${list} ORDER BY name`)).map((row) => row.name);
  const contents: Array<[string, unknown[][]]> = [];
  for (const table of tables) {
    contents.push([table, (await rows<Record<string, unknown>>(`SELECT * FROM "${table}"`)).map(Object.values)]);
  }
  return dump(contents);
}

const UNPROTECTED = [
  "'account_attempts'",
  "'address_attempts'",
  "'attempt_reservations'",
  "'security_events'",
  "'schema_migrations'",
].join(', ');

function dump(tables: Array<[string, unknown[][]]>): string {
  const byTable: Record<string, unknown[]> = {};
  for (const [table, rows] of tables) {
    byTable[table] = rows
      .map((row) => row.map((value) => (Buffer.isBuffer(value) ? value.toString('hex') : value)))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  return JSON.stringify(byTable);
}
