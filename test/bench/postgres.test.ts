// The benchmark's own PostgreSQL: a private cluster like the tests' (test/support/postgres), but
// durable as a production database — its rows are compared with SQLite's synchronous=FULL; and the
// PostgreSQL rows' baseline server, which must read what the server reads, not answer a fixed body.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { expect, it } from 'vitest';
import { meAccount, sessionToken, username } from '../../bench/lib/population.js';
import { DURABLE_SETTINGS, seedPostgres, startBenchPostgres } from '../../bench/lib/postgres.js';
import { startNode } from '../../bench/lib/processes.js';
import { describePostgres } from '../support/backends.js';
import { buildServer } from '../support/build-server.js';

describePostgres('benchmark PostgreSQL cluster', () => {
  it('commits to disk before it answers, and offers an empty database', async () => {
    const postgres = await startBenchPostgres();
    if (typeof postgres === 'string') throw new Error(postgres);
    try {
      const client = new pg.Client({ connectionString: postgres.databaseUrl });
      await client.connect();
      try {
        for (const [name, value] of Object.entries(DURABLE_SETTINGS)) {
          const { rows } = await client.query<Record<string, string>>(`SHOW ${name}`);
          expect(rows[0]![name], name).toBe(value);
        }
        const { rows } = await client.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'");
        expect(rows[0]!.n).toBe(0);
      } finally {
        await client.end();
      }
    } finally {
      postgres.stop();
    }
  });

  it('answers the /me load from the database through pg, as the server reads it (the baseline server)', async () => {
    // It imports its SQL from the built server.
    const built = buildServer();
    expect(built.status, built.output).toBe(0);
    const postgres = await startBenchPostgres();
    if (typeof postgres === 'string') throw new Error(postgres);
    const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-pg-baseline-'));
    try {
      const accounts = 200;
      await seedPostgres(postgres.databaseUrl, { dataDir, accounts, totpTickets: 0, backupCodeTickets: 0 });
      const server = await startNode(
        ['bench/pg-baseline-server.mjs', '0', postgres.databaseUrl],
        /pg baseline listening/,
      );
      try {
        const port = /pg baseline listening on (\d+)/.exec(server.output())?.[1];
        expect(port).toBeDefined();
        const me = (token: string) =>
          fetch(`http://127.0.0.1:${port}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
        for (const i of [0, 1, 7]) {
          const userId = meAccount(i, accounts);
          const answer = await me(sessionToken(userId));
          expect(answer.status).toBe(200);
          const body = (await answer.json()) as { user: { id: number; username: string }; twoFactor: object };
          expect(body.user).toMatchObject({ id: userId, username: username(userId) });
          expect(body.twoFactor).toHaveProperty('backupCodesRemaining');
        }
        expect((await me(sessionToken(accounts + 5))).status).toBe(401);
      } finally {
        await server.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      postgres.stop();
    }
  }, 120_000);
});
