// Seeds the peer's SQLite database with the benchmark population (bench/lib/population.ts), the
// way bench/lib/seed.ts seeds Latchkey's: the same accounts, the same password and one precomputed
// argon2id hash of it, the same one-in-ten live sessions and one-in-ten two-factor accounts with
// the same TOTP secrets. The schema comes from better-auth's own migrations and every row goes in
// through its own database adapter, with its own encryption of TOTP secrets and backup codes, so
// the rows are the ones better-auth itself would have written.
import { statSync } from 'node:fs';
import { symmetricEncrypt } from 'better-auth/crypto';
import { getMigrations } from 'better-auth/db/migration';
import {
  BENCH_PASSWORD,
  backupCodes,
  hasSession,
  hasTwoFactor,
  peerEmail,
  peerTotpSecret,
  sessionCount,
  sessionToken,
  twoFactorCount,
  username,
} from '../lib/population.js';
import { createPeerAuth, openPeerDatabase, PEER_SESSION_SECONDS } from './better-auth-config.js';
import { hash } from '@node-rs/argon2';
import { ARGON2ID_PARAMETERS } from '../../server/modules/accounts/password-hasher.js';

export interface PeerSeedReport {
  accounts: number;
  twoFactorAccounts: number;
  sessions: number;
  seconds: number;
  databaseBytes: number;
}

/** Rows per transaction: big enough that seeding is not one commit per row. */
const BATCH = 2000;

export async function seedPeerDatabase(options: {
  file: string;
  accounts: number;
  /** The argon2id hash every account stores; computed once when absent. */
  passwordHash?: string;
  now?: number;
}): Promise<PeerSeedReport> {
  const started = process.hrtime.bigint();
  const now = new Date(options.now ?? Date.now());
  const db = openPeerDatabase(options.file);
  // This connection only, while nothing is answered from it: seeding need not wait for the disk.
  db.pragma('synchronous = OFF');
  try {
    const auth = createPeerAuth(db, 'http://127.0.0.1');
    const { runMigrations } = await getMigrations(auth.options);
    await runMigrations();
    const context = await auth.$context;
    const passwordHash = options.passwordHash ?? (await hash(BENCH_PASSWORD, ARGON2ID_PARAMETERS));
    const expiresAt = new Date(now.getTime() + PEER_SESSION_SECONDS * 1000);
    for (let first = 1; first <= options.accounts; first += BATCH) {
      const last = Math.min(options.accounts, first + BATCH - 1);
      await context.adapter.transaction(async (adapter) => {
        for (let id = first; id <= last; id++) {
          const twoFactor = hasTwoFactor(id);
          const user = await adapter.create<{ id: string }>({
            model: 'user',
            data: {
              name: username(id),
              email: peerEmail(id),
              emailVerified: true,
              twoFactorEnabled: twoFactor,
              createdAt: now,
              updatedAt: now,
            },
          });
          await adapter.create({
            model: 'account',
            data: {
              userId: user.id,
              accountId: user.id,
              providerId: 'credential',
              password: passwordHash,
              createdAt: now,
              updatedAt: now,
            },
          });
          if (hasSession(id)) {
            await adapter.create({
              model: 'session',
              data: { userId: user.id, token: sessionToken(id), expiresAt, createdAt: now, updatedAt: now },
            });
          }
          if (!twoFactor) continue;
          // As its twoFactor plugin stores them: the secret and the backup codes encrypted with
          // the auth secret (the plugin's default, storeBackupCodes: "encrypted").
          const key = context.secretConfig;
          await adapter.create({
            model: 'twoFactor',
            data: {
              userId: user.id,
              secret: await symmetricEncrypt({ key, data: peerTotpSecret(id) }),
              backupCodes: await symmetricEncrypt({ key, data: JSON.stringify(backupCodes(id)) }),
              verified: true,
            },
          });
        }
      });
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  return {
    accounts: options.accounts,
    twoFactorAccounts: twoFactorCount(options.accounts),
    sessions: sessionCount(options.accounts),
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    databaseBytes: statSync(options.file).size,
  };
}
