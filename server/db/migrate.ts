// Numbered SQL migrations (fastify/demo): server/migrations/NNN_name.sql, applied in order, each
// in its own transaction, recorded in schema_migrations. A file never changes once released.
// PostgreSQL has its own files, server/migrations/postgres/NNN_name.sql, with the same numbers
// for the same change (pg-migrate.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database as SqliteConnection } from 'better-sqlite3';

const MIGRATION_FILE = /^(\d{3})_[a-z0-9_]+\.sql$/;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function loadMigrations(folder: string): Migration[] {
  return readdirSync(folder)
    .filter((file) => MIGRATION_FILE.test(file))
    .sort()
    .map((file) => ({
      version: Number(MIGRATION_FILE.exec(file)![1]),
      name: file,
      sql: readFileSync(join(folder, file), 'utf8'),
    }));
}

/**
 * The migrations not yet applied, in order. A database that a newer Latchkey migrated is refused:
 * this version does not know what the newer schema means.
 */
export function pendingMigrations(appliedVersions: number[], migrations: Migration[]): Migration[] {
  const newest = Math.max(0, ...appliedVersions);
  const known = Math.max(0, ...migrations.map((migration) => migration.version));
  if (newest > known) {
    throw new Error(`The database was written by a newer Latchkey (schema ${newest}); this one knows up to ${known}.`);
  }
  const applied = new Set(appliedVersions);
  return migrations.filter((migration) => !applied.has(migration.version));
}

/**
 * For tools that must not change the schema (the admin commands): throws unless every migration
 * this version knows has been applied, and none it does not know.
 */
export function assertMigrated(appliedVersions: number[], migrations: Migration[]): void {
  const pending = pendingMigrations(appliedVersions, migrations);
  if (pending.length === 0) return;
  throw new Error(
    appliedVersions.length === 0
      ? 'it holds no Latchkey data yet.'
      : `its schema is older than this Latchkey's (${pending.map((migration) => migration.name).join(', ')} not applied); start the upgraded server once, which brings it up to date.`,
  );
}

/** The versions recorded in schema_migrations; none when the table does not exist. */
export function appliedVersions(connection: SqliteConnection): number[] {
  const table = connection.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'");
  if (table.get() === undefined) return [];
  return connection
    .prepare('SELECT version FROM schema_migrations')
    .pluck()
    .all()
    .map((version) => Number(version));
}

/** Applies the migrations not yet applied; returns their names. */
export function migrate(connection: SqliteConnection, migrations: Migration[]): string[] {
  connection.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  const done: string[] = [];
  for (const migration of pendingMigrations(appliedVersions(connection), migrations)) {
    connection.transaction(() => {
      connection.exec(migration.sql);
      connection
        .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
        .run(migration.version, migration.name, Date.now());
    })();
    done.push(migration.name);
  }
  return done;
}
