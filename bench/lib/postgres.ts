// PostgreSQL for the benchmark's PostgreSQL rows: a private cluster on 127.0.0.1 started the way
// the tests start theirs (test/support/postgres/cluster.ts), then made durable as a production
// database is (the tests' throwaway cluster turns fsync off; the rows are compared with SQLite's
// synchronous=FULL, so here every commit waits for the disk), and a database seeded with the
// benchmark population through the server's own storage seam.
import { mkdirSync } from 'node:fs';
import pg from 'pg';
import { parseCommandLine } from '../../server/config.js';
import { openStorage } from '../../server/storage.js';
import { findPostgresBin, startPrivateCluster, type PrivateCluster } from '../../test/support/postgres/cluster.js';
import { seedStorage, type SeedOptions, type SeedReport } from './seed.js';

/** What commits must do on the benchmark's cluster: reach the disk before they are answered. */
export const DURABLE_SETTINGS = { fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' } as const;

export interface BenchPostgres {
  cluster: PrivateCluster;
  /** Where Latchkey's servers and the seeding connect (the benchmark's own database). */
  databaseUrl: string;
  stop(): void;
}

/** A started, durable cluster with an empty database, or a sentence saying why there is none. */
export async function startBenchPostgres(): Promise<BenchPostgres | string> {
  const bin = findPostgresBin();
  if (!bin) return 'no PostgreSQL found (initdb under /usr/lib/postgresql/*/bin or on PATH; .ci/run installs it)';
  const cluster = await startPrivateCluster(bin);
  try {
    const admin = new pg.Client({ connectionString: cluster.adminUrl });
    await admin.connect();
    try {
      for (const [name, value] of Object.entries(DURABLE_SETTINGS)) {
        await admin.query(`ALTER SYSTEM SET ${name} = '${value}'`);
      }
      await admin.query('SELECT pg_reload_conf()');
      await waitForSettings(admin);
      await admin.query('CREATE DATABASE latchkey_bench');
    } finally {
      await admin.end();
    }
  } catch (error) {
    cluster.stop();
    throw error;
  }
  const url = new URL(cluster.adminUrl);
  url.pathname = '/latchkey_bench';
  return { cluster, databaseUrl: url.toString(), stop: () => cluster.stop() };
}

/** The reload is asynchronous: wait until the server reports the durable settings. */
async function waitForSettings(admin: pg.Client): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const { rows } = await admin.query<{ name: string; setting: string }>(
      'SELECT name, setting FROM pg_settings WHERE name = ANY($1)',
      [Object.keys(DURABLE_SETTINGS)],
    );
    const durable = rows.every((row) => row.setting === DURABLE_SETTINGS[row.name as keyof typeof DURABLE_SETTINGS]);
    if (rows.length === Object.keys(DURABLE_SETTINGS).length && durable) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`The benchmark's PostgreSQL did not take ${JSON.stringify(DURABLE_SETTINGS)}.`);
}

/** The server options that put Latchkey on this database (plain TCP on loopback). */
export function postgresServerArgs(databaseUrl: string): string[] {
  return ['--database-url', databaseUrl, '--database-ssl-mode', 'disable'];
}

/** Migrates the database and seeds the population through openStorage and the pg-* repositories. */
export async function seedPostgres(databaseUrl: string, options: SeedOptions): Promise<SeedReport> {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const parsed = parseCommandLine(['--data-dir', options.dataDir, ...postgresServerArgs(databaseUrl)], {});
  if (parsed.kind !== 'run') throw new Error('unexpected command');
  const storage = await openStorage(parsed.config.database, () => undefined);
  try {
    return await seedStorage(storage, options);
  } finally {
    await storage.close();
  }
}
