// An organisation's deployment for the browser tests, as docs/deployment.md "Several instances"
// describes it: one PostgreSQL database (in a private cluster, test/support/postgres/cluster.ts,
// or on the server LATCHKEY_TEST_DATABASE_URL names, as for vitest), two server processes on it
// with their own data folders but one secret key file and one public origin, started with
// --trust-proxy behind a round-robin proxy that answers at that origin. Nothing but the database
// connects the instances.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { findPostgresBin, postgresTurnedOff, startPrivateCluster } from '../../support/postgres/cluster.js';
import { startLatchkey, type RunningServer } from './latchkey-server.js';
import { startRoundRobinProxy, type RoundRobinProxy } from './round-robin-proxy.js';

const PROXY_PORTS = { first: 5050, last: 5059 } as const;
const INSTANCE_PORTS = { first: 5060, last: 5099 } as const;
const NO_POSTGRES = 'no PostgreSQL found (initdb under /usr/lib/postgresql/*/bin or on PATH)';

export interface Organisation {
  proxy: RoundRobinProxy;
  instances: RunningServer[];
  close(): Promise<void>;
}

/**
 * Why the organisation's tests cannot run here, or undefined when they can. In CI nothing is
 * skipped: there a missing PostgreSQL fails startOrganisation, as it fails the vitest set-up.
 */
export function organisationSkipReason(): string | undefined {
  if (process.env.LATCHKEY_TEST_DATABASE_URL) return undefined;
  const turnedOff = postgresTurnedOff();
  if (turnedOff) return turnedOff;
  return findPostgresBin() || process.env.CI ? undefined : NO_POSTGRES;
}

export async function startOrganisation(instanceCount = 2): Promise<Organisation> {
  const folder = mkdtempSync(join(tmpdir(), 'latchkey-organisation-'));
  const started: { database?: Database; proxy?: RoundRobinProxy; instances: RunningServer[] } = { instances: [] };
  const close = async () => {
    try {
      await Promise.all(started.instances.map((instance) => instance.stop()));
      await started.proxy?.close();
    } finally {
      rmSync(folder, { recursive: true, force: true });
      await started.database?.close();
    }
  };
  try {
    const database = (started.database = await startDatabase());
    const keyFile = join(folder, 'secret.key');
    writeFileSync(keyFile, randomBytes(32), { mode: 0o600 });
    const proxy = (started.proxy = await startRoundRobinProxy(PROXY_PORTS));
    const args = [
      ...['--database-url', database.url, '--secret-key-file', keyFile],
      ...['--public-origin', proxy.origin, '--trust-proxy'],
    ];
    // One after the other: each picks the first free port of the range when it starts.
    for (let index = 0; index < instanceCount; index++) {
      started.instances.push(await startLatchkey(args, { ports: INSTANCE_PORTS }));
    }
    proxy.forwardTo(started.instances.map((instance) => instance.port));
    return { proxy, instances: started.instances, close };
  } catch (error) {
    await close();
    throw error;
  }
}

interface Database {
  url: string;
  /** Drops the database, or stops and deletes the private cluster. */
  close(): Promise<void>;
}

/** An empty database (the instances migrate it when they start). */
async function startDatabase(): Promise<Database> {
  const external = process.env.LATCHKEY_TEST_DATABASE_URL;
  if (external) {
    const name = `latchkey_organisation_${randomBytes(8).toString('hex')}`;
    const url = await createDatabase(external, name);
    return { url, close: () => asAdmin(external, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
  }
  const bin = findPostgresBin();
  if (!bin) throw new Error(`CI runs the browser tests on PostgreSQL too, but ${NO_POSTGRES}; .ci/run installs it.`);
  const cluster = await startPrivateCluster(bin);
  try {
    return { url: await createDatabase(cluster.adminUrl, 'latchkey_organisation'), close: async () => cluster.stop() };
  } catch (error) {
    cluster.stop();
    throw error;
  }
}

async function createDatabase(adminUrl: string, name: string): Promise<string> {
  await asAdmin(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function asAdmin(adminUrl: string, statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}
