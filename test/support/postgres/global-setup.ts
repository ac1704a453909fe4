// vitest globalSetup: one PostgreSQL for the whole run. LATCHKEY_TEST_DATABASE_URL names an
// existing server (a superuser URL: tests create and drop databases); otherwise a private cluster
// starts here and stops at the end. Each test then gets a fresh database copied from a template
// that is migrated once here (test/support/backends.ts). In CI the PostgreSQL runs are never
// skipped: no PostgreSQL there is a failure.
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { loadMigrations } from '../../../server/db/migrate.js';
import { migratePostgres } from '../../../server/db/pg-migrate.js';
import { POSTGRES_MIGRATIONS_DIR } from '../../../server/storage.js';
import { findPostgresBin, postgresTurnedOff, startPrivateCluster } from './cluster.js';
import type { PostgresTestContext } from './context.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.LATCHKEY_TEST_DATABASE_URL;
  let adminUrl: string;
  let stopCluster = () => undefined as void;
  let privateCluster: Extract<PostgresTestContext, { available: true }>['privateCluster'] = null;
  if (external) {
    adminUrl = external;
  } else {
    const turnedOff = postgresTurnedOff();
    if (turnedOff) {
      project.provide('postgres', { available: false, reason: turnedOff });
      return async () => undefined;
    }
    const bin = findPostgresBin();
    if (!bin) {
      const reason = 'no PostgreSQL found (initdb under /usr/lib/postgresql/*/bin or on PATH)';
      if (process.env.CI) throw new Error(`CI runs every test on PostgreSQL too, but ${reason}; .ci/run installs it.`);
      project.provide('postgres', { available: false, reason });
      return async () => undefined;
    }
    const cluster = await startPrivateCluster(bin);
    adminUrl = cluster.adminUrl;
    stopCluster = cluster.stop;
    privateCluster = { port: cluster.port, caFile: cluster.caFile, passwordRole: cluster.passwordRole };
  }
  const template = `latchkey_template_${process.pid}`;
  try {
    await createTemplate(adminUrl, template);
    if (privateCluster) {
      const role = privateCluster.passwordRole;
      await withAdmin(adminUrl, (admin) => admin.query(`CREATE ROLE ${role.user} LOGIN PASSWORD '${role.password}'`));
    }
  } catch (error) {
    stopCluster();
    throw error;
  }
  project.provide('postgres', { available: true, adminUrl, template, privateCluster });
  return async () => {
    try {
      if (external)
        await withAdmin(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`));
    } finally {
      stopCluster();
    }
  };
}

/** A database with every migration applied, that each test's database is copied from. */
async function createTemplate(adminUrl: string, template: string): Promise<void> {
  await withAdmin(adminUrl, async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${template}`);
  });
  const url = new URL(adminUrl);
  url.pathname = `/${template}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 1 });
  try {
    await migratePostgres(pool, loadMigrations(POSTGRES_MIGRATIONS_DIR));
  } finally {
    await pool.end();
  }
}

async function withAdmin<T>(adminUrl: string, work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}
