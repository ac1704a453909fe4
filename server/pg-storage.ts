// The PostgreSQL backend's repositories, wired as storage.ts wires SQLite's. A module of its own
// so that storage.ts imports it (and the pg driver) only when PostgreSQL is configured.
import { openPgDatabase, type PgDatabase } from './db/pg-database.js';
import { assertPostgresMigrated, migratePostgres } from './db/pg-migrate.js';
import { PgAccountRepository } from './modules/accounts/pg-repository.js';
import { PgAttemptLimitRepository } from './modules/attempt-limits/pg-repository.js';
import { PgBackupCodeRepository } from './modules/backup-codes/pg-repository.js';
import { PgSecurityEventRepository } from './modules/security-events/pg-repository.js';
import { PgSecretKeyUseRepository } from './modules/secret-keys/pg-repository.js';
import { PgChallengeRepository, PgSecurityKeyRepository } from './modules/security-keys/pg-repository.js';
import { PgSessionRepository } from './modules/sessions/pg-repository.js';
import { PgTicketRepository } from './modules/sign-in/pg-ticket-repository.js';
import { PgTotpRepository } from './modules/totp/pg-repository.js';
import { PgTwoFactorRepository } from './modules/two-factor/pg-repository.js';
import { PING, withTimeout, type Storage } from './storage.js';

export { assertPostgresMigrated, migratePostgres, openPgDatabase };

export function postgresStorage(db: PgDatabase, location: string): Storage {
  return {
    kind: 'postgres',
    database: db,
    transactions: db,
    location,
    repositories: {
      accounts: new PgAccountRepository(db),
      attemptLimits: new PgAttemptLimitRepository(db),
      backupCodes: new PgBackupCodeRepository(db),
      securityEvents: new PgSecurityEventRepository(db),
      securityKeys: new PgSecurityKeyRepository(db),
      challenges: new PgChallengeRepository(db),
      secretKeyUse: new PgSecretKeyUseRepository(db),
      sessions: new PgSessionRepository(db),
      tickets: new PgTicketRepository(db),
      totp: new PgTotpRepository(db),
      twoFactor: new PgTwoFactorRepository(db),
    },
    ping: (timeoutMs) =>
      withTimeout(
        db.query(PING).then(() => undefined),
        timeoutMs,
      ),
    close: () => db.close(),
  };
}
