// The server-ready probe of `npm run bench`: process start → first 200, against the real built
// server on a seeded data folder and against the bare Node server it is compared with; and the
// probe's rule that only a 200 counts as ready.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstOk, REPO_ROOT } from '../../bench/lib/processes.js';
import { seedDataDir } from '../../bench/lib/seed.js';
import { importMilliseconds, medianTimeToFirstOk, timeToFirstOk } from '../../bench/lib/server-ready.js';
import { buildServer } from '../support/build-server.js';

const listen = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );

describe('server-ready probe', () => {
  let dataDir: string;

  beforeAll(async () => {
    // The probe times the built server: bring the build up to date.
    const built = buildServer();
    expect(built.status, built.output).toBe(0);
    dataDir = mkdtempSync(join(tmpdir(), 'latchkey-bench-ready-'));
    await seedDataDir({ dataDir, accounts: 20, totpTickets: 0, backupCodeTickets: 0 });
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('times the built server from its start to its first 200 on the seeded folder, then stops it', async () => {
    const probe = createServer();
    const port = await listen(probe);
    await new Promise((resolve) => probe.close(resolve));
    const args = ['build/server/main.js', '--port', String(port), '--data-dir', dataDir, '--log-level', 'warn'];
    const health = `http://127.0.0.1:${port}/api/v1/health`;
    const { medianMs, samplesMs } = await medianTimeToFirstOk(args, health, 2);
    expect(samplesMs).toHaveLength(2);
    expect(medianMs).toBeGreaterThan(0);
    // Stopped after each start: the port is free again for the next one.
    expect(await timeToFirstOk(args, health)).toBeGreaterThan(0);
    await expect(fetch(health)).rejects.toThrow();
  });

  it('times the bare Node server the same way', async () => {
    const probe = createServer();
    const port = await listen(probe);
    await new Promise((resolve) => probe.close(resolve));
    const ms = await timeToFirstOk(['bench/bare-node-server.mjs', String(port)], `http://127.0.0.1:${port}/`);
    expect(ms).toBeGreaterThan(0);
  });

  it('counts only a 200 as ready', async () => {
    let asked = 0;
    const starting = createServer((_request, response) => {
      asked++;
      response.writeHead(asked < 4 ? 503 : 200).end();
    });
    const port = await listen(starting);
    try {
      await firstOk(`http://127.0.0.1:${port}/`);
      expect(asked).toBe(4);
    } finally {
      await new Promise((resolve) => starting.close(resolve));
    }
  });

  it('gives up on a process that will never answer when told to stop asking', async () => {
    let stop = false;
    setTimeout(() => (stop = true), 50);
    await expect(firstOk('http://127.0.0.1:9/', () => stop)).rejects.toThrow(/Stopped waiting/);
  });

  it('times the import of the built app module in a fresh process', () => {
    expect(importMilliseconds(join(REPO_ROOT, 'build/server/app.js'))).toBeGreaterThan(1);
  });
});
