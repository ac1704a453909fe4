// Errors that mean "the database cannot take this change just now", as opposed to a bug: busy,
// full, read-only, unreachable. The error handler answers them 503 storage_unavailable with
// Retry-After; the transaction they broke was rolled back, so nothing was changed.

/** SQLite result codes (the first two parts of better-sqlite3's code, e.g. SQLITE_IOERR_WRITE). */
const SQLITE_UNAVAILABLE = new Set([
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_FULL',
  'SQLITE_READONLY',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
]);

/**
 * PostgreSQL SQLSTATE classes and codes (PostgreSQL manual, Appendix A): connection exceptions,
 * insufficient resources (disk full, out of memory, too many connections), a server shutting down
 * or starting, a read-only transaction (a standby, or the database set read-only), lock and
 * statement timeouts, and the deadlock or serialization failures that roll a transaction back.
 */
const POSTGRES_UNAVAILABLE_CLASSES = new Set(['08', '53']);
const POSTGRES_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '25006', '55P03', '57014', '40001', '40P01']);

/** Socket failures on the way to PostgreSQL. */
const NETWORK_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);

/** node-postgres reports these without a code. */
const POSTGRES_CLIENT_MESSAGES = [/^Connection terminated/, /^timeout exceeded when trying to connect/];

/** The code to log when `error` means the database is unavailable, else null. */
export function storageUnavailableCode(error: unknown): string | null {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (SQLITE_UNAVAILABLE.has(code.split('_').slice(0, 2).join('_'))) return code;
    if (
      /^[0-9A-Z]{5}$/.test(code) &&
      (POSTGRES_UNAVAILABLE.has(code) || POSTGRES_UNAVAILABLE_CLASSES.has(code.slice(0, 2)))
    )
      return code;
    if (NETWORK_UNAVAILABLE.has(code)) return code;
  }
  if (typeof message === 'string' && POSTGRES_CLIENT_MESSAGES.some((pattern) => pattern.test(message)))
    return 'connection lost';
  return null;
}
