// The SQLite connection and the one way to change several tables at once.
//
// better-sqlite3 is synchronous, but the repositories are async (a PostgreSQL backend can slot
// in later). A transaction therefore spans awaits, and on a single connection any statement
// issued meanwhile by another request would join it. `transaction()` takes an async lock that
// every statement outside the transaction waits for; AsyncLocalStorage tells statements inside
// the transaction apart, so they run straight through.
import { AsyncLocalStorage } from 'node:async_hooks';
import { accessSync, chmodSync, constants, existsSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import type { Database as SqliteConnection } from 'better-sqlite3';

export class Database {
  readonly connection: SqliteConnection;
  private readonly inTransaction = new AsyncLocalStorage<true>();
  private lockTail: Promise<void> = Promise.resolve();
  private locked = false;

  constructor(file: string) {
    const existed = existsSync(file);
    assertWritable(file);
    this.connection = new SqliteDatabase(file, { timeout: 5000 });
    if (!existed) chmodSync(file, 0o600);
    // DESIGN.md: WAL with synchronous=FULL, so what the server said it saved survives a crash.
    this.connection.pragma('journal_mode = WAL');
    this.connection.pragma('synchronous = FULL');
    this.connection.pragma('foreign_keys = ON');
    this.connection.pragma('busy_timeout = 5000');
    // Deleted secrets (spent codes, old TOTP ciphertexts) are overwritten, not left in free pages.
    this.connection.pragma('secure_delete = ON');
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
   * Runs `work` inside BEGIN IMMEDIATE … COMMIT. Everything awaited inside should be storage
   * calls only (hash before, not inside), so the lock is held for microseconds. Nested calls join
   * the outer transaction.
   */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    if (this.inTransaction.getStore()) return work();
    const release = await this.acquire();
    try {
      this.connection.exec('BEGIN IMMEDIATE');
      try {
        const result = await this.inTransaction.run(true, work);
        this.connection.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.connection.inTransaction) this.connection.exec('ROLLBACK');
        throw error;
      }
    } finally {
      release();
    }
  }

  close(): void {
    if (this.connection.open) this.connection.close();
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
