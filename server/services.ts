// The composition root: one instance of each capability, wired to its SQLite repository.
// A PostgreSQL backend would replace only the `new Sqlite…Repository` lines.
import type { ServerConfig } from './config.js';
import type { Database } from './db/database.js';
import { SecretBox } from './crypto/secret-box.js';
import type { DerivedKeys } from './crypto/secret-key.js';
import type { OriginPolicy } from './http/origins.js';
import type { Clock } from './platform/clock.js';
import type { Random } from './platform/random.js';
import type { PasswordHasher } from './modules/accounts/password-hasher.js';
import { AccountService } from './modules/accounts/service.js';
import { SqliteAccountRepository } from './modules/accounts/sqlite-repository.js';
import { AttemptLimiter } from './modules/attempt-limits/service.js';
import { SqliteAttemptLimitRepository } from './modules/attempt-limits/sqlite-repository.js';
import { BackupCodeService } from './modules/backup-codes/service.js';
import { PasskeyService } from './modules/passkeys/service.js';
import { SqliteBackupCodeRepository } from './modules/backup-codes/sqlite-repository.js';
import { SecurityEventLog } from './modules/security-events/service.js';
import { ChallengeStore } from './modules/security-keys/challenges.js';
import { SecurityKeyService } from './modules/security-keys/service.js';
import { SqliteChallengeRepository, SqliteSecurityKeyRepository } from './modules/security-keys/sqlite-repository.js';
import { relyingPartyFor } from './modules/security-keys/webauthn.js';
import { SqliteSecurityEventRepository } from './modules/security-events/sqlite-repository.js';
import { SessionManager } from './modules/sessions/service.js';
import { SqliteSessionRepository } from './modules/sessions/sqlite-repository.js';
import { SignInService } from './modules/sign-in/service.js';
import { SqliteTicketRepository } from './modules/sign-in/sqlite-ticket-repository.js';
import { TotpService } from './modules/totp/service.js';
import { SqliteTotpRepository } from './modules/totp/sqlite-repository.js';
import { TwoFactorService } from './modules/two-factor/service.js';

export interface ServiceDependencies {
  config: ServerConfig;
  db: Database;
  keys: DerivedKeys;
  hasher: PasswordHasher;
  clock: Clock;
  random: Random;
  originPolicy: () => OriginPolicy;
}

export type AppServices = ReturnType<typeof createServices>;

export function createServices({ config, db, keys, hasher, clock, random, originPolicy }: ServiceDependencies) {
  const events = new SecurityEventLog(new SqliteSecurityEventRepository(db), clock);
  const limiter = new AttemptLimiter(new SqliteAttemptLimitRepository(db), config.limits, clock, random);
  const accounts = new AccountService(
    db,
    new SqliteAccountRepository(db),
    hasher,
    limiter,
    events,
    clock,
    config.registrationOpen,
  );
  const sessions = new SessionManager(
    new SqliteSessionRepository(db),
    accounts,
    { idleSeconds: config.sessionIdleSeconds, absoluteSeconds: config.sessionAbsoluteSeconds },
    () => originPolicy().secureCookies,
    clock,
    random,
  );
  const totp = new TotpService(
    new SqliteTotpRepository(db),
    new SecretBox(keys.totpEncryption, random),
    config.issuer,
    config.totpSetupLifetimeSeconds,
    clock,
    random,
  );
  const backupCodes = new BackupCodeService(new SqliteBackupCodeRepository(db), keys.backupCodeHashing, clock, random);
  const twoFactor = new TwoFactorService(totp, backupCodes);
  const signIn = new SignInService(
    db,
    accounts,
    hasher,
    limiter,
    new SqliteTicketRepository(db),
    sessions,
    twoFactor,
    events,
    { ticketLifetimeSeconds: config.ticketLifetimeSeconds, ticketMaxFailures: config.limits.ticketMaxFailures },
    clock,
    random,
  );
  // WebAuthn: the relying party follows the public origin (RP ID = its host name, `localhost`
  // for the bundled server), read per request because port 0 is only known after listen().
  const relyingParty = () => relyingPartyFor(originPolicy().publicOrigin, config.issuer);
  const securityKeyRepository = new SqliteSecurityKeyRepository(db);
  const challenges = new ChallengeStore(new SqliteChallengeRepository(db), keys.passkeyChallenge, clock, random);
  const securityKeys = new SecurityKeyService(
    db,
    securityKeyRepository,
    challenges,
    twoFactor,
    signIn,
    events,
    relyingParty,
    clock,
    random,
  );
  twoFactor.useSecurityKeys(securityKeys);
  const passkeys = new PasskeyService(
    db,
    securityKeyRepository,
    challenges,
    accounts,
    limiter,
    sessions,
    events,
    relyingParty,
    clock,
  );
  /** Deletes every row past its expiry; returns how many went. */
  const sweepExpired = async (): Promise<number> => {
    const counts = await Promise.all([
      signIn.sweepExpired(),
      sessions.sweepExpired(),
      limiter.sweepExpired(),
      challenges.sweepExpired(),
    ]);
    return counts.reduce((sum, count) => sum + count, 0);
  };
  return {
    sweepExpired,
    challenges,
    config,
    db,
    clock,
    random,
    originPolicy,
    events,
    limiter,
    accounts,
    sessions,
    totp,
    backupCodes,
    twoFactor,
    signIn,
    securityKeys,
    passkeys,
  };
}
