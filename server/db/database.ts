// The SQLite connection and the one way to change several tables at once.
//
// better-sqlite3 is synchronous, but the repositories are async (PostgreSQL, pg-database.ts,
// shares their interfaces). A transaction therefore spans awaits, and on a single connection any statement
// issued meanwhile by another request would join it. `transaction()` takes an async lock that
// every statement outside the transaction waits for; AsyncLocalStorage tells statements inside
// the transaction apart, so they run straight through.
//
// Group commit: with synchronous=FULL every COMMIT waits for an fsync, and better-sqlite3 waits
// on the event loop, so one commit per request would cap every writing endpoint at the disk's
// fsync rate. Transactions that start while a commit is pending therefore join one batch: each
// runs alone inside its own SAVEPOINT (so a failing one rolls back only its own work), and the
// batch commits once, at the end of the event-loop turn. A transaction's promise settles only
// after that COMMIT: what the server says it saved is on disk, as before.
//
// Prepared once, run many times: the repositories prepare their statements in their constructors.
// SQLite prepares a statement again before a run when its plan looked at a bound value — an
// untyped `?` in a LIMIT, beside an ORDER BY it could serve, or beside a join — and better-sqlite3
// rebinds every run, so such a statement is prepared (and its row builder compiled) on every run,
// several times the cost of the read. Such parameters are typed, `CAST(? AS INTEGER)`, which the
// planner does not look into; test/server/db/statement-reuse.test.ts catches the reads that are
// not (docs/performance.md "CPU profiles").
import { AsyncLocalStorage } from 'node:async_hooks';
import { accessSync, chmodSync, constants, existsSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import type { Database as SqliteConnection } from 'better-sqlite3';
import type { TransactionRunner } from './transaction-runner.js';

export class Database implements TransactionRunner {
  readonly connection: SqliteConnection;
  private readonly inTransaction = new AsyncLocalStorage<true>();
  private lockTail: Promise<void> = Promise.resolve();
  private locked = false;
  /** The batch that transactions starting now join; null once it has begun to commit. */
  private openBatch: Batch | null = null;

  constructor(file: string) {
    const existed = existsSync(file);
    assertWritable(file);
    this.connection = new SqliteDatabase(file, { timeout: 5000 });
    if (!existed) chmodSync(file, 0o600);
    // SECURITY.md "Crashes, power cuts": WAL with synchronous=FULL, so what the server said it
    // saved survives a crash.
    this.connection.pragma('journal_mode = WAL');
    this.connection.pragma('synchronous = FULL');
    this.connection.pragma('foreign_keys = ON');
    this.connection.pragma('busy_timeout = 5000');
    // Deleted secrets (spent codes, old TOTP ciphertexts) are overwritten, not left in free pages.
    this.connection.pragma('secure_delete = ON');
    // A page cache of up to 32 MiB (SQLite's default is 2 MiB), filled only as pages are read:
    // with a million accounts the pages that active sessions touch stay in memory, and each
    // lookup costs what it costs on a small database (`npm run bench`, growth rows).
    this.connection.pragma('cache_size = -32768');
  }

  /** Runs one synchronous unit of statements, after any open transaction has finished. */
  async run<T>(work: (connection: SqliteConnection) => T): Promise<T> {
    if (this.inTransaction.getStore() || !this.locked) return work(this.connection);
    const release = await this.acquire();
    try {
      return work(this.connection);
    } finally {
      release();
    }
  }

  /**
   * Runs `work` atomically and durably: inside BEGIN IMMEDIATE … COMMIT, shared with the other
   * transactions of the same batch (see above). Everything awaited inside should be storage calls
   * only (hash before, not inside), so the batch holds the lock for microseconds plus one fsync.
   * Nested calls join the outer transaction.
   */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    if (this.inTransaction.getStore()) return work();
    const batch = this.openBatch ?? this.beginBatch();
    batch.running++;
    // Members run one at a time, in arrival order.
    const previous = batch.memberTail;
    let done!: () => void;
    batch.memberTail = new Promise<void>((resolve) => (done = resolve));
    let outcome: { ok: true; value: T } | { ok: false; error: unknown };
    try {
      await batch.begun;
      await previous;
      outcome = await this.runMember(batch, work);
    } catch (error) {
      outcome = { ok: false, error };
    } finally {
      done();
      if (--batch.running === 0) this.scheduleCommit(batch);
    }
    if (!outcome.ok) throw outcome.error;
    await batch.committed;
    return outcome.value;
  }

  isInTransaction(): boolean {
    return this.inTransaction.getStore() === true;
  }

  /** Transactions already run one at a time here: being inside one is the lock. */
  async lockAccount(_userId: number): Promise<void> {
    if (!this.inTransaction.getStore()) throw new Error('lockAccount() works only inside transaction().');
  }

  /** As lockAccount: being inside a transaction is the lock. */
  async lockNames(_names: readonly string[]): Promise<void> {
    if (!this.inTransaction.getStore()) throw new Error('lockNames() works only inside transaction().');
  }

  close(): void {
    if (this.connection.open) this.connection.close();
  }

  private beginBatch(): Batch {
    let commitDone!: () => void;
    let commitFailed!: (error: unknown) => void;
    const committed = new Promise<void>((resolve, reject) => {
      commitDone = resolve;
      commitFailed = reject;
    });
    // A member whose own work failed never awaits `committed`; nobody else may be left to.
    committed.catch(() => undefined);
    const batch: Batch = {
      begun: Promise.resolve(),
      memberTail: Promise.resolve(),
      running: 0,
      closed: false,
      release: () => undefined,
      broken: null,
      committed,
      commitDone,
      commitFailed,
    };
    batch.begun = this.acquire().then((release) => {
      batch.release = release;
      try {
        this.connection.exec('BEGIN IMMEDIATE');
      } catch (error) {
        batch.broken = error;
        throw error;
      }
    });
    batch.begun.catch(() => undefined);
    this.openBatch = batch;
    return batch;
  }

  private async runMember<T>(
    batch: Batch,
    work: () => Promise<T>,
  ): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
    if (batch.broken) return { ok: false, error: batch.broken };
    this.connection.exec('SAVEPOINT latchkey_member');
    try {
      const value = await this.inTransaction.run(true, work);
      this.connection.exec('RELEASE latchkey_member');
      return { ok: true, value };
    } catch (error) {
      if (this.connection.inTransaction) {
        this.connection.exec('ROLLBACK TO latchkey_member');
        this.connection.exec('RELEASE latchkey_member');
      } else {
        // SQLite ended the whole transaction (I/O error, disk full): the batch is lost.
        batch.broken = error;
      }
      return { ok: false, error };
    }
  }

  /** Commits at the end of this event-loop turn, unless another member joins meanwhile. */
  private scheduleCommit(batch: Batch): void {
    setImmediate(() => {
      // A newcomer still working schedules it again when done; an earlier call may have begun it.
      if (batch.running > 0 || batch.closed) return;
      batch.closed = true;
      if (this.openBatch === batch) this.openBatch = null;
      batch.begun.then(
        () => this.commit(batch),
        (error: unknown) => this.finish(batch, error),
      );
    });
  }

  private commit(batch: Batch): void {
    let failure: unknown = batch.broken;
    if (failure === null) {
      try {
        this.connection.exec('COMMIT');
      } catch (error) {
        failure = error;
      }
    }
    if (failure !== null && this.connection.inTransaction) this.connection.exec('ROLLBACK');
    this.finish(batch, failure);
  }

  private finish(batch: Batch, failure: unknown): void {
    if (this.openBatch === batch) this.openBatch = null;
    batch.release();
    if (failure === null) batch.commitDone();
    else batch.commitFailed(failure);
  }

  private async acquire(): Promise<() => void> {
    let release!: () => void;
    const previous = this.lockTail;
    this.lockTail = new Promise<void>((resolve) => {
      release = () => {
        this.locked = false;
        resolve();
      };
    });
    await previous;
    this.locked = true;
    return release;
  }
}

interface Batch {
  /** Resolves once the batch holds the lock and BEGIN IMMEDIATE succeeded. */
  begun: Promise<void>;
  /** Settles when the last member to arrive has finished its work. */
  memberTail: Promise<void>;
  /** Members that have arrived and not finished their work. */
  running: number;
  /** Set when the commit has begun: nobody joins any more. */
  closed: boolean;
  release: () => void;
  /** Set when the transaction as a whole is lost: every member then fails. */
  broken: unknown;
  /** Settles after COMMIT (or the failure that ended the batch). */
  committed: Promise<void>;
  commitDone: () => void;
  commitFailed: (error: unknown) => void;
}

/**
 * SQLite opens a file it may not write read-only without a word, and gives a new WAL and
 * shared-memory file the same read-only mode; every change would then fail until someone fixed
 * all three. Refuse to start instead, naming the file.
 */
function assertWritable(file: string): void {
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    if (!existsSync(path)) continue;
    try {
      accessSync(path, constants.W_OK);
    } catch {
      throw new Error(
        `${path} is read-only; make the data folder's files writable by the user that runs Latchkey (chmod 600)`,
      );
    }
  }
}
