// The one thing the services know about storage: a way to make several repository calls one
// atomic change. SQLite (database.ts) and PostgreSQL (pg-database.ts) each implement it; the
// repositories of the same backend join the transaction that is open in the calling async context.
export interface TransactionRunner {
  /**
   * Runs `work` atomically: every repository call it awaits commits together or not at all, and
   * the promise settles only after the commit is durable. A call made inside another joins it.
   * Keep slow work (password hashing) outside: a transaction holds locks while it runs.
   */
  transaction<T>(work: () => Promise<T>): Promise<T>;

  /** Whether the calling async context is inside `transaction`. */
  isInTransaction(): boolean;

  /**
   * Call inside `transaction`: holds the account's lock until that transaction ends, so that
   * transactions which read and then change one account's factors (two-factor on or off, the
   * backup codes that go with it) run one after another. Throws outside a transaction.
   */
  lockAccount(userId: number): Promise<void>;

  /**
   * Call inside `transaction`: holds a lock on each name until that transaction ends, so that
   * transactions which check that nothing exists under a name and then create it (an account
   * whose name must not look like another's) run one after another. Names are free text; the
   * same text is the same lock. Throws outside a transaction.
   */
  lockNames(names: readonly string[]): Promise<void>;
}
