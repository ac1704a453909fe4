import type { PgDatabase } from '../../db/pg-database.js';
import type {
  ChallengeRepository,
  NewSecurityKey,
  SecurityKey,
  SecurityKeyRepository,
  SecurityKeyUse,
  StoredChallenge,
} from './repository.js';
import { challengeColumns, toChallenge, toKey, type ChallengeRow, type KeyRow } from './rows.js';

export class PgSecurityKeyRepository implements SecurityKeyRepository {
  constructor(private readonly db: PgDatabase) {}

  async insert(key: NewSecurityKey): Promise<SecurityKey | null> {
    const { rows } = await this.db.query<KeyRow>(
      `INSERT INTO security_keys (user_id, credential_id, public_key, counter, transports, aaguid, backup_eligible,
         backup_state, type, name, passkey_capable, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (credential_id) DO NOTHING
       RETURNING *`,
      [
        key.userId,
        key.credentialId,
        Buffer.from(key.publicKey),
        key.counter,
        JSON.stringify(key.transports),
        key.aaguid,
        key.backupEligible,
        key.backupState,
        key.type,
        key.name,
        key.passkeyCapable,
        key.createdAt,
      ],
    );
    return rows[0] ? toKey(rows[0]) : null;
  }

  async listForUser(userId: number): Promise<SecurityKey[]> {
    const { rows } = await this.db.query<KeyRow>('SELECT * FROM security_keys WHERE user_id = $1 ORDER BY id', [
      userId,
    ]);
    return rows.map(toKey);
  }

  async countForUser(userId: number): Promise<number> {
    const { rows } = await this.db.query<{ keys: number }>(
      'SELECT count(*) AS keys FROM security_keys WHERE user_id = $1',
      [userId],
    );
    return rows[0]?.keys ?? 0;
  }

  async findForUser(userId: number, id: number): Promise<SecurityKey | null> {
    const { rows } = await this.db.query<KeyRow>('SELECT * FROM security_keys WHERE user_id = $1 AND id = $2', [
      userId,
      id,
    ]);
    return rows[0] ? toKey(rows[0]) : null;
  }

  async findByCredentialId(credentialId: string): Promise<SecurityKey | null> {
    const { rows } = await this.db.query<KeyRow>('SELECT * FROM security_keys WHERE credential_id = $1', [
      credentialId,
    ]);
    return rows[0] ? toKey(rows[0]) : null;
  }

  async rename(userId: number, id: number, name: string): Promise<SecurityKey | null> {
    const { rows } = await this.db.query<KeyRow>(
      'UPDATE security_keys SET name = $1 WHERE user_id = $2 AND id = $3 RETURNING *',
      [name, userId, id],
    );
    return rows[0] ? toKey(rows[0]) : null;
  }

  async remove(userId: number, id: number): Promise<boolean> {
    const { rowCount } = await this.db.query('DELETE FROM security_keys WHERE user_id = $1 AND id = $2', [userId, id]);
    return rowCount === 1;
  }

  async recordUse(id: number, use: SecurityKeyUse): Promise<boolean> {
    // WebAuthn §7.2 step 21 as one conditional UPDATE: a racing use waits for the row lock, then
    // re-checks the counter against the committed one and changes nothing.
    const { rowCount } = await this.db.query(
      `UPDATE security_keys SET counter = $1, backup_state = $2, last_used_at = $3
       WHERE id = $4 AND (counter < $1 OR (counter = 0 AND $1 = 0))`,
      [use.newCounter, use.backupState, use.usedAt, id],
    );
    return rowCount === 1;
  }

  async userHandle(userId: number, create: () => Buffer): Promise<Buffer> {
    const existing = await this.findUserHandle(userId);
    if (existing) return existing;
    // A racing first use waits on the conflicting insert, does nothing, and reads the winner's.
    await this.db.query(
      'INSERT INTO webauthn_user_handles (user_id, user_handle) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING',
      [userId, create()],
    );
    return (await this.findUserHandle(userId))!;
  }

  async findUserHandle(userId: number): Promise<Buffer | null> {
    const { rows } = await this.db.query<{ user_handle: Buffer }>(
      'SELECT user_handle FROM webauthn_user_handles WHERE user_id = $1',
      [userId],
    );
    return rows[0]?.user_handle ?? null;
  }
}

export class PgChallengeRepository implements ChallengeRepository {
  constructor(private readonly db: PgDatabase) {}

  insert(challenge: StoredChallenge, keepPerBinding: number): Promise<void> {
    // Under the binding's lock, so that challenges issued at once for one account or ticket are
    // trimmed one after another: each trim sees the others, and no more than keepPerBinding stay.
    const binding = `${challenge.purpose} ${challenge.userId ?? '-'} ${challenge.ticketHash?.toString('hex') ?? '-'}`;
    return this.db.transaction(async () => {
      await this.db.lockNames([`webauthn challenges ${binding}`]);
      await this.insertRow(challenge);
      // The new challenge always stays, with the newest others up to `keep` in all.
      await this.db.query(
        `DELETE FROM webauthn_challenges
         WHERE purpose = $1 AND user_id IS NOT DISTINCT FROM $2 AND ticket_hash IS NOT DISTINCT FROM $3
           AND used_at IS NULL AND challenge != $4 AND challenge NOT IN (
             SELECT challenge FROM webauthn_challenges
             WHERE purpose = $1 AND user_id IS NOT DISTINCT FROM $2 AND ticket_hash IS NOT DISTINCT FROM $3
               AND used_at IS NULL AND challenge != $4
             ORDER BY created_at DESC, challenge LIMIT $5 - 1)`,
        [challenge.purpose, challenge.userId, challenge.ticketHash, challenge.challenge, keepPerBinding],
      );
    });
  }

  async insertSpent(challenge: StoredChallenge): Promise<boolean> {
    // A racing insert of the same challenge waits for the first to commit, then does nothing.
    return (await this.insertRow(challenge)) === 1;
  }

  async find(challenge: string): Promise<StoredChallenge | null> {
    const { rows } = await this.db.query<ChallengeRow>('SELECT * FROM webauthn_challenges WHERE challenge = $1', [
      challenge,
    ]);
    const row = rows[0];
    return row ? toChallenge(row) : null;
  }

  async consume(challenge: string, now: number): Promise<boolean> {
    // The spend: of racing answers, the first to lock the row sets used_at; the others wait,
    // re-check used_at IS NULL on the committed row, and change nothing.
    const { rowCount } = await this.db.query(
      'UPDATE webauthn_challenges SET used_at = $1 WHERE challenge = $2 AND used_at IS NULL AND expires_at > $1',
      [now, challenge],
    );
    return rowCount === 1;
  }

  async deleteExpiredBefore(before: number): Promise<number> {
    const { rowCount } = await this.db.query('DELETE FROM webauthn_challenges WHERE expires_at <= $1', [before]);
    return rowCount ?? 0;
  }

  private async insertRow(challenge: StoredChallenge): Promise<number> {
    const { rowCount } = await this.db.query(
      `INSERT INTO webauthn_challenges (challenge, purpose, user_id, ticket_hash, created_at, expires_at, used_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (challenge) DO NOTHING`,
      [...challengeColumns(challenge)],
    );
    return rowCount ?? 0;
  }
}
