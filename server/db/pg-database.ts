// The PostgreSQL connection pool and the one way to change several tables at once: the
// counterpart of database.ts (SQLite) behind the same TransactionRunner.
//
// A transaction checks out one client of the pool and keeps it in AsyncLocalStorage, so every
// repository call awaited inside `work` runs on that client, inside BEGIN … COMMIT; a call made
// outside any transaction takes whichever pooled client is free. Nested calls join.
//
// Isolation: READ COMMITTED, deliberately. Every single-use guarantee is one conditional statement
// (`UPDATE … WHERE used_at IS NULL`, `… AND last_used_step < $2`, `DELETE … RETURNING`): under
// READ COMMITTED a statement that finds a row locked by another transaction waits, then checks
// its WHERE clause again on the committed row (PostgreSQL manual §13.2.1), so of two racing spends
// exactly one changes the row. Where a repository method writes then reads on, it runs in a
// transaction whose first statement takes the row lock (a conditional upsert, UPDATE … RETURNING);
// where a service reads an account's state and then changes it, it takes `lockAccount` (the users
// row, FOR NO KEY UPDATE) first; where a transaction counts rows that may not exist yet (attempt
// reservations, look-alike usernames, tickets and challenges per binding), it takes `lockNames`
// (transaction-scoped advisory locks) on what it counts first. SERIALIZABLE would also make these safe, but would fail whole
// sign-ins with 40001 under contention and need them retried, WebAuthn verification and all.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import pg from 'pg';
import { ConfigError } from '../config-error.js';
import type { PostgresConfig } from './postgres-config.js';
import type { TransactionRunner } from './transaction-runner.js';

/** int8 (bigint: ids, millisecond times, counts) as a JavaScript number, refused past 2^53. */
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID && format !== 'binary') return parseSafeInteger;
    return pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

function parseSafeInteger(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value))
    throw new Error(`A bigint column holds ${text}, past what JavaScript counts exactly.`);
  return value;
}

interface OpenTransaction {
  client: pg.PoolClient;
  /** Settles when the last statement queued on the client has finished. */
  tail: Promise<unknown>;
}

export class PgDatabase implements TransactionRunner {
  private readonly openTransaction = new AsyncLocalStorage<OpenTransaction>();

  constructor(readonly pool: pg.Pool) {}

  /** One statement, on the transaction's client when inside one, else on any pooled client. */
  async query<Row extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values: unknown[] = [],
  ): Promise<pg.QueryResult<Row>> {
    const transaction = this.openTransaction.getStore();
    if (!transaction) return this.pool.query<Row>(text, values);
    // One client runs one statement at a time: calls made together inside a transaction
    // (Promise.all) take turns, in the order they were made.
    const result = transaction.tail.then(() => transaction.client.query<Row>(text, values));
    transaction.tail = result.catch(() => undefined);
    return result;
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
    if (this.openTransaction.getStore()) return work();
    const client = await this.pool.connect();
    const transaction: OpenTransaction = { client, tail: Promise.resolve() };
    // A client whose ROLLBACK or COMMIT failed may be mid-transaction or cut off: never reuse it.
    let unusable: Error | undefined;
    try {
      await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
      let value: T;
      try {
        value = await this.openTransaction.run(transaction, work);
      } catch (error) {
        await transaction.tail;
        await client.query('ROLLBACK').catch((rollbackError: Error) => (unusable = rollbackError));
        throw error;
      }
      await transaction.tail;
      try {
        await client.query('COMMIT');
      } catch (error) {
        unusable = error as Error;
        throw error;
      }
      return value;
    } finally {
      client.release(unusable);
    }
  }

  isInTransaction(): boolean {
    return this.openTransaction.getStore() !== undefined;
  }

  /**
   * The account's users row, locked until the transaction ends. FOR NO KEY UPDATE leaves the
   * foreign-key checks of inserts elsewhere (FOR KEY SHARE) unblocked.
   */
  async lockAccount(userId: number): Promise<void> {
    if (!this.openTransaction.getStore()) throw new Error('lockAccount() works only inside transaction().');
    await this.query('SELECT id FROM users WHERE id = $1 FOR NO KEY UPDATE', [userId]);
  }

  /**
   * Transaction-scoped advisory locks on named keys ("address 203.0.113.7", …), held until the
   * transaction ends, whichever instance holds them. Taken one statement at a time in ascending
   * key order, so two callers whose sets overlap never wait on each other in a cycle. A name maps
   * to a 64-bit key (the first 8 bytes of its SHA-256); two names that shared one would only take
   * turns. Throws outside a transaction.
   */
  async lockNames(names: readonly string[]): Promise<void> {
    if (!this.openTransaction.getStore()) throw new Error('lockNames() works only inside transaction().');
    const keys = [...new Set(names.map(advisoryKey))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const key of keys) await this.query('SELECT pg_advisory_xact_lock($1::bigint)', [key.toString()]);
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/** A name's advisory-lock key: a signed 64-bit integer, as pg_advisory_xact_lock(bigint) takes. */
function advisoryKey(name: string): bigint {
  return createHash('sha256').update(name).digest().readBigInt64BE(0);
}

/**
 * A pool for the configured server. Nothing connects yet: the migration step is the first to.
 * `onIdleError` hears of pooled connections that fail while unused (the database restarted);
 * the pool drops them and opens new ones when needed.
 */
export function openPgDatabase(config: PostgresConfig, onIdleError: (error: Error) => void): PgDatabase {
  const pool = new pg.Pool({
    host: config.host,
    port: config.port,
    ...(config.user === undefined ? {} : { user: config.user }),
    ...(config.database === undefined ? {} : { database: config.database }),
    ...passwordOption(config),
    ssl: tlsOptions(config),
    max: config.poolSize,
    connectionTimeoutMillis: config.connectTimeoutSeconds * 1000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: 'latchkey',
    types,
  });
  pool.on('error', onIdleError);
  return new PgDatabase(pool);
}

function passwordOption(config: PostgresConfig): { password?: string } {
  if (config.passwordFile === undefined) return config.password === undefined ? {} : { password: config.password };
  try {
    return { password: readFileSync(config.passwordFile, 'utf8').replace(/\r?\n$/, '') };
  } catch (error) {
    throw new ConfigError(
      `The database password file ${config.passwordFile} cannot be read: ${(error as Error).message}.`,
    );
  }
}

/** docs/deployment.md "Running on PostgreSQL": libpq's sslmode meanings. */
function tlsOptions(config: PostgresConfig): false | ConnectionOptions {
  if (config.sslMode === 'disable') return false;
  const ca = config.caFile === undefined ? undefined : readCa(config.caFile);
  const withCa = ca === undefined ? {} : { ca };
  switch (config.sslMode) {
    case 'require':
      // Encrypted, server not authenticated; with a CA file, libpq checks the chain (verify-ca).
      return ca === undefined ? { rejectUnauthorized: false } : { ...withCa, checkServerIdentity: () => undefined };
    case 'verify-ca':
      return { ...withCa, checkServerIdentity: () => undefined };
    case 'verify-full':
      // Chain and host name (pg passes the host to tls.connect); without a CA file, the system's CAs.
      return withCa;
  }
}

function readCa(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`The database CA file ${file} cannot be read: ${(error as Error).message}.`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new ConfigError(`The database CA file ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----).`);
  }
  return text;
}
