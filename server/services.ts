// The composition root: one instance of each capability, wired to the repositories of the
// configured backend (storage.ts). No service knows whether SQLite or PostgreSQL is underneath.
// Each is built after what it uses, with all of it as constructor arguments: nothing is set later.
import type { ServerConfig } from './config.js';
import type { Storage } from './storage.js';
import type { KeyRing } from './crypto/key-ring.js';
import { SecretVault } from './crypto/secret-vault.js';
import type { OriginPolicy } from './http/origins.js';
import type { Clock } from './platform/clock.js';
import type { Random } from './platform/random.js';
import type { PasswordHasher } from './modules/accounts/password-hasher.js';
import { PasswordChangeService } from './modules/accounts/password-change.js';
import { AccountService } from './modules/accounts/service.js';
import { AdministrationService } from './modules/administration/service.js';
import { AttemptLimiter } from './modules/attempt-limits/service.js';
import { BackupCodeService } from './modules/backup-codes/service.js';
import { PasskeyService } from './modules/passkeys/service.js';
import { SecretKeyService } from './modules/secret-keys/service.js';
import { SecurityEventLog } from './modules/security-events/service.js';
import { KeyAssertions } from './modules/security-keys/assertions.js';
import { ChallengeStore } from './modules/security-keys/challenges.js';
import { SecurityKeyService } from './modules/security-keys/service.js';
import { relyingPartyFor } from './modules/security-keys/webauthn.js';
import { SessionManager } from './modules/sessions/service.js';
import { SignInService } from './modules/sign-in/service.js';
import { TotpService } from './modules/totp/service.js';
import { TwoFactorService } from './modules/two-factor/service.js';

export interface ServiceDependencies {
  config: ServerConfig;
  storage: Storage;
  /** The current secret key and the previous ones (key-ring.ts). */
  keys: KeyRing;
  hasher: PasswordHasher;
  clock: Clock;
  random: Random;
  originPolicy: () => OriginPolicy;
}

export type AppServices = ReturnType<typeof createServices>;

export function createServices({ config, storage, keys, hasher, clock, random, originPolicy }: ServiceDependencies) {
  const { repositories, transactions: db } = storage;
  const events = new SecurityEventLog(repositories.securityEvents, clock);
  const limiter = new AttemptLimiter(repositories.attemptLimits, config.limits, clock, random);
  const accounts = new AccountService(
    db,
    repositories.accounts,
    hasher,
    limiter,
    events,
    clock,
    config.registrationOpen,
  );
  const sessions = new SessionManager(
    db,
    repositories.sessions,
    events,
    { idleSeconds: config.sessionIdleSeconds, absoluteSeconds: config.sessionAbsoluteSeconds },
    () => originPolicy().secureCookies,
    clock,
    random,
  );
  // Two-factor state is read from each factor's storage, so the factors' services can use it.
  const backupCodes = new BackupCodeService(repositories.backupCodes, keys, clock, random);
  const twoFactor = new TwoFactorService(
    db,
    { twoFactor: repositories.twoFactor, totp: repositories.totp, securityKeys: repositories.securityKeys },
    backupCodes,
    accounts,
    sessions,
    events,
  );
  const totp = new TotpService(
    repositories.totp,
    new SecretVault(keys, random),
    config.issuer,
    config.totpSetupLifetimeSeconds,
    accounts,
    twoFactor,
    clock,
    random,
  );
  const secretKeys = new SecretKeyService(repositories.secretKeyUse, keys, totp);
  const signIn = new SignInService(
    db,
    accounts,
    hasher,
    limiter,
    repositories.tickets,
    sessions,
    twoFactor,
    totp,
    backupCodes,
    events,
    { ticketLifetimeSeconds: config.ticketLifetimeSeconds, ticketMaxFailures: config.limits.ticketMaxFailures },
    clock,
    random,
  );
  const passwords = new PasswordChangeService(db, repositories.accounts, accounts, hasher, sessions, signIn, events);
  // WebAuthn: the relying party follows the public origin (RP ID = its host name, `localhost`
  // for the bundled server), read per request because port 0 is only known after listen().
  const relyingParty = () => relyingPartyFor(originPolicy().publicOrigin, config.issuer);
  const passkeySealing = keys.all.map((key) => key.derived.passkeyChallenge);
  const challenges = new ChallengeStore(repositories.challenges, passkeySealing, clock, random);
  const keyAssertions = new KeyAssertions(repositories.securityKeys, challenges, relyingParty, clock);
  const securityKeys = new SecurityKeyService(
    db,
    repositories.securityKeys,
    challenges,
    keyAssertions,
    accounts,
    twoFactor,
    signIn,
    events,
    relyingParty,
    clock,
    random,
  );
  const passkeys = new PasskeyService(db, keyAssertions, accounts, limiter, sessions, events);
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
  const administration = new AdministrationService(db, accounts, limiter, twoFactor, sessions, signIn, events, clock);
  // What the routes call (one method per flow), and app.ts and the tests besides.
  return {
    sweepExpired,
    events,
    limiter,
    accounts,
    passwords,
    administration,
    sessions,
    totp,
    backupCodes,
    secretKeys,
    twoFactor,
    signIn,
    securityKeys,
    passkeys,
  };
}
