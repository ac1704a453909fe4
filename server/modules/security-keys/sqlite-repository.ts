import type { Database } from '../../db/database.js';
import type {
  ChallengeRepository,
  NewSecurityKey,
  SecurityKey,
  SecurityKeyRepository,
  SecurityKeyUse,
  StoredChallenge,
} from './repository.js';
import { challengeColumns, toChallenge, toKey, type ChallengeRow, type KeyRow } from './rows.js';

export class SqliteSecurityKeyRepository implements SecurityKeyRepository {
  private readonly insertKey;
  private readonly selectForUser;
  private readonly countKeys;
  private readonly selectOne;
  private readonly selectByCredential;
  private readonly updateName;
  private readonly deleteOne;
  private readonly updateUse;
  private readonly selectHandle;
  private readonly insertHandle;

  constructor(private readonly db: Database) {
    const c = db.connection;
    this.insertKey = c.prepare<unknown[], KeyRow>(
      `INSERT INTO security_keys (user_id, credential_id, public_key, counter, transports, aaguid, backup_eligible,
         backup_state, type, name, passkey_capable, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (credential_id) DO NOTHING
       RETURNING *`,
    );
    // Typed parameters where the planner weighs them (ORDER BY, LIMIT): see server/db/database.ts.
    this.selectForUser = c.prepare<[number], KeyRow>(
      'SELECT * FROM security_keys WHERE user_id = CAST(? AS INTEGER) ORDER BY id',
    );
    this.countKeys = c.prepare<[number], number>('SELECT count(*) FROM security_keys WHERE user_id = ?').pluck();
    this.selectOne = c.prepare<[number, number], KeyRow>('SELECT * FROM security_keys WHERE user_id = ? AND id = ?');
    this.selectByCredential = c.prepare<[string], KeyRow>('SELECT * FROM security_keys WHERE credential_id = ?');
    this.updateName = c.prepare<[string, number, number], KeyRow>(
      'UPDATE security_keys SET name = ? WHERE user_id = ? AND id = ? RETURNING *',
    );
    this.deleteOne = c.prepare('DELETE FROM security_keys WHERE user_id = ? AND id = ?');
    this.updateUse = c.prepare(
      `UPDATE security_keys SET counter = ?, backup_state = ?, last_used_at = ?
       WHERE id = ? AND (counter < ? OR (counter = 0 AND ? = 0))`,
    );
    this.selectHandle = c
      .prepare<[number], Buffer>('SELECT user_handle FROM webauthn_user_handles WHERE user_id = ?')
      .pluck();
    this.insertHandle = c.prepare(
      'INSERT INTO webauthn_user_handles (user_id, user_handle) VALUES (?, ?) ON CONFLICT (user_id) DO NOTHING',
    );
  }

  insert(key: NewSecurityKey): Promise<SecurityKey | null> {
    return this.db.run(() => {
      const row = this.insertKey.get(
        key.userId,
        key.credentialId,
        Buffer.from(key.publicKey),
        key.counter,
        JSON.stringify(key.transports),
        key.aaguid,
        key.backupEligible ? 1 : 0,
        key.backupState ? 1 : 0,
        key.type,
        key.name,
        key.passkeyCapable ? 1 : 0,
        key.createdAt,
      );
      return row ? toKey(row) : null;
    });
  }

  listForUser(userId: number): Promise<SecurityKey[]> {
    return this.db.run(() => this.selectForUser.all(userId).map(toKey));
  }

  countForUser(userId: number): Promise<number> {
    return this.db.run(() => this.countKeys.get(userId) ?? 0);
  }

  findForUser(userId: number, id: number): Promise<SecurityKey | null> {
    return this.db.run(() => {
      const row = this.selectOne.get(userId, id);
      return row ? toKey(row) : null;
    });
  }

  findByCredentialId(credentialId: string): Promise<SecurityKey | null> {
    return this.db.run(() => {
      const row = this.selectByCredential.get(credentialId);
      return row ? toKey(row) : null;
    });
  }

  rename(userId: number, id: number, name: string): Promise<SecurityKey | null> {
    return this.db.run(() => {
      const row = this.updateName.get(name, userId, id);
      return row ? toKey(row) : null;
    });
  }

  remove(userId: number, id: number): Promise<boolean> {
    return this.db.run(() => this.deleteOne.run(userId, id).changes === 1);
  }

  recordUse(id: number, use: SecurityKeyUse): Promise<boolean> {
    return this.db.run(
      () =>
        this.updateUse.run(use.newCounter, use.backupState ? 1 : 0, use.usedAt, id, use.newCounter, use.newCounter)
          .changes === 1,
    );
  }

  userHandle(userId: number, create: () => Buffer): Promise<Buffer> {
    return this.db.run(() => {
      const existing = this.selectHandle.get(userId);
      if (existing) return existing;
      this.insertHandle.run(userId, create());
      return this.selectHandle.get(userId)!;
    });
  }

  findUserHandle(userId: number): Promise<Buffer | null> {
    return this.db.run(() => this.selectHandle.get(userId) ?? null);
  }
}

export class SqliteChallengeRepository implements ChallengeRepository {
  private readonly insertOne;
  private readonly trimBinding;
  private readonly selectOne;
  private readonly markUsed;
  private readonly deleteOld;

  constructor(private readonly db: Database) {
    const c = db.connection;
    // Used by both insert() (a fresh random challenge: never a conflict) and insertSpent().
    this.insertOne = c.prepare(
      `INSERT INTO webauthn_challenges (challenge, purpose, user_id, ticket_hash, created_at, expires_at, used_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (challenge) DO NOTHING`,
    );
    // The new challenge always stays, with the newest others up to `keep` in all.
    this.trimBinding = c.prepare(
      `DELETE FROM webauthn_challenges
       WHERE purpose = CAST(@purpose AS TEXT) AND user_id IS CAST(@userId AS INTEGER)
         AND ticket_hash IS CAST(@ticketHash AS BLOB) AND used_at IS NULL
         AND challenge != @challenge AND challenge NOT IN (
           SELECT challenge FROM webauthn_challenges
           WHERE purpose = CAST(@purpose AS TEXT) AND user_id IS CAST(@userId AS INTEGER)
             AND ticket_hash IS CAST(@ticketHash AS BLOB) AND used_at IS NULL
             AND challenge != @challenge
           ORDER BY created_at DESC, challenge LIMIT @keep - 1)`,
    );
    this.selectOne = c.prepare<[string], ChallengeRow>('SELECT * FROM webauthn_challenges WHERE challenge = ?');
    // The spend: SQLite runs it atomically, so of any number of simultaneous answers exactly one
    // sees used_at IS NULL.
    this.markUsed = c.prepare(
      'UPDATE webauthn_challenges SET used_at = ? WHERE challenge = ? AND used_at IS NULL AND expires_at > ?',
    );
    this.deleteOld = c.prepare('DELETE FROM webauthn_challenges WHERE expires_at <= ?');
  }

  insert(challenge: StoredChallenge, keepPerBinding: number): Promise<void> {
    return this.db.run(() => {
      this.insertOne.run(...challengeColumns(challenge));
      this.trimBinding.run({
        challenge: challenge.challenge,
        purpose: challenge.purpose,
        userId: challenge.userId,
        ticketHash: challenge.ticketHash,
        keep: keepPerBinding,
      });
    });
  }

  insertSpent(challenge: StoredChallenge): Promise<boolean> {
    return this.db.run(() => this.insertOne.run(...challengeColumns(challenge)).changes === 1);
  }

  find(challenge: string): Promise<StoredChallenge | null> {
    return this.db.run(() => {
      const row = this.selectOne.get(challenge);
      return row ? toChallenge(row) : null;
    });
  }

  consume(challenge: string, now: number): Promise<boolean> {
    return this.db.run(() => this.markUsed.run(now, challenge, now).changes === 1);
  }

  deleteExpiredBefore(before: number): Promise<number> {
    return this.db.run(() => this.deleteOld.run(before).changes);
  }
}
