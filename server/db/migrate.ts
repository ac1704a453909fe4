// Numbered SQL migrations (fastify/demo): server/migrations/NNN_name.sql, applied in order, each
// in its own transaction, recorded in schema_migrations. A file never changes once released.
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

/** Applies the migrations not yet applied; returns their names. */
export function migrate(connection: SqliteConnection, migrations: Migration[]): string[] {
  connection.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  const applied = new Set(
    connection
      .prepare('SELECT version FROM schema_migrations')
      .pluck()
      .all()
      .map((version) => Number(version)),
  );
  const newest = Math.max(0, ...applied);
  const known = Math.max(0, ...migrations.map((migration) => migration.version));
  if (newest > known) {
    throw new Error(`The database was written by a newer Latchkey (schema ${newest}); this one knows up to ${known}.`);
  }
  const done: string[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.version)) continue;
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
