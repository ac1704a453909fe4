// Every repository's atomic promises, on each backend, with racing callers: on PostgreSQL the
// calls run on separate pooled connections at once, so a guarantee that leaned on SQLite's single
// writer would show here. Each test starts from a fresh database.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type {
  AttemptLimitRepository,
  FailureRecord,
  ReservationRequest,
  ReservationState,
} from '../../../server/modules/attempt-limits/repository.js';
import type { Repositories, Storage } from '../../../server/storage.js';
import {
  addSecurityKeyRow,
  describeEachBackend,
  describePostgres,
  openTestStorage,
  postgresBackend,
  queryRows,
  type TestStorage,
} from '../../support/backends.js';

const RACERS = 20;

/** Starts `count` calls at once and waits for all of them. */
function race<T>(count: number, call: (index: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => call(index)));
}

const trues = (results: boolean[]) => results.filter(Boolean).length;

/** A stand-in for a sealed TOTP secret: the repositories store the bytes and the key id as given. */
const sealed = (text: string) => ({ sealed: Buffer.from(text), keyId: 'key-a' });

/** The attempt limits' clock: every reservation lives 30 seconds from it unless a test says. */
const NOW = 1_000_000;

function reservation(id: string, usernameKey: string | null, address: string | null, now = NOW): ReservationRequest {
  return { id, usernameKey, address, now, expiresAt: now + 30_000 };
}

function failure(now: number): FailureRecord {
  return {
    now,
    lockUntil: () => 0,
    addressWindowMs: 60_000,
    hasAccount: true,
    maxNamesWithoutAccount: 100,
    maxAddresses: 100,
  };
}

/** What a reserve at `now` would see; stores nothing (the admission refuses with the state). */
async function stateOf(
  limits: AttemptLimitRepository,
  usernameKey: string | null,
  address: string | null,
  now = NOW,
): Promise<ReservationState> {
  const state = await limits.reserve(reservation('look', usernameKey, address, now), (seen) => seen);
  return state!;
}

describeEachBackend('repositories under racing callers', (backend) => {
  let opened: TestStorage;
  let storage: Storage;
  let repositories: Repositories;
  let aliceId: number;

  const alice = {
    username: 'Alice',
    usernameKey: 'alice',
    usernameSkeleton: 'alice',
    passwordHash: 'hash',
    createdAt: 1,
  };

  beforeEach(async () => {
    opened = await openTestStorage(backend);
    storage = opened.storage;
    repositories = storage.repositories;
    aliceId = (await repositories.accounts.create(alice))!.id;
  });
  afterEach(() => opened.close());

  it('creates one account per username key; the others get null', async () => {
    const results = await race(RACERS, (index) =>
      repositories.accounts.create({
        username: `Bob${index}`,
        usernameKey: 'bob',
        usernameSkeleton: 'bob',
        passwordHash: 'h',
        createdAt: 2,
      }),
    );
    const created = results.filter((account) => account !== null);
    expect(created).toHaveLength(1);
    expect(await repositories.accounts.findByKey('bob')).toEqual(created[0]);
    expect(await repositories.accounts.findById(aliceId)).toEqual({
      id: aliceId,
      username: 'Alice',
      usernameKey: 'alice',
      passwordHash: 'hash',
      createdAt: 1,
    });
  });

  it('spends a backup code once', async () => {
    const codes = Array.from({ length: 10 }, (_, index) => Buffer.alloc(32, index + 1));
    await repositories.backupCodes.replaceAll(aliceId, codes, 'key-a', 5);
    const code = (codeHash: Buffer, keyId = 'key-a') => [{ keyId, codeHash }];
    const spent = await race(RACERS, () => repositories.backupCodes.consume(aliceId, code(codes[3]!), 6));
    expect(trues(spent)).toBe(1);
    expect(await repositories.backupCodes.countRemaining(aliceId)).toBe(9);
    expect(await repositories.backupCodes.consume(aliceId, code(Buffer.alloc(32, 99)), 7)).toBe(false);
    // A code matches only under the key it was made with (or any, for a code from before key ids).
    expect(await repositories.backupCodes.consume(aliceId, code(codes[4]!, 'key-b'), 7)).toBe(false);
    const underEither = [...code(codes[4]!, 'key-b'), ...code(codes[4]!, 'key-a')];
    expect(await repositories.backupCodes.consume(aliceId, underEither, 7)).toBe(true);
    await queryRows(storage, 'UPDATE backup_codes SET key_id = NULL WHERE code_hash = ?', [codes[5]]);
    expect(await repositories.backupCodes.consume(aliceId, code(codes[5]!, 'key-b'), 7)).toBe(true);
  });

  it("counts an account's factors in one read: enabled TOTP only, keys, unused backup codes", async () => {
    const bob = (await repositories.accounts.create({
      username: 'Bob',
      usernameKey: 'bob',
      usernameSkeleton: 'bob',
      passwordHash: 'hash',
      createdAt: 1,
    }))!;
    const none = { totp: false, securityKeys: 0, backupCodesRemaining: 0 };
    expect(await repositories.twoFactor.counts(aliceId)).toEqual(none);
    // A pending set-up is not TOTP on; an enabled one is.
    await repositories.totp.savePending(aliceId, { sealed: Buffer.from('sealed'), keyId: 'key-a' }, 1000);
    expect((await repositories.twoFactor.counts(aliceId)).totp).toBe(false);
    await repositories.totp.enable(aliceId, 500, 10);
    await repositories.backupCodes.replaceAll(aliceId, [Buffer.alloc(32, 1), Buffer.alloc(32, 2)], 'key-a', 5);
    await repositories.backupCodes.consume(aliceId, [{ keyId: 'key-a', codeHash: Buffer.alloc(32, 1) }], 6);
    for (const name of ['one', 'two']) await addSecurityKeyRow(repositories, aliceId, name);
    expect(await repositories.twoFactor.counts(aliceId)).toEqual({
      totp: true,
      securityKeys: 2,
      backupCodesRemaining: 1,
    });
    // Another account's factors are its own.
    expect(await repositories.twoFactor.counts(bob.id)).toEqual(none);
  });

  it('replaces the whole set when replacements race: ten codes of one set remain', async () => {
    const sets = Array.from({ length: 6 }, (_, set) =>
      Array.from({ length: 10 }, (_, index) => Buffer.alloc(32, set * 16 + index + 1)),
    );
    await race(sets.length, (set) =>
      storage.transactions.transaction(() => repositories.backupCodes.replaceAll(aliceId, sets[set]!, 'key', 10 + set)),
    );
    const rows = await queryRows<{ code_hash: Buffer }>(
      storage,
      'SELECT code_hash FROM backup_codes WHERE user_id = ?',
      [aliceId],
    );
    expect(rows).toHaveLength(10);
    const survivor = sets.find((set) => set.some((hash) => hash.equals(rows[0]!.code_hash)))!;
    expect(rows.every((row) => survivor.some((hash) => hash.equals(row.code_hash)))).toBe(true);
  });

  it('accepts a TOTP time step once, and only newer steps after it', async () => {
    expect(await repositories.totp.savePending(aliceId, sealed('sealed'), 1000)).toBe(true);
    const enabled = await race(5, () => repositories.totp.enable(aliceId, 500, 10));
    expect(trues(enabled)).toBe(1);
    expect(await repositories.totp.savePending(aliceId, sealed('other'), 2000)).toBe(false);
    const accepted = await race(RACERS, () => repositories.totp.acceptStep(aliceId, 11));
    expect(trues(accepted)).toBe(1);
    expect(await repositories.totp.acceptStep(aliceId, 11)).toBe(false);
    expect(await repositories.totp.acceptStep(aliceId, 10)).toBe(false);
    expect(await repositories.totp.acceptStep(aliceId, 12)).toBe(true);
    expect(await repositories.totp.get(aliceId)).toMatchObject({
      secretSealed: Buffer.from('sealed'),
      enabledAt: 500,
      setupExpiresAt: null,
      lastUsedStep: 12,
    });
    expect(await race(3, () => repositories.totp.deleteEnabled(aliceId))).toEqual(
      expect.arrayContaining([true, false, false]),
    );
  });

  it('creates one account among racing look-alikes: the skeleton is checked under its lock', async () => {
    const results = await race(RACERS, (index) =>
      storage.transactions.transaction(async () => {
        await storage.transactions.lockNames(['username skeleton adrnin']);
        if (await repositories.accounts.findBySkeleton('adrnin')) return null;
        // A pause between the check and the insert, where a racer without the lock would slip in.
        await new Promise((resolve) => setTimeout(resolve, 5));
        return repositories.accounts.create({
          username: `admin${index}`,
          usernameKey: `admin${index}`,
          usernameSkeleton: 'adrnin',
          passwordHash: 'h',
          createdAt: 2,
        });
      }),
    );
    const created = results.filter((account) => account !== null);
    expect(created).toHaveLength(1);
    expect(await repositories.accounts.findBySkeleton('adrnin')).toEqual(created[0]);
    expect(await repositories.accounts.findBySkeleton('admin')).toBeNull();
    await expect(storage.transactions.lockNames(['x'])).rejects.toThrow(/only inside transaction/);
  });

  it('gives accounts made before skeletons were kept theirs, in batches', async () => {
    for (const name of ['b', 'c', 'd']) {
      await queryRows(
        storage,
        'INSERT INTO users (username, username_key, password_hash, created_at) VALUES (?, ?, ?, 0)',
        [name.toUpperCase(), name, 'h'],
      );
    }
    const filled = await race(3, () => repositories.accounts.fillMissingSkeletons((key) => `skeleton-${key}`, 2));
    expect(filled.reduce((sum, count) => sum + count, 0)).toBe(3);
    expect(await repositories.accounts.fillMissingSkeletons((key) => `skeleton-${key}`, 2)).toBe(0);
    expect((await repositories.accounts.findBySkeleton('skeleton-c'))?.usernameKey).toBe('c');
    expect((await repositories.accounts.findBySkeleton('alice'))?.id).toBe(aliceId);
  });

  it('takes a ticket attempt for at most the limit of racing codes, and ends a ticket once', async () => {
    const ticket = { ticketHash: Buffer.alloc(32, 7), userId: aliceId, createdAt: 1, expiresAt: 100, failures: 0 };
    await repositories.tickets.create(ticket, 100);
    const taken = await race(RACERS, () => repositories.tickets.takeAttempt(ticket.ticketHash, 50, 5));
    expect(taken.flatMap((live) => (live ? [live.failures] : [])).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(await repositories.tickets.findLive(ticket.ticketHash, 50, 5)).toBeNull();
    expect(await repositories.tickets.takeAttempt(ticket.ticketHash, 50, 6)).toMatchObject({ failures: 6 });
    expect(await repositories.tickets.takeAttempt(ticket.ticketHash, 100, 10)).toBeNull();

    const second = { ...ticket, ticketHash: Buffer.alloc(32, 8) };
    await repositories.tickets.create(second, 100);
    expect(trues(await race(RACERS, () => repositories.tickets.consume(second.ticketHash, 50)))).toBe(1);
    const late = { ...ticket, ticketHash: Buffer.alloc(32, 9) };
    await repositories.tickets.create(late, 100);
    expect(await repositories.tickets.consume(late.ticketHash, 100)).toBe(false);
    expect(await repositories.tickets.deleteExpired(100)).toBe(2);
    expect(await queryRows(storage, 'SELECT * FROM sign_in_tickets')).toEqual([]);
  });

  it('keeps the newest tickets of an account up to the bound, also when they are made at once', async () => {
    const ticket = (index: number) => ({
      ticketHash: Buffer.alloc(32, index + 1),
      userId: aliceId,
      createdAt: 1,
      expiresAt: 100,
      failures: 0,
    });
    await race(RACERS, (index) => repositories.tickets.create(ticket(index), 5));
    expect(await queryRows(storage, 'SELECT ticket_hash FROM sign_in_tickets')).toHaveLength(5);
    // Made one after another in the same millisecond, the newest always stays.
    for (let index = RACERS; index < RACERS + 10; index += 1) {
      await repositories.tickets.create(ticket(index), 5);
      expect(await repositories.tickets.findLive(ticket(index).ticketHash, 50, 5), `ticket ${index}`).not.toBeNull();
    }
    expect(await queryRows(storage, 'SELECT ticket_hash FROM sign_in_tickets')).toHaveLength(5);
  });

  it('takes set-up attempts for at most the limit of racing codes, and ends only a pending set-up', async () => {
    expect(await repositories.totp.savePending(aliceId, sealed('sealed'), 1000)).toBe(true);
    const taken = await race(RACERS, () => repositories.totp.takeSetupAttempt(aliceId, 500, 5));
    expect(taken.flatMap((credential) => (credential ? [credential.setupAttempts] : [])).sort()).toEqual([
      1, 2, 3, 4, 5,
    ]);
    expect(await repositories.totp.takeSetupAttempt(aliceId, 1000, 10)).toBeNull();
    // A new set-up starts with no attempts.
    expect(await repositories.totp.savePending(aliceId, sealed('again'), 2000)).toBe(true);
    expect(await repositories.totp.get(aliceId)).toMatchObject({ setupAttempts: 0 });
    await repositories.totp.endPending(aliceId);
    expect(await repositories.totp.get(aliceId)).toBeNull();
    await repositories.totp.savePending(aliceId, sealed('sealed'), 1000);
    expect(await repositories.totp.enable(aliceId, 500, 10)).toBe(true);
    expect(await repositories.totp.takeSetupAttempt(aliceId, 500, 5)).toBeNull();
    await repositories.totp.endPending(aliceId);
    expect(await repositories.totp.get(aliceId)).toMatchObject({ enabledAt: 500, setupAttempts: 0 });
  });

  it('reserves no more judgements than the limit for racing callers, per account and per address', async () => {
    const limits = repositories.attemptLimits;
    const byAccount = await race(RACERS, (index) =>
      limits.reserve(reservation(`a${index}`, 'alice', null), (state) =>
        state.account!.consecutiveFailures + state.account!.inFlight >= 5 ? 'full' : null,
      ),
    );
    expect(byAccount.filter((refusal) => refusal === null)).toHaveLength(5);
    const byAddress = await race(RACERS, (index) =>
      limits.reserve(reservation(`b${index}`, `name${index}`, '203.0.113.7'), (state) =>
        state.address!.failures + state.address!.inFlight >= 7 ? 'full' : null,
      ),
    );
    expect(byAddress.filter((refusal) => refusal === null)).toHaveLength(7);
    expect(await stateOf(limits, 'alice', '203.0.113.7')).toMatchObject({
      account: { inFlight: 5 },
      address: { inFlight: 7 },
      totalInFlight: 12,
    });
    // Expired reservations count for nothing, and the sweep deletes them.
    expect((await stateOf(limits, 'alice', '203.0.113.7', NOW + 30_000)).totalInFlight).toBe(0);
    expect(await limits.sweep({ now: NOW + 30_000, accountRetentionMs: 1, addressWindowMs: 1 })).toBe(12);
  });

  it('settles a reservation once: a failure counts for its account and address, a success clears', async () => {
    const limits = repositories.attemptLimits;
    expect(await limits.reserve(reservation('r1', 'alice', '203.0.113.7'), () => null)).toBeNull();
    const settled = await race(RACERS, () => limits.settleFailure('r1', failure(NOW + 1)));
    expect(settled.filter((outcome) => outcome.held)).toEqual([
      { held: true, account: { consecutiveFailures: 1, lockedUntil: 0, lockedUntilBefore: 0 } },
    ]);
    expect(await stateOf(limits, 'alice', '203.0.113.7')).toEqual({
      account: { consecutiveFailures: 1, lockedUntil: 0, inFlight: 0 },
      address: { windowStartedAt: NOW + 1, failures: 1, inFlight: 0 },
      totalInFlight: 0,
    });
    // A success without reset keeps the count; with it, clears it; a second settle holds nothing.
    await limits.reserve(reservation('r2', 'alice', null), () => null);
    expect(await limits.settleSuccess('r2', NOW, false)).toBe(true);
    expect((await stateOf(limits, 'alice', null)).account?.consecutiveFailures).toBe(1);
    await limits.reserve(reservation('r3', 'alice', null), () => null);
    expect(trues(await race(RACERS, () => limits.settleSuccess('r3', NOW, true)))).toBe(1);
    expect((await stateOf(limits, 'alice', null)).account?.consecutiveFailures).toBe(0);
    // An expired reservation is not held: nothing is counted.
    await limits.reserve(reservation('r4', 'alice', '203.0.113.7'), () => null);
    expect(await limits.settleFailure('r4', failure(NOW + 30_000))).toEqual({ held: false, account: null });
    expect((await stateOf(limits, 'alice', null)).account?.consecutiveFailures).toBe(0);
    // Released or forgotten reservations stop counting at once.
    await limits.reserve(reservation('r5', 'alice', null), () => null);
    await limits.reserve(reservation('r6', 'alice', null), () => null);
    await limits.release('r5');
    expect((await stateOf(limits, 'alice', null)).account?.inFlight).toBe(1);
    await limits.settleFailure('r6', failure(NOW));
    await limits.reserve(reservation('r7', 'alice', null), () => null);
    await limits.forgetAccount('alice');
    expect(await stateOf(limits, 'alice', null)).toMatchObject({
      account: { consecutiveFailures: 0, inFlight: 0 },
      totalInFlight: 0,
    });
  });

  it('judges an unstored reservation inside one transaction: counted as a stored one, never stored', async () => {
    const limits = repositories.attemptLimits;
    const unstored = { ...reservation('unused', 'alice', '203.0.113.7'), id: null };
    const keys = { usernameKey: 'alice', address: '203.0.113.7' };
    // Outside a transaction nothing would hold it: refused before anything is read or written.
    await expect(limits.reserve(unstored, () => null)).rejects.toThrow(/only inside transaction/);
    await storage.transactions.transaction(async () => {
      expect(await limits.reserve(unstored, () => null)).toBeNull();
      // Nothing stored: the keys show nothing in flight, within the transaction as after it.
      expect((await stateOf(limits, 'alice', '203.0.113.7')).totalInFlight).toBe(0);
      expect(await limits.settleFailure(keys, failure(NOW + 1))).toEqual({
        held: true,
        account: { consecutiveFailures: 1, lockedUntil: 0, lockedUntilBefore: 0 },
      });
    });
    expect(await stateOf(limits, 'alice', '203.0.113.7')).toEqual({
      account: { consecutiveFailures: 1, lockedUntil: 0, inFlight: 0 },
      address: { windowStartedAt: NOW + 1, failures: 1, inFlight: 0 },
      totalInFlight: 0,
    });
    // A success clears the account's count; one rolled back leaves it.
    await expect(
      storage.transactions.transaction(async () => {
        await limits.reserve(unstored, () => null);
        await limits.settleSuccess(keys, NOW, true);
        throw new Error('the sign-in failed after its judgement');
      }),
    ).rejects.toThrow('the sign-in failed');
    expect((await stateOf(limits, 'alice', null)).account?.consecutiveFailures).toBe(1);
    await storage.transactions.transaction(async () => {
      expect(await limits.reserve(unstored, () => null)).toBeNull();
      expect(await limits.settleSuccess(keys, NOW, true)).toBe(true);
    });
    expect((await stateOf(limits, 'alice', null)).account?.consecutiveFailures).toBe(0);
  });

  it('admits racing unstored judgements one at a time: the last place goes once', async () => {
    // Each racer judges in a transaction of its own and counts a failure; the admission allows
    // five failures. Held until its transaction commits, each judgement is seen by the next: on
    // PostgreSQL the racers run on separate connections and wait for the advisory locks.
    const limits = repositories.attemptLimits;
    const keys = { usernameKey: 'alice', address: '203.0.113.7' };
    const admitted = await race(RACERS, () =>
      storage.transactions.transaction(async () => {
        const refusal = await limits.reserve({ ...reservation('unused', 'alice', '203.0.113.7'), id: null }, (state) =>
          state.account!.consecutiveFailures + state.account!.inFlight >= 5 ? 'refused' : null,
        );
        if (refusal !== null) return false;
        await limits.settleFailure(keys, failure(NOW));
        return true;
      }),
    );
    expect(trues(admitted)).toBe(5);
    expect((await stateOf(limits, 'alice', '203.0.113.7')).account?.consecutiveFailures).toBe(5);
  });

  it('counts every racing failure per account and per address, and locks by the count', async () => {
    const limits = repositories.attemptLimits;
    for (let index = 0; index < RACERS; index += 1) {
      await limits.reserve(reservation(`f${index}`, 'alice', '203.0.113.7'), () => null);
    }
    const counts = await race(RACERS, (index) =>
      limits.settleFailure(`f${index}`, {
        ...failure(NOW),
        lockUntil: (failures) => (failures >= 5 ? NOW + failures * 1000 : 0),
      }),
    );
    expect(counts.map((count) => count.account!.consecutiveFailures).sort((a, b) => a - b)).toEqual(
      Array.from({ length: RACERS }, (_, index) => index + 1),
    );
    for (const { account } of counts) {
      expect(account!.lockedUntil).toBeGreaterThanOrEqual(
        account!.consecutiveFailures >= 5 ? NOW + account!.consecutiveFailures * 1000 : 0,
      );
    }
    expect(await stateOf(limits, 'alice', '203.0.113.7')).toEqual({
      account: { consecutiveFailures: RACERS, lockedUntil: NOW + RACERS * 1000, inFlight: 0 },
      address: { windowStartedAt: NOW, failures: RACERS, inFlight: 0 },
      totalInFlight: 0,
    });
    // A failure after the window has ended starts a new one.
    await limits.reserve(reservation('late', null, '203.0.113.7', NOW + 60_000), () => null);
    await limits.settleFailure('late', failure(NOW + 60_000));
    expect((await stateOf(limits, null, '203.0.113.7', NOW + 60_000)).address).toEqual({
      windowStartedAt: NOW + 60_000,
      failures: 1,
      inFlight: 0,
    });
  });

  it('spends a WebAuthn challenge once, and not after it expired', async () => {
    const challenge = {
      challenge: 'c1',
      purpose: 'passkey' as const,
      userId: null,
      ticketHash: null,
      createdAt: 1,
      expiresAt: 100,
      usedAt: null,
    };
    await repositories.challenges.insert(challenge, 5);
    expect(await repositories.challenges.find('c1')).toEqual(challenge);
    expect(trues(await race(RACERS, () => repositories.challenges.consume('c1', 50)))).toBe(1);
    expect((await repositories.challenges.find('c1'))?.usedAt).toBe(50);
    await repositories.challenges.insert(
      { ...challenge, challenge: 'c2', userId: aliceId, ticketHash: Buffer.alloc(32, 3) },
      5,
    );
    expect(await repositories.challenges.consume('c2', 100)).toBe(false);
    // A spent challenge stored once, whoever races to store it.
    const spent = { ...challenge, challenge: 'c3', usedAt: 60 };
    expect(trues(await race(RACERS, () => repositories.challenges.insertSpent(spent)))).toBe(1);
    expect(await repositories.challenges.find('c3')).toEqual(spent);
    expect(await repositories.challenges.deleteExpiredBefore(101)).toBe(3);
    expect(await repositories.challenges.find('c2')).toBeNull();
  });

  it('moves a signature counter forward once when uses race, and keeps one user handle', async () => {
    const key = await repositories.securityKeys.insert({
      userId: aliceId,
      credentialId: 'credential',
      publicKey: new Uint8Array([1, 2, 3]),
      counter: 5,
      transports: ['usb'],
      aaguid: '00000000-0000-0000-0000-000000000000',
      backupEligible: true,
      backupState: false,
      type: 'usb',
      name: 'Key',
      passkeyCapable: true,
      createdAt: 1,
    });
    expect(key).toMatchObject({ counter: 5, backupEligible: true, backupState: false, passkeyCapable: true });
    const uses = await race(RACERS, () =>
      repositories.securityKeys.recordUse(key!.id, { newCounter: 6, backupState: true, usedAt: 9 }),
    );
    expect(trues(uses)).toBe(1);
    expect(await repositories.securityKeys.findByCredentialId('credential')).toMatchObject({
      counter: 6,
      backupState: true,
      lastUsedAt: 9,
    });
    const handles = await race(RACERS, (index) =>
      repositories.securityKeys.userHandle(aliceId, () => Buffer.alloc(32, index)),
    );
    expect(new Set(handles.map((handle) => handle.toString('hex'))).size).toBe(1);
  });

  it('lists security events newest first, and sessions by their token hash', async () => {
    for (const [index, type] of (['account_created', 'signed_in', 'signed_out'] as const).entries()) {
      await repositories.securityEvents.add(aliceId, {
        type,
        at: index,
        ip: index ? '192.0.2.1' : null,
        userAgent: null,
      });
    }
    expect((await repositories.securityEvents.listRecent(aliceId, 2)).map((event) => event.type)).toEqual([
      'signed_out',
      'signed_in',
    ]);
    const session = {
      tokenHash: Buffer.alloc(32, 4),
      publicId: '0123456789abcdef0123456789abcdef',
      userId: aliceId,
      createdAt: 1,
      lastSeenAt: 1,
      expiresAt: 1000,
      ip: '192.0.2.1',
      userAgent: 'Test/1.0',
      signInMethod: 'totp' as const,
    };
    await repositories.sessions.create(session);
    await repositories.sessions.touch(session.tokenHash, 20, 0);
    const found = await repositories.sessions.findWithAccount(session.tokenHash);
    // What every request needs, and no more: the session's validity, the account without its hash.
    expect(found?.session).toEqual({ userId: aliceId, lastSeenAt: 20, expiresAt: 1000 });
    const { passwordHash, ...profile } = (await repositories.accounts.findById(aliceId))!;
    expect(passwordHash).toBeTruthy();
    expect(found?.account).toEqual(profile);
    expect(await repositories.accounts.findProfileById(aliceId)).toEqual(profile);
    expect(await repositories.accounts.findProfileById(aliceId + 1000)).toBeNull();
    expect((await repositories.sessions.listLive(aliceId, 500, 0))[0]).toEqual({ ...session, lastSeenAt: 20 });
    expect(await repositories.sessions.deleteExpired(500, 19)).toBe(0);
    expect(await repositories.sessions.findWithAccount(session.tokenHash)).not.toBeNull();
    expect(await repositories.sessions.deleteExpired(500, 20)).toBe(1);
    expect(await repositories.sessions.findWithAccount(session.tokenHash)).toBeNull();
  });

  it('tells which keys enabled TOTP secrets and unused backup codes name, and labels those that name none', async () => {
    const { accounts, backupCodes, secretKeyUse, totp } = repositories;
    const bob = (await accounts.create({ ...alice, username: 'bob', usernameKey: 'bob', usernameSkeleton: 'bob' }))!;
    const carol = (await accounts.create({
      ...alice,
      username: 'carol',
      usernameKey: 'carol',
      usernameSkeleton: 'carol',
    }))!;
    expect(await secretKeyUse.keyIdsInUse()).toEqual([]);
    await totp.savePending(aliceId, { sealed: Buffer.from('a'), keyId: 'key-a' }, 100);
    await totp.enable(aliceId, 50, 1);
    await backupCodes.replaceAll(aliceId, [Buffer.alloc(32, 1), Buffer.alloc(32, 2)], 'key-a', 50);
    await backupCodes.replaceAll(bob.id, [Buffer.alloc(32, 3)], 'key-b', 50);
    // Neither a pending set-up nor a spent code needs its key any more.
    await totp.savePending(carol.id, { sealed: Buffer.from('c'), keyId: 'key-c' }, 100);
    await backupCodes.replaceAll(carol.id, [Buffer.alloc(32, 4)], 'key-d', 50);
    await backupCodes.consume(carol.id, [{ keyId: 'key-d', codeHash: Buffer.alloc(32, 4) }], 60);
    expect((await secretKeyUse.keyIdsInUse()).sort()).toEqual(['key-a', 'key-b']);
    expect(await secretKeyUse.usage()).toEqual([
      { keyId: 'key-a', totpSecrets: 1, backupCodeAccounts: 1 },
      { keyId: 'key-b', totpSecrets: 0, backupCodeAccounts: 1 },
    ]);
    // Rows from before key ids: counted under null, then labelled (enabled and unused ones only).
    await queryRows(storage, 'UPDATE totp_credentials SET key_id = NULL');
    await queryRows(storage, 'UPDATE backup_codes SET key_id = NULL');
    expect(await secretKeyUse.keyIdsInUse()).toEqual([]);
    expect(await secretKeyUse.usage()).toEqual([{ keyId: null, totpSecrets: 1, backupCodeAccounts: 2 }]);
    expect(await secretKeyUse.labelUnlabeled('key-e')).toBe(4);
    expect(await secretKeyUse.labelUnlabeled('key-f')).toBe(0);
    expect(await secretKeyUse.keyIdsInUse()).toEqual(['key-e']);
  });

  it('touches a live session forward only: never back, never one that ended', async () => {
    const session = {
      tokenHash: Buffer.alloc(32, 5),
      publicId: 'fedcba9876543210fedcba9876543210',
      userId: aliceId,
      createdAt: 1,
      lastSeenAt: 100,
      expiresAt: 1000,
      ip: null,
      userAgent: null,
      signInMethod: 'password' as const,
    };
    await repositories.sessions.create(session);
    const lastSeen = async () => (await repositories.sessions.findWithAccount(session.tokenHash))?.session.lastSeenAt;
    // Two processes touch at once, the later clock first: the time stays at the later one.
    await race(RACERS, (index) => repositories.sessions.touch(session.tokenHash, index % 2 ? 300 : 200, 0));
    expect(await lastSeen()).toBe(300);
    await repositories.sessions.touch(session.tokenHash, 250, 0);
    expect(await lastSeen()).toBe(300);
    // Idle since before idleSince, or past its absolute end: the touch changes nothing.
    await repositories.sessions.touch(session.tokenHash, 400, 300);
    expect(await lastSeen()).toBe(300);
    await repositories.sessions.touch(session.tokenHash, 1000, 0);
    expect(await lastSeen()).toBe(300);
    // Ended (signed out on another instance): the touch does not bring it back.
    await repositories.sessions.delete(session.tokenHash);
    await repositories.sessions.touch(session.tokenHash, 500, 0);
    expect(await repositories.sessions.findWithAccount(session.tokenHash)).toBeNull();
  });

  it('rolls back every write of a failed transaction, nested calls included', async () => {
    const failing = storage.transactions.transaction(async () => {
      await repositories.accounts.create({
        username: 'carol',
        usernameKey: 'carol',
        usernameSkeleton: 'carol',
        passwordHash: 'h',
        createdAt: 3,
      });
      await storage.transactions.transaction(() =>
        repositories.securityEvents.add(aliceId, { type: 'signed_in', at: 3, ip: null, userAgent: null }),
      );
      throw new Error('refused');
    });
    await expect(failing).rejects.toThrow('refused');
    expect(await repositories.accounts.findByKey('carol')).toBeNull();
    expect(await repositories.securityEvents.listRecent(aliceId, 10)).toEqual([]);
  });

  it('runs transactions that lock one account one after another', async () => {
    // Each reads how many events there are, pauses, then adds one numbered after what it read.
    const readPauseWrite = (userId: number) =>
      storage.transactions.transaction(async () => {
        await storage.transactions.lockAccount(userId);
        const seen = (await repositories.securityEvents.listRecent(userId, 100)).length;
        await new Promise((resolve) => setTimeout(resolve, 20));
        await repositories.securityEvents.add(userId, { type: 'signed_in', at: seen, ip: null, userAgent: null });
      });
    await race(5, () => readPauseWrite(aliceId));
    const numbers = (await repositories.securityEvents.listRecent(aliceId, 100)).map((event) => event.at);
    expect(numbers.sort()).toEqual([0, 1, 2, 3, 4]);
    await expect(storage.transactions.lockAccount(aliceId)).rejects.toThrow(/only inside transaction/);
  });
});

describePostgres('attempt reservations shared by several server processes', () => {
  let opened: TestStorage;
  afterEach(() => opened.close());

  it('no two instances together reserve more than the limit for one account or address', async () => {
    opened = await openTestStorage(postgresBackend());
    const instances = [opened.storage, await opened.openAgain(), await opened.openAgain()];
    const reserved = await race(RACERS * 3, (index) =>
      instances[index % instances.length]!.repositories.attemptLimits.reserve(
        reservation(`i${index}`, index % 2 ? 'alice' : 'bob', '203.0.113.7'),
        (state) =>
          state.account!.consecutiveFailures + state.account!.inFlight >= 5 ||
          state.address!.failures + state.address!.inFlight >= 8
            ? 'full'
            : null,
      ),
    );
    expect(reserved.filter((refusal) => refusal === null)).toHaveLength(8);
    const state = await stateOf(instances[1]!.repositories.attemptLimits, 'alice', '203.0.113.7');
    expect(state.account!.inFlight).toBeLessThanOrEqual(5);
    expect(state.address!.inFlight).toBe(8);
  });
});
