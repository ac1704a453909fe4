// Where the data lives: the SQLite file in the data folder (the default, and the desktop app's),
// or a PostgreSQL server (--database-url). Each backend gives the same repositories' interfaces and
// one TransactionRunner; services.ts wires them without knowing which database it talks to.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from './config-error.js';
import type { DatabaseConfig } from './config.js';
import { Database } from './db/database.js';
import { appliedVersions, assertMigrated, loadMigrations, migrate } from './db/migrate.js';
import type { PgDatabase } from './db/pg-database.js';
import type { TransactionRunner } from './db/transaction-runner.js';
import type { AccountRepository } from './modules/accounts/repository.js';
import { SqliteAccountRepository } from './modules/accounts/sqlite-repository.js';
import type { AttemptLimitRepository } from './modules/attempt-limits/repository.js';
import { SqliteAttemptLimitRepository } from './modules/attempt-limits/sqlite-repository.js';
import type { BackupCodeRepository } from './modules/backup-codes/repository.js';
import { SqliteBackupCodeRepository } from './modules/backup-codes/sqlite-repository.js';
import type { SecurityEventRepository } from './modules/security-events/repository.js';
import { SqliteSecurityEventRepository } from './modules/security-events/sqlite-repository.js';
import type { ChallengeRepository, SecurityKeyRepository } from './modules/security-keys/repository.js';
import { SqliteChallengeRepository, SqliteSecurityKeyRepository } from './modules/security-keys/sqlite-repository.js';
import type { SecretKeyUseRepository } from './modules/secret-keys/repository.js';
import { SqliteSecretKeyUseRepository } from './modules/secret-keys/sqlite-repository.js';
import type { SessionRepository } from './modules/sessions/repository.js';
import { SqliteSessionRepository } from './modules/sessions/sqlite-repository.js';
import { SqliteTicketRepository } from './modules/sign-in/sqlite-ticket-repository.js';
import type { TicketRepository } from './modules/sign-in/ticket-repository.js';
import type { TotpRepository } from './modules/totp/repository.js';
import { SqliteTotpRepository } from './modules/totp/sqlite-repository.js';
import type { TwoFactorRepository } from './modules/two-factor/repository.js';
import { SqliteTwoFactorRepository } from './modules/two-factor/sqlite-repository.js';

/** server/migrations (SQLite) and server/migrations/postgres, beside the built server too. */
export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');
export const POSTGRES_MIGRATIONS_DIR = join(MIGRATIONS_DIR, 'postgres');

/** Every repository the services use, of one backend. */
export interface Repositories {
  accounts: AccountRepository;
  attemptLimits: AttemptLimitRepository;
  backupCodes: BackupCodeRepository;
  securityEvents: SecurityEventRepository;
  securityKeys: SecurityKeyRepository;
  challenges: ChallengeRepository;
  secretKeyUse: SecretKeyUseRepository;
  sessions: SessionRepository;
  tickets: TicketRepository;
  totp: TotpRepository;
  twoFactor: TwoFactorRepository;
}

interface OpenStorage {
  transactions: TransactionRunner;
  repositories: Repositories;
  /** Where the data is, for the start-up line and messages (never a password). */
  location: string;
  /** Resolves when the database answers a read within `timeoutMs`; rejects otherwise (readiness). */
  ping(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** One read of a small table: the database is there, opened, and answering. */
export const PING = 'SELECT 1 FROM schema_migrations LIMIT 1';

/** The backend's own handle is there for tests and tools that look underneath. */
export type Storage =
  (OpenStorage & { kind: 'sqlite'; database: Database }) | (OpenStorage & { kind: 'postgres'; database: PgDatabase });

export function sqliteStorage(db: Database, location: string): Storage {
  return {
    kind: 'sqlite',
    database: db,
    transactions: db,
    location,
    repositories: {
      accounts: new SqliteAccountRepository(db),
      attemptLimits: new SqliteAttemptLimitRepository(db),
      backupCodes: new SqliteBackupCodeRepository(db),
      securityEvents: new SqliteSecurityEventRepository(db),
      securityKeys: new SqliteSecurityKeyRepository(db),
      challenges: new SqliteChallengeRepository(db),
      secretKeyUse: new SqliteSecretKeyUseRepository(db),
      sessions: new SqliteSessionRepository(db),
      tickets: new SqliteTicketRepository(db),
      totp: new SqliteTotpRepository(db),
      twoFactor: new SqliteTwoFactorRepository(db),
    },
    ping: (timeoutMs) =>
      withTimeout(
        db.run((connection) => void connection.prepare(PING).get()),
        timeoutMs,
      ),
    close: async () => db.close(),
  };
}

/** `work`, or a rejection once `timeoutMs` has passed without it (readiness). */
export function withTimeout(work: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

export interface OpenOptions {
  /**
   * true (the server): bring the schema up to date. false (the admin commands): change no schema,
   * and refuse a database that is not exactly this version's.
   */
  migrate: boolean;
}

/**
 * Opens the configured database and brings its schema up to date, or throws one ConfigError
 * sentence. `onIdleError` hears of PostgreSQL connections lost while unused.
 */
export async function openStorage(
  config: DatabaseConfig,
  onIdleError: (error: Error) => void,
  { migrate: migrateSchema }: OpenOptions = { migrate: true },
): Promise<Storage> {
  if (config.kind === 'sqlite') return sqliteStorage(openSqlite(config.file, migrateSchema), config.file);
  // The PostgreSQL side (the pg driver and its repositories) is imported only when configured:
  // the desktop app, on SQLite, does not load it at every start (docs/performance.md "Server ready").
  const { openPgDatabase, migratePostgres, assertPostgresMigrated, postgresStorage } = await import('./pg-storage.js');
  const db = openPgDatabase(config, onIdleError);
  try {
    const migrations = loadMigrations(POSTGRES_MIGRATIONS_DIR);
    if (migrateSchema) await migratePostgres(db.pool, migrations);
    else await assertPostgresMigrated(db.pool, migrations);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw new ConfigError(
      `The database ${config.displayUrl} could not be reached or prepared: ${describeFailure(error)}.`,
    );
  }
  return postgresStorage(db, config.displayUrl);
}

function openSqlite(file: string, migrateSchema: boolean): Database {
  if (!migrateSchema && !existsSync(file)) {
    throw new ConfigError(`There is no Latchkey database at ${file}; give the server's --data-dir or --database-url.`);
  }
  let db: Database;
  try {
    db = new Database(file);
  } catch (error) {
    throw new ConfigError(`The database ${file} cannot be opened: ${(error as Error).message}.`);
  }
  try {
    const migrations = loadMigrations(MIGRATIONS_DIR);
    if (migrateSchema) migrate(db.connection, migrations);
    else assertMigrated(appliedVersions(db.connection), migrations);
  } catch (error) {
    db.close();
    throw new ConfigError(`The database ${file} could not be prepared: ${(error as Error).message}`);
  }
  return db;
}

/** The reason in a few words. A refused connection to a name with several addresses is an AggregateError. */
function describeFailure(error: unknown): string {
  const failure = error as Error & { code?: string; errors?: Error[] };
  const messages = failure.message ? [failure.message] : (failure.errors ?? []).map((inner) => inner.message);
  const text = [...new Set(messages)].join('; ') || failure.code || String(error);
  return text.replace(/\.$/, '');
}
