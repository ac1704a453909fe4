// The challenge store and the key table on a real SQLite file: binding, expiry by the injected
// clock, single use, and a counter that only moves forward.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../../server/app.js';
import { hashToken } from '../../../server/crypto/tokens.js';
import { Database } from '../../../server/db/database.js';
import { loadMigrations, migrate } from '../../../server/db/migrate.js';
import { systemRandom } from '../../../server/platform/random.js';
import { CHALLENGE_LIFETIME_MS, ChallengeStore } from '../../../server/modules/security-keys/challenges.js';
import type { NewSecurityKey } from '../../../server/modules/security-keys/repository.js';
import {
  SqliteChallengeRepository,
  SqliteSecurityKeyRepository,
} from '../../../server/modules/security-keys/sqlite-repository.js';
import { FakeClock } from '../../support/fake-clock.js';

let dir: string;
let db: Database;
let clock: FakeClock;
let store: ChallengeStore;
let keys: SqliteSecurityKeyRepository;
let aliceId: number;
let bobId: number;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'latchkey-keys-'));
  db = new Database(join(dir, 'test.db'));
  migrate(db.connection, loadMigrations(MIGRATIONS_DIR));
  const addUser = db.connection.prepare(
    "INSERT INTO users (username, username_key, password_hash, created_at) VALUES (?, ?, 'x', 0) RETURNING id",
  );
  aliceId = (addUser.get('alice', 'alice') as { id: number }).id;
  bobId = (addUser.get('bob', 'bob') as { id: number }).id;
  clock = new FakeClock();
  store = new ChallengeStore(new SqliteChallengeRepository(db), clock, systemRandom);
  keys = new SqliteSecurityKeyRepository(db);
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ChallengeStore', () => {
  it('issues 32 random bytes, base64url, good for 5 minutes', async () => {
    const issued = await store.issue('passkey');
    expect(issued.bytes).toHaveLength(32);
    expect(issued.encoded).toBe(Buffer.from(issued.bytes).toString('base64url'));
    expect(issued.expiresAt).toBe(clock.now() + CHALLENGE_LIFETIME_MS);
    expect((await store.issue('passkey')).encoded).not.toBe(issued.encoded);
  });

  it('is spent once; a second answer is told it was already used', async () => {
    const issued = await store.issue('registration', { userId: aliceId });
    expect(await store.take(issued.encoded, 'registration', { userId: aliceId })).toEqual({
      ok: true,
      challenge: issued.encoded,
    });
    expect(await store.take(issued.encoded, 'registration', { userId: aliceId })).toEqual({
      ok: false,
      reason: 'challenge_used',
    });
  });

  it('of simultaneous takes, exactly one succeeds', async () => {
    const issued = await store.issue('passkey');
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => store.take(issued.encoded, 'passkey')));
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
  });

  it('works until 5 minutes have passed, not after', async () => {
    const early = await store.issue('passkey');
    const late = await store.issue('passkey');
    clock.advance(CHALLENGE_LIFETIME_MS - 1);
    expect((await store.take(early.encoded, 'passkey')).ok).toBe(true);
    clock.advance(1);
    expect(await store.take(late.encoded, 'passkey')).toEqual({ ok: false, reason: 'challenge_expired' });
    // Long after, the row is swept and the answer is simply unknown.
    clock.advance(2 * 60 * 60_000);
    await store.issue('passkey');
    expect(await store.take(late.encoded, 'passkey')).toEqual({ ok: false, reason: 'unknown_challenge' });
  });

  it('is bound to its purpose and to its account or ticket', async () => {
    const forAlice = await store.issue('registration', { userId: aliceId });
    expect(await store.take(forAlice.encoded, 'registration', { userId: bobId })).toEqual({
      ok: false,
      reason: 'unknown_challenge',
    });
    expect((await store.take(forAlice.encoded, 'passkey')).ok).toBe(false);
    const forTicket = await store.issue('second_factor', { ticketHash: hashToken('ticket-one') });
    expect((await store.take(forTicket.encoded, 'second_factor', { ticketHash: hashToken('ticket-two') })).ok).toBe(
      false,
    );
    expect((await store.take(forTicket.encoded, 'second_factor')).ok).toBe(false);
    expect((await store.take(forTicket.encoded, 'second_factor', { ticketHash: hashToken('ticket-one') })).ok).toBe(
      true,
    );
    // A refused take does not spend the challenge for its rightful owner.
    expect((await store.take(forAlice.encoded, 'registration', { userId: aliceId })).ok).toBe(true);
  });
});

describe('SqliteSecurityKeyRepository', () => {
  const key = (userId: number, credentialId: string): NewSecurityKey => ({
    userId,
    credentialId,
    publicKey: new Uint8Array([1, 2, 3]),
    counter: 5,
    transports: ['usb', 'nfc'],
    aaguid: '00000000-0000-0000-0000-000000000000',
    backupEligible: false,
    backupState: false,
    type: 'usb',
    name: 'Key',
    passkeyCapable: false,
    createdAt: clock.now(),
  });

  it('keeps a credential id once across all accounts', async () => {
    const stored = await keys.insert(key(aliceId, 'cred-1'));
    expect(stored).toMatchObject({
      userId: aliceId,
      credentialId: 'cred-1',
      transports: ['usb', 'nfc'],
      lastUsedAt: null,
    });
    expect(await keys.insert(key(bobId, 'cred-1'))).toBeNull();
    expect(await keys.countForUser(bobId)).toBe(0);
  });

  it('moves the counter forward only', async () => {
    const stored = (await keys.insert(key(aliceId, 'cred-2')))!;
    expect(await keys.recordUse(stored.id, { newCounter: 5, backupState: false, usedAt: 1 })).toBe(false);
    expect(await keys.recordUse(stored.id, { newCounter: 4, backupState: false, usedAt: 1 })).toBe(false);
    expect(await keys.recordUse(stored.id, { newCounter: 6, backupState: true, usedAt: 7 })).toBe(true);
    expect(await keys.findForUser(aliceId, stored.id)).toMatchObject({ counter: 6, backupState: true, lastUsedAt: 7 });
  });

  it('accepts zero after zero: authenticators without a counter', async () => {
    const stored = (await keys.insert({ ...key(aliceId, 'cred-3'), counter: 0 }))!;
    expect(await keys.recordUse(stored.id, { newCounter: 0, backupState: false, usedAt: 1 })).toBe(true);
    expect(await keys.recordUse(stored.id, { newCounter: 0, backupState: false, usedAt: 2 })).toBe(true);
  });

  it("renames and removes only the owner's key", async () => {
    const stored = (await keys.insert(key(aliceId, 'cred-4')))!;
    expect(await keys.rename(bobId, stored.id, 'Mine')).toBeNull();
    expect(await keys.remove(bobId, stored.id)).toBe(false);
    expect((await keys.rename(aliceId, stored.id, 'Blue key'))?.name).toBe('Blue key');
    expect(await keys.remove(aliceId, stored.id)).toBe(true);
    expect(await keys.findForUser(aliceId, stored.id)).toBeNull();
  });

  it('creates one user handle per account and keeps it', async () => {
    const first = await keys.userHandle(aliceId, () => Buffer.alloc(32, 1));
    const second = await keys.userHandle(aliceId, () => Buffer.alloc(32, 2));
    expect(second.equals(first)).toBe(true);
    expect((await keys.findUserHandle(aliceId))?.equals(Buffer.alloc(32, 1))).toBe(true);
    expect(await keys.findUserHandle(bobId)).toBeNull();
  });
});
