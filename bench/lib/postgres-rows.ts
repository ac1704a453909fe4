// The PostgreSQL rows: GET /api/v1/me and the second-factor (TOTP) sign-in on PostgreSQL, with
// one server instance and with two on the same database (the load shared between them, as a load
// balancer would), beside the SQLite rows and judged against the same baselines and targets.
// Measured where PostgreSQL is installed; otherwise one row says why not.
import { join } from 'node:path';
import { accountsLabel, type BenchRun } from './bench-run.js';
import { countLabel } from './footprint-rows.js';
import { loadHttp, log, primeWithSignIn, startServer, type LoadTarget, type Server } from './measure.js';
import { startNode } from './processes.js';
import { BENCH_PASSWORD, passwordAccount, username } from './population.js';
import { postgresServerArgs, seedPostgres, startBenchPostgres } from './postgres.js';
import type { Row } from './report.js';
import { quotient, rateRow, skippedRow, type Measured } from './rows.js';
import type { SeedReport } from './seed.js';
import { TARGETS } from './targets.js';

export async function measurePostgres(
  run: BenchRun,
  baselines: { bareRoute: Row; commit: Row },
): Promise<{ rows: Row[]; seeding?: SeedReport }> {
  const label = 'PostgreSQL rows';
  if (!run.options.postgres) return { rows: [skippedRow('postgres', label, 'left out (--no-postgres).')] };
  const postgres = await startBenchPostgres();
  if (typeof postgres === 'string') return { rows: [skippedRow('postgres', label, `not measured here: ${postgres}.`)] };
  try {
    const { profile, workDir } = run;
    const accounts = profile.postgresAccounts;
    const dataDir = join(workDir, 'postgres');
    log(`seeding ${accounts.toLocaleString('en-US')} accounts on PostgreSQL …`);
    const seeding = await seedPostgres(postgres.databaseUrl, {
      dataDir,
      accounts,
      totpTickets: profile.secondFactorTickets,
      backupCodeTickets: 0,
    });
    log(`  ${seeding.seconds.toFixed(1)} s`);
    // Both instances share the data folder for its secret key file, as instances share one key.
    const instances: Server[] = [];
    for (const which of ['postgresFirst', 'postgresSecond'] as const) {
      const server = await startServer({
        name: `postgres-${instances.length + 1}`,
        accounts,
        tickets: seeding.totpTickets,
        port: run.port(which),
        dataDir,
        args: postgresServerArgs(postgres.databaseUrl),
      });
      run.running.push(server.process);
      await primeWithSignIn(server, username(passwordAccount(instances.length, accounts)), BENCH_PASSWORD);
      instances.push(server);
    }
    const pgBaseline = await measurePgBaseline(run, postgres.databaseUrl, accounts);
    const rows: Row[] = [pgBaseline];
    for (const count of [1, 2]) {
      const serving = instances.slice(0, count);
      const target: LoadTarget = {
        origins: serving.map((server) => server.loadOrigin),
        pids: serving.map((server) => server.process.pid),
        accounts,
        tickets: seeding.totpTickets,
      };
      const where = `PostgreSQL, ${count === 1 ? 'one instance' : 'two instances'}, ${accountsLabel({ accounts })}`;
      const meLabel = `GET /api/v1/me, ${where}`;
      const measuredMe = await loadHttp(meLabel, 'me', target, profile);
      rows.push(
        rateRow({
          id: `me-postgres-${count}`,
          label: meLabel,
          unit: 'req/s',
          measured: measuredMe,
          baseline: { row: baselines.bareRoute, targets: TARGETS.me },
          note: besidePgBaseline(measuredMe, pgBaseline, count),
        }),
      );
      const totpLabel = `Sign-in with a TOTP code (second step), ${where}`;
      // Each TOTP row has its own half of the tickets, each ticket its own account.
      const share = { index: count - 1, of: 2 };
      rows.push(
        rateRow({
          id: `totp-postgres-${count}`,
          label: totpLabel,
          unit: 'req/s',
          measured: await loadHttp(totpLabel, 'totp', target, profile, { share }),
          baseline: { row: baselines.commit, targets: TARGETS.secondFactor },
          note: `${countLabel(seeding.totpTickets / 2)} tickets for the warm-up and ${profile.runs} runs: a run ends early when they run out.`,
        }),
      );
    }
    for (const server of instances.reverse()) await server.process.stop();
    return { rows, seeding };
  } finally {
    postgres.stop();
  }
}

/**
 * bench/pg-baseline-server.mjs under the /me load: a bare Fastify route running the same two
 * statements through pg, on the same database. What the driver and HTTP cost on this machine
 * before anything Latchkey does, so the /me rows on PostgreSQL can be read against it.
 */
async function measurePgBaseline(run: BenchRun, databaseUrl: string, accounts: number): Promise<Row> {
  const port = run.port('postgresBaseline');
  const server = await startNode(['bench/pg-baseline-server.mjs', String(port), databaseUrl], /pg baseline listening/);
  run.running.push(server);
  const label = `Bare Fastify route, /me's two reads through pg (PostgreSQL baseline), ${accountsLabel({ accounts })}`;
  const target: LoadTarget = { origins: [`http://127.0.0.1:${port}`], pids: [server.pid], accounts, tickets: 0 };
  const measured = await loadHttp(label, 'me', target, run.profile);
  await server.stop();
  return rateRow({
    id: 'me-postgres-baseline',
    label,
    short: 'pg baseline',
    unit: 'req/s',
    measured,
    note: 'the bearer token’s SHA-256 and the same two statements as the server (its SQL), through a pg.Pool of its default size; no hooks, no session rules.',
  });
}

/** The /me row's note: its CPU/op beside the pg baseline's (and, for two instances, what it counts). */
function besidePgBaseline(measured: Measured, pgBaseline: Row, instances: number): string {
  const times = quotient(measured.cpuMsPerOp, pgBaseline.cpuMsPerOp);
  return [
    times === null ? null : `CPU/op ${times.toFixed(2)}× the pg baseline’s.`,
    instances === 2 ? 'CPU/op counts both instances (not PostgreSQL’s own processes).' : null,
  ]
    .filter((sentence) => sentence !== null)
    .join(' ');
}
