// PostgreSQL migrations: server/migrations/postgres/NNN_name.sql, numbered like the SQLite ones
// (the same number makes the same change), each applied in its own transaction and recorded in
// schema_migrations. Instances that start together take turns on an advisory lock, so the
// schema is migrated once: the second finds every migration applied.
import type pg from 'pg';
import { assertMigrated, pendingMigrations, type Migration } from './migrate.js';

/** A fixed key for pg_advisory_lock ("Latchkey" in ASCII); advisory locks are per database. */
export const MIGRATION_LOCK_KEY = '5503808189925909881';

export async function migratePostgres(pool: pg.Pool, migrations: Migration[]): Promise<string[]> {
  const client = await pool.connect();
  let unusable: Error | undefined;
  try {
    await client.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)',
      );
      const applied = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
      const done: string[] = [];
      for (const migration of pendingMigrations(
        applied.rows.map((row) => row.version),
        migrations,
      )) {
        await client.query('BEGIN');
        try {
          // No parameters: the simple protocol runs every statement of the file.
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
            migration.version,
            migration.name,
            Date.now(),
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch((rollbackError: Error) => (unusable = rollbackError));
          throw error;
        }
        done.push(migration.name);
      }
      return done;
    } finally {
      if (!unusable) await client.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY]);
    }
  } catch (error) {
    unusable ??= error as Error;
    throw error;
  } finally {
    // A client that failed mid-way is closed, which also ends its session and so its lock.
    client.release(unusable);
  }
}

/** For tools that must not change the schema: throws unless it is exactly this version's. */
export async function assertPostgresMigrated(pool: pg.Pool, migrations: Migration[]): Promise<void> {
  const table = await pool.query<{ name: string | null }>("SELECT to_regclass('schema_migrations')::text AS name");
  const applied =
    table.rows[0]?.name == null
      ? []
      : (await pool.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((row) => row.version);
  assertMigrated(applied, migrations);
}
