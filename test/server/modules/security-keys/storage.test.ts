// The challenge store and the key table on each backend (a real SQLite file, a real PostgreSQL
// database): binding, expiry by the injected clock, single use, and a counter that only moves
// forward, also when uses race.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashToken } from '../../../../server/crypto/tokens.js';
import { systemRandom } from '../../../../server/platform/random.js';
import { CHALLENGE_LIFETIME_MS, ChallengeStore } from '../../../../server/modules/security-keys/challenges.js';
import type { NewSecurityKey, SecurityKeyRepository } from '../../../../server/modules/security-keys/repository.js';
import {
  addAccountRow,
  describeEachBackend,
  openTestStorage,
  queryRows,
  type TestStorage,
} from '../../../support/backends.js';
import { FakeClock } from '../../../support/fake-clock.js';

describeEachBackend('security-key storage', (backend) => {
  let opened: TestStorage;
  let clock: FakeClock;
  let store: ChallengeStore;
  let keys: SecurityKeyRepository;
  let aliceId: number;
  let bobId: number;

  beforeEach(async () => {
    opened = await openTestStorage(backend);
    const { repositories } = opened.storage;
    aliceId = await addAccountRow(repositories, 'alice');
    bobId = await addAccountRow(repositories, 'bob');
    clock = new FakeClock();
    store = new ChallengeStore(repositories.challenges, [Buffer.alloc(32, 7)], clock, systemRandom);
    keys = repositories.securityKeys;
  });

  afterEach(() => opened.close());

  async function count(sql: string, params: unknown[] = []): Promise<number> {
    const [row] = await queryRows<{ count: number | string }>(opened.storage, sql, params);
    return Number(row!.count);
  }
  const challengesOf = (userId: number) =>
    count('SELECT count(*) AS count FROM webauthn_challenges WHERE user_id = ?', [userId]);

  describe('ChallengeStore', () => {
    it('issues 32 random bytes, base64url, good for 5 minutes', async () => {
      const issued = await store.issue('registration', { userId: aliceId });
      expect(issued.bytes).toHaveLength(32);
      expect(issued.encoded).toBe(Buffer.from(issued.bytes).toString('base64url'));
      expect(issued.expiresAt).toBe(clock.now() + CHALLENGE_LIFETIME_MS);
      expect((await store.issue('registration', { userId: aliceId })).encoded).not.toBe(issued.encoded);
    });

    it('keeps at most five live challenges per account or ticket: a sixth ends the oldest', async () => {
      const issued = [];
      for (let index = 0; index < 7; index += 1) {
        issued.push(await store.issue('registration', { userId: aliceId }));
        clock.advance(1);
      }
      await store.issue('registration', { userId: bobId });
      expect(await challengesOf(aliceId)).toBe(5);
      expect(await challengesOf(bobId)).toBe(1);
      expect(await store.take(issued[0]!.encoded, 'registration', { userId: aliceId })).toEqual({
        ok: false,
        reason: 'unknown_challenge',
      });
      expect((await store.take(issued[6]!.encoded, 'registration', { userId: aliceId })).ok).toBe(true);
      // Issued in the same millisecond, the newest is still the one kept.
      for (let index = 0; index < 20; index += 1) {
        const fresh = await store.issue('registration', { userId: bobId });
        const stored = await count('SELECT count(*) AS count FROM webauthn_challenges WHERE challenge = ?', [
          fresh.encoded,
        ]);
        expect(stored, `round ${index}`).toBe(1);
      }
      expect(await challengesOf(bobId)).toBe(5);
    });

    it('keeps at most five when the challenges of one account are issued all at once', async () => {
      const issued = await Promise.all(
        Array.from({ length: 20 }, () => store.issue('registration', { userId: aliceId })),
      );
      expect(await challengesOf(aliceId)).toBe(5);
      // Whichever were kept, each is one that was issued.
      const kept = await queryRows<{ challenge: string }>(
        opened.storage,
        'SELECT challenge FROM webauthn_challenges WHERE user_id = ?',
        [aliceId],
      );
      const encoded = new Set(issued.map((challenge) => challenge.encoded));
      for (const row of kept) expect(encoded.has(row.challenge)).toBe(true);
    });

    it('seals passkey challenges instead of storing them, and spends one only once', async () => {
      const all = () => count('SELECT count(*) AS count FROM webauthn_challenges');
      const issued = Array.from({ length: 1000 }, () => store.issuePasskey());
      expect(await all()).toBe(0);
      expect(issued[0]!.bytes.length).toBeGreaterThanOrEqual(32);
      expect(new Set(issued.map((challenge) => challenge.encoded)).size).toBe(1000);
      const [first, second] = issued as [(typeof issued)[0], (typeof issued)[0]];
      expect(await store.checkPasskey(first.encoded)).toEqual({ ok: true, challenge: first.encoded });
      const spends = await Promise.all(Array.from({ length: 8 }, () => store.spendPasskey(first.encoded)));
      expect(spends.filter(Boolean)).toHaveLength(1);
      expect(await all()).toBe(1);
      expect(await store.checkPasskey(first.encoded)).toEqual({ ok: false, reason: 'challenge_used' });
      // A changed byte, another server's key, or a challenge for something else: not ours.
      const tampered = Buffer.from(second.bytes);
      tampered[10] = tampered[10]! ^ 1;
      const otherServer = new ChallengeStore(
        opened.storage.repositories.challenges,
        [Buffer.alloc(32, 8)],
        clock,
        systemRandom,
      );
      const registration = await store.issue('registration', { userId: aliceId });
      for (const encoded of [
        tampered.toString('base64url'),
        otherServer.issuePasskey().encoded,
        registration.encoded,
      ]) {
        expect(await store.checkPasskey(encoded)).toEqual({ ok: false, reason: 'unknown_challenge' });
        expect(await store.spendPasskey(encoded)).toBe(false);
      }
      // After a key rotation the old key still opens what it sealed; what the new one seals, the
      // old key alone does not.
      const rotated = new ChallengeStore(
        opened.storage.repositories.challenges,
        [Buffer.alloc(32, 8), Buffer.alloc(32, 7)],
        clock,
        systemRandom,
      );
      expect(await rotated.checkPasskey(second.encoded)).toEqual({ ok: true, challenge: second.encoded });
      expect(await store.checkPasskey(rotated.issuePasskey().encoded)).toMatchObject({ reason: 'unknown_challenge' });
      clock.advance(CHALLENGE_LIFETIME_MS);
      expect(await store.checkPasskey(second.encoded)).toEqual({ ok: false, reason: 'challenge_expired' });
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
      const issued = await store.issue('registration', { userId: aliceId });
      const outcomes = await Promise.all(
        Array.from({ length: 8 }, () => store.take(issued.encoded, 'registration', { userId: aliceId })),
      );
      expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    });

    it('works until 5 minutes have passed, not after', async () => {
      const early = await store.issue('registration', { userId: aliceId });
      const late = await store.issue('registration', { userId: aliceId });
      clock.advance(CHALLENGE_LIFETIME_MS - 1);
      expect((await store.take(early.encoded, 'registration', { userId: aliceId })).ok).toBe(true);
      clock.advance(1);
      expect(await store.take(late.encoded, 'registration', { userId: aliceId })).toEqual({
        ok: false,
        reason: 'challenge_expired',
      });
      // Long after, the row is swept and the answer is simply unknown.
      clock.advance(2 * 60 * 60_000);
      expect(await store.sweepExpired()).toBe(2);
      expect(await store.take(late.encoded, 'registration', { userId: aliceId })).toEqual({
        ok: false,
        reason: 'unknown_challenge',
      });
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

  describe('SecurityKeyRepository', () => {
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
      expect(await keys.findForUser(aliceId, stored.id)).toMatchObject({
        counter: 6,
        backupState: true,
        lastUsedAt: 7,
      });
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
});
