// Writes the benchmark population (population.ts) straight into a database before the server
// starts: the server's own migrations, repositories (through its storage seam, so SQLite and
// PostgreSQL alike) and crypto, with the same secret key file, so the server decrypts the TOTP
// secrets and recognises the backup-code HMACs and token hashes.
//
// Registering a million accounts through the API would cost a million argon2id hashes (hours);
// every seeded account instead stores one precomputed argon2id hash of the same password, which
// costs a lookup exactly what a unique hash would. Everything goes in one transaction.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KeyRing } from '../../server/crypto/key-ring.js';
import { SECRET_KEY_BYTES } from '../../server/crypto/secret-key.js';
import { SecretVault } from '../../server/crypto/secret-vault.js';
import { hashToken } from '../../server/crypto/tokens.js';
import { Database } from '../../server/db/database.js';
import { loadMigrations, migrate } from '../../server/db/migrate.js';
import { createArgon2idHasher } from '../../server/modules/accounts/password-hasher.js';
import { usernameKey, usernameSkeleton } from '../../server/modules/accounts/username.js';
import { BackupCodeService } from '../../server/modules/backup-codes/service.js';
import { LIVE_TICKETS_PER_ACCOUNT } from '../../server/modules/sign-in/ticket-repository.js';
import { timeStep } from '../../server/modules/totp/totp-codes.js';
import { systemRandom } from '../../server/platform/random.js';
import { MIGRATIONS_DIR, sqliteStorage, type Storage } from '../../server/storage.js';
import {
  BENCH_PASSWORD,
  backupCodeRandom,
  backupCodes,
  backupCodeTicket,
  hasSession,
  hasTwoFactor,
  secondFactorAccount,
  secondFactorCapacity,
  sessionCount,
  sessionToken,
  totpSecret,
  totpTicket,
  username,
} from './population.js';

export interface SeedOptions {
  dataDir: string;
  accounts: number;
  /** Second-factor tickets to seed for each method (capped at what the population allows). */
  totpTickets: number;
  backupCodeTickets: number;
  /** The argon2id hash every account stores; computed once when absent. */
  passwordHash?: string;
  now?: number;
}

export interface SeedReport {
  accounts: number;
  twoFactorAccounts: number;
  sessions: number;
  totpTickets: number;
  backupCodeTickets: number;
  seconds: number;
  /** The SQLite file's size; null for a database elsewhere (PostgreSQL). */
  databaseBytes: number | null;
}

/**
 * A ticket lives 5 minutes on the server; seeded ones live 2 hours so that a long benchmark run
 * still finds them alive. The lookup does not depend on the expiry.
 */
const SEEDED_TICKET_LIFETIME_MS = 2 * 3600_000;
const SESSION_LIFETIME_MS = 12 * 3600_000;

/** Seeds a data folder's SQLite file (the server's own schema), beside a new secret key file. */
export async function seedDataDir(options: SeedOptions): Promise<SeedReport> {
  const started = process.hrtime.bigint();
  const secretKey = writeSecretKey(options.dataDir);
  const file = join(options.dataDir, 'latchkey.db');
  const db = new Database(file);
  // This connection only: a large page cache makes building the indexes of a million rows fast.
  db.connection.pragma('cache_size = -262144');
  migrate(db.connection, loadMigrations(MIGRATIONS_DIR));
  try {
    const counts = await seedPopulation(sqliteStorage(db, file), secretKey, options);
    db.connection.pragma('wal_checkpoint(TRUNCATE)');
    return { ...counts, seconds: secondsSince(started), databaseBytes: statSync(file).size };
  } finally {
    db.close();
  }
}

/**
 * Seeds a migrated database of any backend through the server's storage seam (server/storage.ts),
 * and writes the secret key file into `options.dataDir` for the servers that will use it.
 */
export async function seedStorage(storage: Storage, options: SeedOptions): Promise<SeedReport> {
  const started = process.hrtime.bigint();
  const counts = await seedPopulation(storage, writeSecretKey(options.dataDir), options);
  return { ...counts, seconds: secondsSince(started), databaseBytes: null };
}

function writeSecretKey(dataDir: string): Buffer {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  const secretKey = randomBytes(SECRET_KEY_BYTES);
  writeFileSync(join(dataDir, 'secret.key'), secretKey, { mode: 0o600 });
  return secretKey;
}

const secondsSince = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9;

async function seedPopulation(
  storage: Storage,
  secretKey: Buffer,
  options: SeedOptions,
): Promise<Omit<SeedReport, 'seconds' | 'databaseBytes'>> {
  const now = options.now ?? Date.now();
  const keys = KeyRing.fromSecrets(secretKey);
  const {
    accounts: accountRepository,
    sessions,
    tickets,
    totp,
    backupCodes: backupCodeRepository,
  } = storage.repositories;
  const vault = new SecretVault(keys, systemRandom);
  const clock = { now: () => now };
  const capacity = secondFactorCapacity(options.accounts);
  const totpTickets = Math.min(options.totpTickets, capacity.totp);
  const backupTickets = Math.min(options.backupCodeTickets, capacity.backupCode);
  const hash = options.passwordHash ?? (await (await createArgon2idHasher()).hash(BENCH_PASSWORD));
  let twoFactorAccounts = 0;

  try {
    await storage.transactions.transaction(async () => {
      for (let id = 1; id <= options.accounts; id++) {
        const name = username(id);
        const account = await accountRepository.create({
          username: name,
          usernameKey: usernameKey(name),
          usernameSkeleton: usernameSkeleton(usernameKey(name)),
          passwordHash: hash,
          createdAt: now,
        });
        if (account?.id !== id) throw new Error(`The seeded account ${name} got id ${account?.id}, expected ${id}.`);
        if (hasSession(id)) {
          await sessions.create({
            tokenHash: hashToken(sessionToken(id)),
            publicId: hashToken(`public ${sessionToken(id)}`)
              .toString('hex')
              .slice(0, 32),
            userId: id,
            createdAt: now,
            lastSeenAt: now,
            expiresAt: now + SESSION_LIFETIME_MS,
            ip: null,
            userAgent: null,
            signInMethod: 'password',
          });
        }
        if (!hasTwoFactor(id)) continue;
        twoFactorAccounts++;
        // TOTP on, as if enabled a minute ago: the server's box, with the user row as associated
        // data (the format TotpService uses; the seeding test signs in with it to prove it).
        await totp.savePending(id, vault.seal(totpSecret(id), `totp:user:${id}`), now + 60_000);
        await totp.enable(id, now, timeStep(now) - 2);
        // The server's own backup-code service makes the ten codes and their HMACs.
        const service = new BackupCodeService(backupCodeRepository, keys, clock, backupCodeRandom(id));
        const codes = await service.regenerate(id);
        if (id % 1000 === 0 && codes.join() !== backupCodes(id).join()) {
          throw new Error('The backup-code service no longer draws codes as population.ts expects; update it.');
        }
      }
      const expiresAt = now + SEEDED_TICKET_LIFETIME_MS;
      for (let k = 0; k < totpTickets; k++) {
        const userId = secondFactorAccount(k, options.accounts);
        await tickets.create(
          { ticketHash: hashToken(totpTicket(k)), userId, createdAt: now, expiresAt, failures: 0 },
          LIVE_TICKETS_PER_ACCOUNT,
        );
      }
      for (let k = 0; k < backupTickets; k++) {
        const userId = secondFactorAccount(k, options.accounts);
        const ticketHash = hashToken(backupCodeTicket(k));
        await tickets.create({ ticketHash, userId, createdAt: now, expiresAt, failures: 0 }, LIVE_TICKETS_PER_ACCOUNT);
      }
    });
  } finally {
    keys.wipe();
  }
  return {
    accounts: options.accounts,
    twoFactorAccounts,
    sessions: sessionCount(options.accounts),
    totpTickets,
    backupCodeTickets: backupTickets,
  };
}
