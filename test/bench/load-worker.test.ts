// The load generator as `npm run bench` runs it: a separate process driving autocannon against a
// real server, one JSON line per run; and the orchestrator's loud stop when any request fails.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadSpec, RunResult } from '../../bench/lib/load-protocol.js';
import { BenchFailure, collectRuns } from '../../bench/lib/measure.js';
import { runNode } from '../../bench/lib/processes.js';
import { seedDataDir } from '../../bench/lib/seed.js';
import { FakeClock } from '../support/fake-clock.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const ACCOUNTS = 200;

describe('load worker', () => {
  let dataDir: string;
  let server: TestServer;
  let spec: LoadSpec;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'latchkey-bench-worker-'));
    await seedDataDir({ dataDir, accounts: ACCOUNTS, totpTickets: 20, backupCodeTickets: 20 });
    server = await startTestServer({ dataDir, clock: new FakeClock(Date.now()) });
    const address = server.server.app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    spec = {
      origins: [`http://127.0.0.1:${port}`],
      scenario: 'me',
      accounts: ACCOUNTS,
      totpTickets: 20,
      backupCodeTickets: 20,
      connections: 4,
      warmupSeconds: 0.2,
      runSeconds: 0.3,
      runs: 2,
    };
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const runWorker = async (overrides: Partial<LoadSpec>): Promise<RunResult[]> => {
    const lines: RunResult[] = [];
    await runNode(['--import', 'tsx', 'bench/load-worker.ts', JSON.stringify({ ...spec, ...overrides })], (line) =>
      lines.push(JSON.parse(line) as RunResult),
    );
    return lines;
  };

  it('prints a warm-up and each run, with rates and latencies of correct answers only', async () => {
    const runs = await runWorker({});
    expect(runs.map((run) => run.warmup)).toEqual([true, false, false]);
    for (const run of runs) {
      expect(run.errors).toBe(0);
      expect(run.completed).toBeGreaterThan(0);
      expect(run.requestsPerSecond).toBeCloseTo(run.completed / run.seconds, 5);
      expect(run.p50Ms).toBeGreaterThan(0);
      expect(run.p99Ms).toBeGreaterThanOrEqual(run.p50Ms);
    }
  });

  it('never sends a single-use ticket twice, and stops at what the seeding allows', async () => {
    const runs = await runWorker({ scenario: 'totp', runs: 1 });
    // 20 two-factor accounts, one TOTP sign-in each: half for the warm-up, half for the run.
    expect(runs.map((run) => run.completed)).toEqual([10, 10]);
    expect(runs.every((run) => run.errors === 0)).toBe(true);
  });

  it('counts whole two-step sign-ins: the password, then a TOTP code for the ticket it gave', async () => {
    // Accounts of their own: the TOTP rows above have used this time step of the others'.
    const folder = mkdtempSync(join(tmpdir(), 'latchkey-bench-two-step-'));
    await seedDataDir({ dataDir: folder, accounts: 2000, totpTickets: 0, backupCodeTickets: 0 });
    const fresh = await startTestServer({ dataDir: folder, clock: new FakeClock(Date.now()) });
    let runs: RunResult[];
    try {
      const address = fresh.server.app.server.address();
      const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      runs = await runWorker({ origins: [origin], accounts: 2000, scenario: 'two-step', connections: 2, runs: 1 });
    } finally {
      await fresh.close();
      rmSync(folder, { recursive: true, force: true });
    }
    expect(runs.map((run) => run.errors)).toEqual([0, 0]);
    for (const run of runs) {
      expect(run.completed).toBeGreaterThan(0);
      // Each sign-in is two requests, and one argon2id hash: its time is that of the whole.
      expect(run.p50Ms).toBeGreaterThan(1);
    }
  });

  it('says so when two-step sign-ins run out of two-factor accounts within one TOTP step', async () => {
    // 20 two-factor accounts: the load comes round to one again within the same 30 s step, and
    // the server refuses the code it has already accepted once.
    const failure = collectRuns('two-step on too few accounts', [
      'bench/load-worker.ts',
      JSON.stringify({ ...spec, scenario: 'two-step', connections: 4, warmupSeconds: 0, runSeconds: 2.5, runs: 1 }),
    ]);
    await expect(failure).rejects.toThrow(/went through all 20 two-factor accounts within one 30-second TOTP step/);
  });

  it('shares the connections among several origins and adds up their answers', async () => {
    const origin = spec.origins[0]!;
    const both = await runWorker({ origins: [origin, origin], connections: 4, runs: 1 });
    expect(both.every((run) => run.errors === 0 && run.completed > 0)).toBe(true);
    // A second origin where nothing listens: the connections sent there fail the run.
    const closed = await runWorker({ origins: [origin, 'http://127.0.0.1:9'], connections: 4, runs: 1 });
    expect(closed[0]!.errors).toBeGreaterThan(0);
    expect(closed[0]!.firstError).toMatch(/connection errors/);
  });

  it('stops the benchmark loudly, naming the first failure', async () => {
    // Another population size: the session tokens it derives were never seeded.
    const wrong = JSON.stringify({ ...spec, accounts: 7_000, runs: 1 });
    const failure = collectRuns('GET /me with unknown sessions', ['bench/load-worker.ts', wrong]);
    await expect(failure).rejects.toBeInstanceOf(BenchFailure);
    await expect(failure).rejects.toThrow(/requests failed\. First failure: HTTP 401: .*unauthenticated/);
  });
});
