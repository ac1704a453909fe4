// Every repository's atomic promises, on each backend, with racing callers: on PostgreSQL the
// calls run on separate pooled connections at once, so a guarantee that leaned on SQLite's single
// writer would show here. Each test starts from a fresh database.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Repositories, Storage } from '../../../server/storage.js';
import { describeEachBackend, openTestStorage, queryRows, type TestStorage } from '../../support/backends.js';

const RACERS = 20;

/** Starts `count` calls at once and waits for all of them. */
function race<T>(count: number, call: (index: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => call(index)));
}

const trues = (results: boolean[]) => results.filter(Boolean).length;

describeEachBackend('repositories under racing callers', (backend) => {
  let opened: TestStorage;
  let storage: Storage;
  let repositories: Repositories;
  let aliceId: number;

  beforeEach(async () => {
    opened = await openTestStorage(backend);
    storage = opened.storage;
    repositories = storage.repositories;
    const alice = await repositories.accounts.create({
      username: 'Alice',
      usernameKey: 'alice',
      passwordHash: 'hash',
      createdAt: 1,
    });
    aliceId = alice!.id;
  });
  afterEach(() => opened.close());

  it('creates one account per username key; the others get null', async () => {
    const results = await race(RACERS, (index) =>
      repositories.accounts.create({ username: `Bob${index}`, usernameKey: 'bob', passwordHash: 'h', createdAt: 2 }),
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
    await repositories.backupCodes.replaceAll(aliceId, codes, 5);
    const spent = await race(RACERS, () => repositories.backupCodes.consume(aliceId, codes[3]!, 6));
    expect(trues(spent)).toBe(1);
    expect(await repositories.backupCodes.countRemaining(aliceId)).toBe(9);
    expect(await repositories.backupCodes.consume(aliceId, Buffer.alloc(32, 99), 7)).toBe(false);
  });

  it('replaces the whole set when replacements race: ten codes of one set remain', async () => {
    const sets = Array.from({ length: 6 }, (_, set) =>
      Array.from({ length: 10 }, (_, index) => Buffer.alloc(32, set * 16 + index + 1)),
    );
    await race(sets.length, (set) =>
      storage.transactions.transaction(() => repositories.backupCodes.replaceAll(aliceId, sets[set]!, 10 + set)),
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
    expect(await repositories.totp.savePending(aliceId, Buffer.from('sealed'), 1000)).toBe(true);
    const enabled = await race(5, () => repositories.totp.enable(aliceId, 500, 10));
    expect(trues(enabled)).toBe(1);
    expect(await repositories.totp.savePending(aliceId, Buffer.from('other'), 2000)).toBe(false);
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

  it('ends a ticket once, and counts every racing failure', async () => {
    const ticket = { ticketHash: Buffer.alloc(32, 7), userId: aliceId, createdAt: 1, expiresAt: 100, failures: 0 };
    await repositories.tickets.create(ticket);
    await race(4, () => repositories.tickets.addFailure(ticket.ticketHash, 5));
    expect(await repositories.tickets.findLive(ticket.ticketHash, 50, 5)).toMatchObject({ failures: 4 });
    await race(3, () => repositories.tickets.addFailure(ticket.ticketHash, 5));
    expect(await repositories.tickets.findLive(ticket.ticketHash, 50, 5)).toBeNull();
    expect(await queryRows(storage, 'SELECT * FROM sign_in_tickets')).toEqual([]);

    const second = { ...ticket, ticketHash: Buffer.alloc(32, 8) };
    await repositories.tickets.create(second);
    expect(trues(await race(RACERS, () => repositories.tickets.consume(second.ticketHash, 50, 5)))).toBe(1);
    const late = { ...ticket, ticketHash: Buffer.alloc(32, 9) };
    await repositories.tickets.create(late);
    expect(await repositories.tickets.consume(late.ticketHash, 100, 5)).toBe(false);
    await repositories.tickets.deleteExpired(100);
    expect(await queryRows(storage, 'SELECT * FROM sign_in_tickets')).toEqual([]);
  });

  it('counts every racing failure per account and per address, and locks by the count', async () => {
    const counts = await race(RACERS, () =>
      repositories.attemptLimits.addAccountFailure('alice', 1000, (failures) => (failures >= 5 ? failures * 1000 : 0)),
    );
    expect(counts.map((count) => count.consecutiveFailures).sort((a, b) => a - b)).toEqual(
      Array.from({ length: RACERS }, (_, index) => index + 1),
    );
    for (const count of counts) {
      expect(count.lockedUntil).toBeGreaterThanOrEqual(
        count.consecutiveFailures >= 5 ? count.consecutiveFailures * 1000 : 0,
      );
    }
    expect(await repositories.attemptLimits.getAccount('alice')).toEqual({
      consecutiveFailures: RACERS,
      lockedUntil: RACERS * 1000,
    });
    await repositories.attemptLimits.resetAccount('alice');
    expect(await repositories.attemptLimits.getAccount('alice')).toBeNull();

    await race(RACERS, () => repositories.attemptLimits.addAddressFailure('203.0.113.7', 1000, 60_000));
    expect(await repositories.attemptLimits.getAddress('203.0.113.7')).toEqual({
      windowStartedAt: 1000,
      failures: RACERS,
    });
    expect(await repositories.attemptLimits.addAddressFailure('203.0.113.7', 61_000, 60_000)).toEqual({
      windowStartedAt: 61_000,
      failures: 1,
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
    await repositories.challenges.insert(challenge);
    expect(await repositories.challenges.find('c1')).toEqual(challenge);
    expect(trues(await race(RACERS, () => repositories.challenges.consume('c1', 50)))).toBe(1);
    expect((await repositories.challenges.find('c1'))?.usedAt).toBe(50);
    await repositories.challenges.insert({
      ...challenge,
      challenge: 'c2',
      userId: aliceId,
      ticketHash: Buffer.alloc(32, 3),
    });
    expect(await repositories.challenges.consume('c2', 100)).toBe(false);
    await repositories.challenges.deleteExpiredBefore(101);
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
    const session = { tokenHash: Buffer.alloc(32, 4), userId: aliceId, createdAt: 1, lastSeenAt: 1, expiresAt: 1000 };
    await repositories.sessions.create(session);
    await repositories.sessions.touch(session.tokenHash, 20);
    expect(await repositories.sessions.find(session.tokenHash)).toEqual({ ...session, lastSeenAt: 20 });
    await repositories.sessions.deleteExpired(500, 19);
    expect(await repositories.sessions.find(session.tokenHash)).not.toBeNull();
    await repositories.sessions.deleteExpired(500, 20);
    expect(await repositories.sessions.find(session.tokenHash)).toBeNull();
  });

  it('rolls back every write of a failed transaction, nested calls included', async () => {
    const failing = storage.transactions.transaction(async () => {
      await repositories.accounts.create({ username: 'carol', usernameKey: 'carol', passwordHash: 'h', createdAt: 3 });
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
