// One test suite, run on every storage backend: SQLite (a file in a fresh data folder) and
// PostgreSQL (a fresh database copied from the run's migrated template; postgres/global-setup.ts).
//
//   describeEachBackend('backup codes', (backend) => {
//     beforeEach(async () => (server = await startTestServer({ backend })));
//     …
//   });
//
// PostgreSQL's describe is skipped, with the reason in its title, only where no PostgreSQL is
// installed on a developer's machine; in CI the global setup fails instead.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, inject } from 'vitest';
import { parseCommandLine } from '../../server/config.js';
import { openStorage, type Storage } from '../../server/storage.js';
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
  /** Why this backend's tests do not run here; undefined when they do. */
  skipReason: string | undefined;
  /** A new, empty, migrated database for one server or one storage test. */
  freshDatabase(): Promise<FreshDatabase>;
}

export const sqliteBackend: TestBackend = {
  name: 'sqlite',
  skipReason: undefined,
  freshDatabase: async () => ({ args: [], drop: async () => undefined }),
};

let postgres: TestBackend | null = null;

export function postgresBackend(): TestBackend {
  if (postgres) return postgres;
  const context = inject('postgres');
  if (!context.available) {
    postgres = {
      name: 'postgres',
      skipReason: context.reason,
      freshDatabase: () => Promise.reject(new Error(context.reason)),
    };
    return postgres;
  }
  // One small admin pool per test file; it lets the worker exit when idle.
  const admin = new pg.Pool({ connectionString: context.adminUrl, max: 2, allowExitOnIdle: true });
  postgres = {
    name: 'postgres',
    skipReason: undefined,
    async freshDatabase() {
      const name = `latchkey_test_${randomBytes(8).toString('hex')}`;
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${context.template}`);
      const url = new URL(context.adminUrl);
      url.pathname = `/${name}`;
      return {
        args: ['--database-url', url.toString()],
        drop: async () => void (await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
      };
    },
  };
  return postgres;
}

export function testBackends(): TestBackend[] {
  return [sqliteBackend, postgresBackend()];
}

/** `body` once per backend, each in a describe named after it. */
export function describeEachBackend(title: string, body: (backend: TestBackend) => void): void {
  for (const backend of testBackends()) {
    const label = backend.skipReason
      ? `${title} [${backend.name}: skipped, ${backend.skipReason}]`
      : `${title} [${backend.name}]`;
    describe.skipIf(backend.skipReason !== undefined)(label, () => body(backend));
  }
}

export interface TestStorage {
  storage: Storage;
  close(): Promise<void>;
}

/** The repositories and transaction runner of a fresh database, without a server. */
export async function openTestStorage(backend: TestBackend): Promise<TestStorage> {
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-storage-'));
  const fresh = await backend.freshDatabase();
  const parsed = parseCommandLine(['--data-dir', dataDir, ...fresh.args], {});
  if (parsed.kind !== 'run') throw new Error('unexpected command');
  const storage = await openStorage(parsed.config.database, () => undefined);
  return {
    storage,
    async close() {
      await storage.close();
      await fresh.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
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
