// The peer of `npm run bench -- --peer`: better-auth (the most used TypeScript auth framework)
// with its two-factor plugin, configured to do the same work as Latchkey so that the comparison
// measures the software, not the settings:
// - the same password hash: argon2id with Latchkey's parameters through the same library
//   (@node-rs/argon2, on libuv's thread pool), through better-auth's own hash/verify hooks;
// - the same durability: SQLite in WAL mode with synchronous=FULL, so nothing is answered before
//   it is on disk (better-auth's own default for a better-sqlite3 database is the library's:
//   a rollback journal, synchronous=FULL);
// - the same limits left out of the way: Latchkey exempts loopback from its per-address limits,
//   so better-auth's rate limiter (on in production) is off here too;
// - its defaults elsewhere: sessions looked up in the database on every request (no cookie
//   cache), TOTP codes checked by its twoFactor plugin, sessions refreshed once a day.
import { hash, verify } from '@node-rs/argon2';
import { betterAuth } from 'better-auth';
import { twoFactor } from 'better-auth/plugins/two-factor';
import Database from 'better-sqlite3';
import { ARGON2ID_PARAMETERS } from '../../server/modules/accounts/password-hasher.js';

/** Where better-auth's routes are mounted (its default). */
export const PEER_BASE_PATH = '/api/auth';
/** better-auth's session cookie over plain HTTP (no __Secure- prefix). */
export const PEER_SESSION_COOKIE = 'better-auth.session_token';
/** The secret better-auth signs cookies and encrypts TOTP secrets with; a benchmark-only value. */
export const PEER_SECRET = 'latchkey-benchmark-peer-secret-0123456789abcdef';
/** Its default session lifetime (7 days): seeded sessions expire then, so none is refreshed. */
export const PEER_SESSION_SECONDS = 7 * 24 * 3600;

/** The peer's SQLite file, opened with Latchkey's durability (server/db/database.ts). */
export function openPeerDatabase(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

export function createPeerAuth(db: Database.Database, baseURL: string) {
  return betterAuth({
    appName: 'Latchkey benchmark peer',
    baseURL,
    basePath: PEER_BASE_PATH,
    secret: PEER_SECRET,
    database: db,
    emailAndPassword: {
      enabled: true,
      password: {
        hash: (password) => hash(password, ARGON2ID_PARAMETERS),
        verify: ({ hash: stored, password }) => verify(stored, password),
      },
    },
    session: { expiresIn: PEER_SESSION_SECONDS },
    plugins: [twoFactor({ issuer: 'Latchkey benchmark peer' })],
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    logger: { level: 'error' },
  });
}

export type PeerAuth = ReturnType<typeof createPeerAuth>;
