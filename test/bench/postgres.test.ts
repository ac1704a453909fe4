// The benchmark's own PostgreSQL: a private cluster like the tests' (test/support/postgres), but
// durable as a production database — its rows are compared with SQLite's synchronous=FULL.
import pg from 'pg';
import { expect, it } from 'vitest';
import { DURABLE_SETTINGS, startBenchPostgres } from '../../bench/lib/postgres.js';
import { describePostgres } from '../support/backends.js';

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
});
