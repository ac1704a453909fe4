// The benchmark's seeding writes accounts the real server accepts, on SQLite and on PostgreSQL: sessions for /me, passwords,
// TOTP secrets it decrypts, backup codes whose HMACs it recognises and tickets it honours. The
// requests are the ones the load generator sends (http-scenarios.ts), here one at a time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestSource, type BenchRequest } from '../../bench/lib/http-scenarios.js';
import {
  hasSession,
  hasTwoFactor,
  meAccount,
  passwordAccount,
  secondFactorAccount,
  sessionCount,
  twoFactorCount,
} from '../../bench/lib/population.js';
import { seedPostgres } from '../../bench/lib/postgres.js';
import { seedDataDir, type SeedReport } from '../../bench/lib/seed.js';
import { describeEachBackend, queryRows } from '../support/backends.js';
import { FakeClock } from '../support/fake-clock.js';
import type { TestClient } from '../support/http-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const ACCOUNTS = 40;
const TICKETS = 6;

describe('benchmark population', () => {
  it('picks /me sessions, password accounts and second-factor accounts where the seeding put them', () => {
    for (let i = 0; i < 500; i++) {
      expect(hasSession(meAccount(i, 1_000_000))).toBe(true);
      expect(meAccount(i, 1_000_000)).toBeLessThanOrEqual(1_000_000);
      const password = passwordAccount(i, 1000);
      expect(hasTwoFactor(password)).toBe(false);
      expect(password).toBeGreaterThanOrEqual(1);
      expect(password).toBeLessThanOrEqual(1000);
    }
    // Every ticket of a run goes to a different two-factor account until all have had one.
    const count = twoFactorCount(1000);
    const picked = new Set(Array.from({ length: count }, (_, k) => secondFactorAccount(k, 1000)));
    expect(picked.size).toBe(count);
    expect([...picked].every(hasTwoFactor)).toBe(true);
  });
});

describeEachBackend('seeded database behind the real server', (backend) => {
  let dataDir: string;
  let seeded: SeedReport;
  let server: TestServer;
  let client: TestClient;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'latchkey-bench-seed-'));
    const options = { dataDir, accounts: ACCOUNTS, totpTickets: TICKETS, backupCodeTickets: TICKETS };
    const database = await backend.freshDatabase();
    // SQLite: the data folder's file, as `npm run bench` seeds it; PostgreSQL: through the
    // server's storage seam, as the benchmark's PostgreSQL rows seed it.
    const url = database.args[database.args.indexOf('--database-url') + 1];
    seeded = url ? await seedPostgres(url, options) : await seedDataDir(options);
    // The load generator computes TOTP codes from the real time; the server's clock starts there.
    server = await startTestServer({ dataDir, database, clock: new FakeClock(Date.now()) });
    client = server.client();
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const send = (request: BenchRequest) => {
    const options = { headers: request.headers, noCookie: true };
    return request.method === 'GET'
      ? client.get(request.path, options)
      : client.post(request.path, JSON.parse(request.body!), options);
  };

  it('writes the population in the server’s own schema', async () => {
    expect(seeded).toMatchObject({
      accounts: ACCOUNTS,
      twoFactorAccounts: twoFactorCount(ACCOUNTS),
      sessions: sessionCount(ACCOUNTS),
      totpTickets: twoFactorCount(ACCOUNTS),
      backupCodeTickets: TICKETS,
    });
    const { storage } = server.server;
    const count = async (table: string) =>
      Number(Object.values((await queryRows(storage, `SELECT count(*) AS n FROM ${table}`))[0]!)[0]);
    expect(await count('users')).toBe(ACCOUNTS);
    expect(await count('sessions')).toBe(sessionCount(ACCOUNTS));
    expect(await count('totp_credentials')).toBe(twoFactorCount(ACCOUNTS));
    expect(await count('backup_codes')).toBe(10 * twoFactorCount(ACCOUNTS));
    expect(await count('sign_in_tickets')).toBe(twoFactorCount(ACCOUNTS) + TICKETS);
    // Secrets at rest as the server keeps them: no TOTP secret or backup code in clear.
    const hashes = await queryRows<{ password_hash: string }>(storage, 'SELECT DISTINCT password_hash FROM users');
    expect(hashes).toHaveLength(1);
    expect(hashes[0]!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('answers GET /api/v1/me for a seeded session', async () => {
    const source = requestSource('me', ACCOUNTS);
    for (const i of [0, 1, 2]) {
      const response = await send(source.request(i));
      expect(response.status).toBe(200);
      expect(source.accepts(response.text)).toBe(true);
    }
  });

  it('signs in with the seeded password', async () => {
    const source = requestSource('password', ACCOUNTS);
    const response = await send(source.request(0));
    expect(response.status).toBe(200);
    expect(response.json.status).toBe('signed_in');
  });

  it('completes seeded tickets with a TOTP code, once each', async () => {
    const source = requestSource('totp', ACCOUNTS, TICKETS, TICKETS);
    expect(source.capacity).toBe(twoFactorCount(ACCOUNTS));
    for (let k = 0; k < source.capacity; k++) {
      const response = await send(source.request(k));
      expect(response.status, response.text).toBe(200);
      expect(source.accepts(response.text)).toBe(true);
    }
    const replay = await send(source.request(0));
    expect(replay.status).toBe(401);
  });

  it('completes seeded tickets with backup codes, each code once', async () => {
    const source = requestSource('backup-code', ACCOUNTS, TICKETS, TICKETS);
    expect(source.capacity).toBe(TICKETS);
    for (let k = 0; k < TICKETS; k++) {
      const response = await send(source.request(k));
      expect(response.status, response.text).toBe(200);
      // Tickets 0–3 use each account's first code, 4–5 the second code of the first two.
      expect(response.json.backupCodesRemaining).toBe(k < twoFactorCount(ACCOUNTS) ? 9 : 8);
    }
  });
});
