import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../../server/app.js';
import { Database } from '../../../server/db/database.js';
import { loadMigrations, migrate } from '../../../server/db/migrate.js';

describe('Database', () => {
  let dir: string;
  let db: Database;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'latchkey-db-'));
    db = new Database(join(dir, 'test.db'));
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs in WAL mode with synchronous=FULL, foreign keys and a busy timeout', () => {
    expect(db.connection.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.connection.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.connection.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.connection.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(statSync(join(dir, 'test.db')).mode & 0o777).toBe(0o600);
  });

  it('applies the numbered migrations once, in order', () => {
    const migrations = loadMigrations(MIGRATIONS_DIR);
    expect(migrations[0]!.name).toBe('001_initial.sql');
    expect(migrate(db.connection, migrations)).toEqual(migrations.map((migration) => migration.name));
    expect(migrate(db.connection, migrations)).toEqual([]);
    const versions = db.connection.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
    expect(versions).toEqual(migrations.map((migration) => migration.version));
  });

  it('refuses a database written by a newer version', () => {
    migrate(db.connection, loadMigrations(MIGRATIONS_DIR));
    db.connection.prepare('INSERT INTO schema_migrations VALUES (999, ?, 0)').run('999_future.sql');
    expect(() => migrate(db.connection, loadMigrations(MIGRATIONS_DIR))).toThrow(/newer Latchkey/);
  });

  it('rolls a failed migration back whole', () => {
    const folder = mkdtempSync(join(tmpdir(), 'latchkey-migrations-'));
    writeFileSync(join(folder, '001_ok.sql'), 'CREATE TABLE a (x INTEGER);');
    writeFileSync(join(folder, '002_broken.sql'), 'CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1);');
    expect(() => migrate(db.connection, loadMigrations(folder))).toThrow();
    const tables = db.connection.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(tables).toContain('a');
    expect(tables).not.toContain('b');
    rmSync(folder, { recursive: true, force: true });
  });

  it('commits a transaction whole, or rolls it back whole when it throws', async () => {
    db.connection.exec('CREATE TABLE t (x INTEGER)');
    const insert = db.connection.prepare('INSERT INTO t VALUES (?)');
    await db.transaction(async () => {
      await db.run(() => insert.run(1));
      await db.run(() => insert.run(2));
    });
    await expect(
      db.transaction(async () => {
        await db.run(() => insert.run(3));
        throw new Error('half-way');
      }),
    ).rejects.toThrow('half-way');
    expect(db.connection.prepare('SELECT x FROM t ORDER BY x').pluck().all()).toEqual([1, 2]);
  });

  it('keeps statements outside a transaction out of it while the transaction awaits', async () => {
    db.connection.exec('CREATE TABLE t (x INTEGER)');
    const insert = db.connection.prepare('INSERT INTO t VALUES (?)');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const failing = db.transaction(async () => {
      await db.run(() => insert.run(1));
      await gate;
      throw new Error('roll back');
    });
    const outside = db.run(() => insert.run(2));
    release();
    await expect(failing).rejects.toThrow('roll back');
    await outside;
    expect(db.connection.prepare('SELECT x FROM t').pluck().all()).toEqual([2]);
  });
});
