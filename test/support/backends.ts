// One test suite, run on every storage backend: SQLite (a file in a fresh data folder) and
// PostgreSQL (a fresh database copied from the run's migrated template; postgres/global-setup.ts).
//
//   describeEachBackend('backup codes', (backend) => {
//     const it = withTestServer(backend); // with-test-server.ts
//     it('…', async ({ server }) => { … });
//   });
//
// PostgreSQL's describe is skipped, with the reason in its title, only where no PostgreSQL is
// installed on a developer's machine; in CI the global setup fails instead.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, inject, type TestOptions } from 'vitest';
import { parseCommandLine } from '../../server/config.js';
import { openStorage, type Repositories, type Storage } from '../../server/storage.js';
import './postgres/context.js';

export type BackendName = 'sqlite' | 'postgres';

export interface FreshDatabase {
  /** Server options that select it: none for SQLite (the data folder's own file). */
  args: string[];
  /** Drops it (PostgreSQL); call after every connection to it is closed. */
  drop(): Promise<void>;
}

export interface TestBackend {
  name: BackendName;
  /** Servers that startTestServer starts on one database of it, as behind a load balancer. */
  instances: number;
  /** Why this backend's tests do not run here; undefined when they do. */
  skipReason: string | undefined;
  /** A new, empty, migrated database for one server or one storage test. */
  freshDatabase(): Promise<FreshDatabase>;
}

export const sqliteBackend: TestBackend = {
  name: 'sqlite',
  instances: 1,
  skipReason: undefined,
  freshDatabase: async () => ({ args: [], drop: async () => undefined }),
};

let postgres: TestBackend | null = null;
let admin: pg.Pool | null = null;

export function postgresBackend(): TestBackend {
  if (postgres) return postgres;
  const context = inject('postgres');
  postgres = context.available
    ? {
        name: 'postgres',
        instances: 1,
        skipReason: undefined,
        freshDatabase: () => createPostgresDatabase(context.template),
      }
    : {
        name: 'postgres',
        instances: 1,
        skipReason: context.reason,
        freshDatabase: () => Promise.reject(new Error(context.reason)),
      };
  return postgres;
}

/** PostgreSQL with `instances` servers on each database: what several instances behind one address do. */
export function postgresInstances(instances: number): TestBackend {
  return { ...postgresBackend(), instances };
}

/**
 * A new PostgreSQL database: a copy of the run's migrated template, or empty (template0), owned
 * by the admin user or by `owner`.
 */
export async function createPostgresDatabase(
  template: string = 'template0',
  owner?: string,
): Promise<FreshDatabase & { url: string; name: string }> {
  const context = inject('postgres');
  if (!context.available) throw new Error(context.reason);
  // One small admin pool per test file; it lets the worker exit when idle.
  admin ??= new pg.Pool({ connectionString: context.adminUrl, max: 2, allowExitOnIdle: true });
  const pool = admin;
  const name = `latchkey_test_${randomBytes(8).toString('hex')}`;
  await pool.query(`CREATE DATABASE ${name} TEMPLATE ${template}${owner ? ` OWNER ${owner}` : ''}`);
  const url = new URL(context.adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    args: ['--database-url', url.toString()],
    drop: () => dropDatabase(pool, name),
  };
}

export function testBackends(): TestBackend[] {
  return [sqliteBackend, postgresBackend()];
}

/** `body` once per backend, each in a describe named after it (with `options`, such as a timeout). */
export function describeEachBackend(
  title: string,
  body: (backend: TestBackend) => void,
  options: TestOptions = {},
): void {
  describeEach(testBackends(), title, body, options);
}

/**
 * As describeEachBackend, and once more with two server instances on one PostgreSQL database
 * (startTestServer spreads successive clients over them): for races and limits, which must hold
 * across instances as in one server.
 */
export function describeEachDeployment(
  title: string,
  body: (backend: TestBackend) => void,
  options: TestOptions = {},
): void {
  describeEach([...testBackends(), postgresInstances(2)], title, body, options);
}

function describeEach(
  backends: TestBackend[],
  title: string,
  body: (backend: TestBackend) => void,
  options: TestOptions,
): void {
  for (const backend of backends) {
    const name = backend.instances > 1 ? `${backend.name}, ${backend.instances} instances` : backend.name;
    const label = backend.skipReason ? `${title} [${name}: skipped, ${backend.skipReason}]` : `${title} [${name}]`;
    describe.skipIf(backend.skipReason !== undefined)(label, options, () => body(backend));
  }
}

/**
 * Drops a test database once the connections to it have gone: a client that closed its pool may
 * still be connected for a moment, and FORCE would end it with an error that nobody hears.
 */
async function dropDatabase(admin: pg.Pool, name: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const { rows } = await admin.query<{ connected: string }>(
      'SELECT count(*) AS connected FROM pg_stat_activity WHERE datname = $1',
      [name],
    );
    if (Number(rows[0]!.connected) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

/** A describe for PostgreSQL alone, skipped (with the reason in its title) where there is none. */
export function describePostgres(title: string, body: () => void): void {
  const { skipReason } = postgresBackend();
  describe.skipIf(skipReason !== undefined)(skipReason ? `${title} [skipped: ${skipReason}]` : title, body);
}

export interface TestStorage {
  storage: Storage;
  /**
   * The same database opened once more, with its own connections: what another server process
   * sharing it sees (PostgreSQL; SQLite serves one process). Closed by close().
   */
  openAgain(): Promise<Storage>;
  close(): Promise<void>;
}

/**
 * The database a server uses, opened again with its own connections: what another server process
 * sharing it sees. Close it before the server's database is dropped.
 */
export async function openStorageAgain(database: FreshDatabase): Promise<Storage> {
  const parsed = parseCommandLine(['--data-dir', tmpdir(), ...database.args], {});
  if (parsed.kind !== 'run' || parsed.config.database.kind !== 'postgres') {
    throw new Error('Only a PostgreSQL database can be opened again by another process.');
  }
  return openStorage(parsed.config.database, () => undefined);
}

/** The repositories and transaction runner of a fresh database, without a server. */
export async function openTestStorage(backend: TestBackend): Promise<TestStorage> {
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-storage-'));
  const fresh = await backend.freshDatabase();
  const parsed = parseCommandLine(['--data-dir', dataDir, ...fresh.args], {});
  if (parsed.kind !== 'run') throw new Error('unexpected command');
  const { database } = parsed.config;
  const opened = [await openStorage(database, () => undefined)];
  return {
    storage: opened[0]!,
    async openAgain() {
      const again = await openStorage(database, () => undefined);
      opened.push(again);
      return again;
    },
    async close() {
      for (const storage of opened) await storage.close();
      await fresh.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** An account made straight in the repository, for storage tests that sign nobody in; its id. */
export async function addAccountRow(repositories: Repositories, username: string): Promise<number> {
  const account = await repositories.accounts.create({
    username,
    usernameKey: username,
    usernameSkeleton: username,
    passwordHash: 'not a hash: nobody signs in',
    createdAt: 0,
  });
  if (!account) throw new Error(`the account ${username} exists already`);
  return account.id;
}

/** A security key row for `userId` (a USB key that has never been used), straight into storage. */
export async function addSecurityKeyRow(repositories: Repositories, userId: number, name: string): Promise<void> {
  const key = await repositories.securityKeys.insert({
    userId,
    credentialId: Buffer.from(name).toString('base64url'),
    publicKey: new Uint8Array([1, 2, 3]),
    counter: 0,
    transports: ['usb'],
    aaguid: '00000000-0000-0000-0000-000000000000',
    backupEligible: false,
    backupState: false,
    type: 'usb',
    name,
    passkeyCapable: false,
    createdAt: 0,
  });
  if (!key) throw new Error(`the security key ${name} exists already`);
}

/**
 * Rows of one SQL statement on either backend, for tests that look at what was stored. Write
 * parameters as `?`; they become `$1, $2, …` on PostgreSQL.
 */
export async function queryRows<Row = Record<string, unknown>>(
  storage: Storage,
  sql: string,
  params: unknown[] = [],
): Promise<Row[]> {
  if (storage.kind === 'sqlite') {
    const statement = storage.database.connection.prepare(sql);
    if (!statement.reader) {
      statement.run(...params);
      return [];
    }
    return statement.all(...params) as Row[];
  }
  let index = 0;
  const numbered = sql.replace(/\?/g, () => `$${++index}`);
  return (await storage.database.query(numbered, params)).rows as Row[];
}
