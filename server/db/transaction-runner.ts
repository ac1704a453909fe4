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
}
