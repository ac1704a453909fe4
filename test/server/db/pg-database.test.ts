// The PostgreSQL transaction runner, migrations and connection options, on a real PostgreSQL
// (the run's private cluster, or LATCHKEY_TEST_DATABASE_URL).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { parseCommandLine } from '../../../server/config.js';
import { Database } from '../../../server/db/database.js';
import { loadMigrations, migrate } from '../../../server/db/migrate.js';
import { openPgDatabase, type PgDatabase } from '../../../server/db/pg-database.js';
import { migratePostgres } from '../../../server/db/pg-migrate.js';
import { MIGRATIONS_DIR, openStorage, POSTGRES_MIGRATIONS_DIR, type Storage } from '../../../server/storage.js';
import { createPostgresDatabase, describePostgres, type FreshDatabase } from '../../support/backends.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The server's own pool on a new database, opened from command-line options. */
async function openDatabase(url: string, extraArgs: string[] = []): Promise<PgDatabase> {
  const parsed = parseCommandLine(['--database-url', url, ...extraArgs], {});
  if (parsed.kind !== 'run' || parsed.config.database.kind !== 'postgres') throw new Error('not a PostgreSQL config');
  const db = openPgDatabase(parsed.config.database, () => undefined);
  cleanups.push(() => db.close());
  return db;
}

async function freshDatabase(
  template?: string,
  owner?: string,
): Promise<FreshDatabase & { url: string; name: string }> {
  const database = await createPostgresDatabase(template, owner);
  cleanups.push(() => database.drop());
  return database;
}

describePostgres('the PostgreSQL transaction runner', () => {
  let db: PgDatabase;
  beforeEach(async () => {
    db = await openDatabase((await freshDatabase()).url);
    await db.query('CREATE TABLE t (x integer PRIMARY KEY)');
  });

  it('runs every statement of a transaction on its one client, READ COMMITTED, also when made together', async () => {
    const seen = await db.transaction(() =>
      Promise.all(
        Array.from({ length: 8 }, () =>
          db.query<{ pid: number; tx: string; level: string }>(
            "SELECT pg_backend_pid() AS pid, txid_current()::text AS tx, current_setting('transaction_isolation') AS level",
          ),
        ),
      ),
    );
    const rows = seen.map((result) => result.rows[0]!);
    expect(new Set(rows.map((row) => `${row.pid}/${row.tx}`)).size).toBe(1);
    expect(rows[0]!.level).toBe('read committed');
  });

  it('lets statements outside a transaction run while one is open, without seeing its writes', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const insertDone = new Promise<void>((resolve) => (inserted = resolve));
    const open = db.transaction(async () => {
      await db.query('INSERT INTO t VALUES (1)');
      inserted();
      await gate;
    });
    await insertDone;
    const outside = await db.query<{ rows: number }>('SELECT count(*) AS rows FROM t');
    expect(outside.rows[0]!.rows).toBe(0);
    release();
    await open;
    expect((await db.query<{ rows: number }>('SELECT count(*) AS rows FROM t')).rows[0]!.rows).toBe(1);
  });

  it('joins a nested call to the open transaction, and rolls back all of it on failure', async () => {
    const pids = new Set<number>();
    const pid = async () => pids.add((await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid);
    const failing = db.transaction(async () => {
      await db.query('INSERT INTO t VALUES (1)');
      await pid();
      await db.transaction(async () => {
        await db.query('INSERT INTO t VALUES (2)');
        await pid();
      });
      throw new Error('refused');
    });
    await expect(failing).rejects.toThrow('refused');
    expect(pids.size).toBe(1);
    expect((await db.query('SELECT * FROM t')).rows).toEqual([]);
  });

  it('rejects when COMMIT fails, keeps nothing, and drops that client', async () => {
    await db.query('CREATE TABLE d (x integer, CONSTRAINT d_once UNIQUE (x) DEFERRABLE INITIALLY DEFERRED)');
    const failing = db.transaction(async () => {
      await db.query('INSERT INTO d VALUES (1)');
      await db.query('INSERT INTO d VALUES (1)');
    });
    await expect(failing).rejects.toMatchObject({ code: '23505' });
    expect((await db.query('SELECT * FROM d')).rows).toEqual([]);
    expect(db.pool.totalCount).toBeLessThanOrEqual(1);
    await expect(db.transaction(() => db.query('INSERT INTO t VALUES (3)'))).resolves.toBeTruthy();
  });

  it("locks one account's row until the transaction ends; other accounts do not wait", async () => {
    await db.query('CREATE TABLE users (id bigint PRIMARY KEY)');
    await db.query('INSERT INTO users VALUES (1), (2)');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holding = db.transaction(async () => {
      await db.lockAccount(1);
      locked();
      await gate;
    });
    await isLocked;
    await db.transaction(() => db.lockAccount(2));
    const order: string[] = [];
    const waiting = db.transaction(async () => {
      await db.lockAccount(1);
      order.push('second holder');
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    order.push('first released');
    release();
    await Promise.all([holding, waiting]);
    expect(order).toEqual(['first released', 'second holder']);
  });

  it('reads bigint columns as numbers, and refuses one past 2^53', async () => {
    expect((await db.query<{ n: number }>('SELECT 9007199254740991::bigint AS n')).rows[0]!.n).toBe(2 ** 53 - 1);
    await expect(db.query('SELECT 9007199254740993::bigint AS n')).rejects.toThrow(/past what JavaScript counts/);
  });
});

describePostgres('PostgreSQL migrations', () => {
  it('migrates once when several instances start together', async () => {
    const { url } = await freshDatabase();
    const pools = Array.from({ length: 3 }, () => new pg.Pool({ connectionString: url, max: 2 }));
    cleanups.push(() => Promise.all(pools.map((pool) => pool.end())).then(() => undefined));
    const migrations = loadMigrations(POSTGRES_MIGRATIONS_DIR);
    const applied = await Promise.all(pools.map((pool) => migratePostgres(pool, migrations)));
    expect(applied.flat().sort()).toEqual(migrations.map((migration) => migration.name));
    const versions = await pools[0]!.query('SELECT version FROM schema_migrations ORDER BY version');
    expect(versions.rows.map((row) => row.version)).toEqual(migrations.map((migration) => migration.version));
    expect(await migratePostgres(pools[0]!, migrations)).toEqual([]);
  });

  it('refuses a database that a newer Latchkey migrated', async () => {
    const { url } = await freshDatabase();
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    cleanups.push(() => pool.end());
    const migrations = loadMigrations(POSTGRES_MIGRATIONS_DIR);
    await migratePostgres(pool, migrations);
    await pool.query("INSERT INTO schema_migrations VALUES (999, '999_future.sql', 0)");
    await expect(migratePostgres(pool, migrations)).rejects.toThrow(/newer Latchkey \(schema 999\)/);
  });

  it('leaves nothing of a migration that fails, and keeps the ones before it', async () => {
    const { url } = await freshDatabase();
    const folder = mkdtempSync(join(tmpdir(), 'latchkey-migrations-'));
    cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
    writeFileSync(join(folder, '001_first.sql'), 'CREATE TABLE first (x integer);');
    writeFileSync(join(folder, '002_broken.sql'), 'CREATE TABLE second (x integer); SELECT no_such_function();');
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    cleanups.push(() => pool.end());
    await expect(migratePostgres(pool, loadMigrations(folder))).rejects.toThrow(/no_such_function/);
    const tables = await pool.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
    expect(tables.rows.map((row) => row.tablename)).toEqual(['first', 'schema_migrations']);
  });

  it('builds the tables, columns, nullability and named indexes of the SQLite schema', async () => {
    const { url } = await freshDatabase();
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    cleanups.push(() => pool.end());
    await migratePostgres(pool, loadMigrations(POSTGRES_MIGRATIONS_DIR));
    const columns = await pool.query<{ table_name: string; column_name: string; is_nullable: string }>(
      "SELECT table_name, column_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public'",
    );
    const postgresColumns = columns.rows.map(
      (row) => `${row.table_name}.${row.column_name} ${row.is_nullable === 'NO'}`,
    );
    const indexes = await pool.query<{ indexname: string }>(
      "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%\\_pkey' AND indexname NOT LIKE '%\\_key'",
    );

    const folder = mkdtempSync(join(tmpdir(), 'latchkey-schema-'));
    cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
    const sqlite = new Database(join(folder, 'schema.db'));
    cleanups.push(() => sqlite.close());
    migrate(sqlite.connection, loadMigrations(MIGRATIONS_DIR));
    const tables = sqlite.connection
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .pluck()
      .all() as string[];
    const sqliteColumns = tables.flatMap((table) =>
      (sqlite.connection.pragma(`table_info(${table})`) as { name: string; notnull: number; pk: number }[]).map(
        // SQLite lets a non-INTEGER primary key column hold NULL unless it says NOT NULL; PostgreSQL never does.
        (column) => `${table}.${column.name} ${column.notnull === 1 || column.pk > 0}`,
      ),
    );
    const sqliteIndexes = sqlite.connection
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
      .pluck()
      .all() as string[];
    expect(postgresColumns.sort()).toEqual(sqliteColumns.sort());
    expect(indexes.rows.map((row) => row.indexname).sort()).toEqual(sqliteIndexes.sort());
  });
});

describePostgres('opening PostgreSQL from the options', () => {
  async function open(args: string[]): Promise<Storage> {
    const parsed = parseCommandLine(['--data-dir', tmpdir(), ...args], {});
    if (parsed.kind !== 'run') throw new Error('unexpected command');
    const storage = await openStorage(parsed.config.database, () => undefined);
    cleanups.push(() => storage.close());
    return storage;
  }

  async function usesTls(storage: Storage): Promise<boolean> {
    if (storage.kind !== 'postgres') throw new Error('not PostgreSQL');
    const result = await storage.database.query<{ ssl: boolean }>(
      'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
    );
    return result.rows[0]!.ssl;
  }

  it('says in one sentence, without the password, when the database cannot be reached', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const attempt = open([
      '--database-url',
      `postgres://latchkey:hunter2secret@127.0.0.1:${closedPort}/latchkey`,
      '--database-connect-timeout-seconds',
      '2',
    ]);
    await expect(attempt).rejects.toThrow(
      new RegExp(`^The database postgres://latchkey@127\\.0\\.0\\.1:${closedPort}/latchkey could not be reached`),
    );
    await expect(attempt).rejects.not.toThrow(/hunter2secret/);
  });

  const cluster = inject('postgres');
  const privateCluster = cluster.available ? cluster.privateCluster : null;
  describe.skipIf(privateCluster === null)(
    privateCluster ? 'TLS and passwords' : 'TLS and passwords [skipped: they need the private test cluster]',
    () => {
      let name: string;
      let port: number;
      let caFile: string;
      beforeEach(async () => {
        name = (await freshDatabase(cluster.available ? cluster.template : undefined)).name;
        port = privateCluster!.port;
        caFile = privateCluster!.caFile;
      });
      const url = (host: string, mode: string) => `postgres://latchkey@${host}:${port}/${name}?sslmode=${mode}`;

      it('verify-full checks the chain and the host name', async () => {
        expect(
          await usesTls(await open(['--database-url', url('localhost', 'verify-full'), '--database-ca-file', caFile])),
        ).toBe(true);
        await expect(
          open(['--database-url', url('127.0.0.1', 'verify-full'), '--database-ca-file', caFile]),
        ).rejects.toThrow(/could not be reached or prepared: .*(altnames|IP)/);
        await expect(open(['--database-url', url('localhost', 'verify-full')])).rejects.toThrow(
          /could not be reached or prepared: .*(self.signed|issuer|certificate)/i,
        );
      });

      it('verify-ca checks the chain only; require encrypts without checking; disable does not encrypt', async () => {
        expect(
          await usesTls(await open(['--database-url', url('127.0.0.1', 'verify-ca'), '--database-ca-file', caFile])),
        ).toBe(true);
        expect(await usesTls(await open(['--database-url', url('127.0.0.1', 'require')]))).toBe(true);
        expect(await usesTls(await open(['--database-url', url('127.0.0.1', 'disable')]))).toBe(false);
        expect(await usesTls(await open(['--database-url', `postgres://latchkey@127.0.0.1:${port}/${name}`]))).toBe(
          false,
        );
      });

      it('reads the password from --database-password-file, and says when it is wrong', async () => {
        const role = privateCluster!.passwordRole;
        const owned = await freshDatabase('template0', role.user);
        const folder = mkdtempSync(join(tmpdir(), 'latchkey-password-'));
        cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
        const file = join(folder, 'password');
        writeFileSync(file, `${role.password}\n`, { mode: 0o600 });
        const roleUrl = `postgres://${role.user}@127.0.0.1:${port}/${owned.name}`;
        const storage = await open(['--database-url', roleUrl, '--database-password-file', file]);
        expect(await storage.repositories.accounts.findByKey('nobody')).toBeNull();
        writeFileSync(file, 'not the password\n');
        await expect(open(['--database-url', roleUrl, '--database-password-file', file])).rejects.toThrow(
          /password authentication failed/,
        );
      });
    },
  );
});
