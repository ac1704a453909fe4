// The peer of `npm run bench -- --peer`: better-auth seeded with the benchmark population, run as
// its own process exactly as the benchmark runs it, answering the requests the load generator
// sends (bench/peer/scenarios.ts) one at a time — and refusing what it must refuse, so the rows
// measure real work.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer, BenchRequest, RequestSource } from '../../bench/lib/http-scenarios.js';
import { hasTwoFactor, meAccount, passwordAccount, peerEmail, twoFactorCount } from '../../bench/lib/population.js';
import { startNode, type RunningProcess } from '../../bench/lib/processes.js';
import { PEER_BASE_PATH } from '../../bench/peer/better-auth-config.js';
import { cookiesSet, peerRequestSource } from '../../bench/peer/scenarios.js';
import { seedPeerDatabase, type PeerSeedReport } from '../../bench/peer/seed-peer.js';

const ACCOUNTS = 60;

describe('better-auth as the benchmark peer', () => {
  let folder: string;
  let file: string;
  let seeded: PeerSeedReport;
  let peer: RunningProcess;
  let origin: string;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'latchkey-bench-peer-'));
    file = join(folder, 'better-auth.db');
    seeded = await seedPeerDatabase({ file, accounts: ACCOUNTS });
    peer = await startNode(['--import', 'tsx', 'bench/peer/server.ts', file, '0'], /peer listening/);
    origin = /peer listening on (\S+)/.exec(peer.output())![1]!;
  });
  afterAll(async () => {
    await peer?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  const send = async (request: BenchRequest): Promise<Answer & { status: number }> => {
    const response = await fetch(`${origin}${request.path}`, {
      method: request.method,
      headers: request.headers,
      ...(request.body ? { body: request.body } : {}),
    });
    return {
      status: response.status,
      body: await response.text(),
      headers: { 'set-cookie': response.headers.getSetCookie() },
    };
  };
  const source = (scenario: Parameters<typeof peerRequestSource>[0]): Promise<RequestSource> =>
    peerRequestSource(scenario, origin, ACCOUNTS);

  it('holds the population in its own schema, with the same hash and durability as Latchkey', () => {
    expect(seeded).toMatchObject({ accounts: ACCOUNTS, twoFactorAccounts: twoFactorCount(ACCOUNTS), sessions: 6 });
    const db = new SqliteDatabase(file, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const hashes = db.prepare('SELECT DISTINCT password FROM account').pluck().all() as string[];
      expect(hashes).toHaveLength(1);
      expect(hashes[0]).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(db.prepare('SELECT count(*) FROM "twoFactor"').pluck().get()).toBe(twoFactorCount(ACCOUNTS));
      // Its TOTP secrets are stored encrypted, as its plugin stores them.
      const secrets = db.prepare('SELECT secret FROM "twoFactor"').pluck().all() as string[];
      expect(secrets.every((secret) => /^[0-9a-f]{60,}$/.test(secret))).toBe(true);
    } finally {
      db.close();
    }
  });

  it('looks up the seeded sessions from their signed cookies, and no unsigned one', async () => {
    const sessions = await source('peer-session');
    for (const i of [0, 1, 2]) {
      const answer = await send(sessions.request(i));
      expect(answer.status).toBe(200);
      expect(sessions.accepts(answer.body)).toBe(true);
      expect(answer.body).toContain(peerEmail(meAccount(i, ACCOUNTS)));
    }
    const forged = sessions.request(0);
    forged.headers.cookie = forged.headers.cookie!.replace(/\.[^.]*$/, '.forged');
    const refused = await send(forged);
    expect(sessions.accepts(refused.body)).toBe(false);
  });

  it('signs in with the seeded password', async () => {
    const passwords = await source('peer-password');
    const answer = await send(passwords.request(0));
    expect(answer.status).toBe(200);
    expect(passwords.accepts(answer.body)).toBe(true);
    expect(hasTwoFactor(passwordAccount(0, ACCOUNTS))).toBe(false);
    const wrong = await send({ ...passwords.request(0), body: passwords.request(0).body!.replace('bench-', 'wrong-') });
    expect(wrong.status).toBe(401);
  });

  it('signs in in two steps: the password, then the TOTP code for the cookie it set', async () => {
    const twoStep = await source('peer-two-step');
    const first = await send(twoStep.request(0));
    expect(first.status).toBe(200);
    expect(twoStep.accepts(first.body, first.headers)).toBe(true);
    expect(cookiesSet(first.headers)).toMatch(/^better-auth\.two_factor=/);
    const second = await send(twoStep.followUp!.request(0, first));
    expect(second.status, second.body).toBe(200);
    expect(twoStep.followUp!.accepts(second.body)).toBe(true);
  });

  it('refuses a TOTP code of another secret', async () => {
    const twoStep = await source('peer-two-step');
    const first = await send(twoStep.request(1));
    const second = twoStep.followUp!.request(1, first);
    // The code of the next account: a six-digit code, but not this account's.
    const other = twoStep.followUp!.request(2, await send(twoStep.request(2)));
    const wrong = await send({ ...second, body: other.body! });
    expect(wrong.status).toBe(401);
    expect(`${PEER_BASE_PATH}/two-factor/verify-totp`).toBe(second.path);
  });
});
