// The challenge store and the key table on each backend (a real SQLite file, a real PostgreSQL
// database): binding, expiry by the injected clock, single use, and a counter that only moves
// forward, also when uses race.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashToken } from '../../../server/crypto/tokens.js';
import { systemRandom } from '../../../server/platform/random.js';
import { CHALLENGE_LIFETIME_MS, ChallengeStore } from '../../../server/modules/security-keys/challenges.js';
import type { NewSecurityKey, SecurityKeyRepository } from '../../../server/modules/security-keys/repository.js';
import { describeEachBackend, openTestStorage, type TestStorage } from '../../support/backends.js';
import { FakeClock } from '../../support/fake-clock.js';

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
    const addUser = async (name: string) =>
      (await repositories.accounts.create({ username: name, usernameKey: name, passwordHash: 'x', createdAt: 0 }))!.id;
    aliceId = await addUser('alice');
    bobId = await addUser('bob');
    clock = new FakeClock();
    store = new ChallengeStore(repositories.challenges, clock, systemRandom);
    keys = repositories.securityKeys;
  });

  afterEach(() => opened.close());

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
