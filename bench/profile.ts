// `npm run bench:profile -- SCENARIO`: where the built server's CPU time goes under one row's
// load. It seeds a temporary data folder, starts `node --cpu-prof build/server/main.js` on it,
// loads it with the benchmark's load generator (bench/load-worker.ts) for a while, stops it (Node
// writes the profile as it exits) and prints the top frames by self time (lib/cpu-profile.ts).
// The procedure, and the summaries it gave, are in docs/performance.md "CPU profiles".
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runBuild, staleBuildReason } from './lib/build-check.js';
import { profileMarkdown, summarizeProfile, type CpuProfile } from './lib/cpu-profile.js';
import type { HttpScenario } from './lib/http-scenarios.js';
import { collectRuns, log, primeWithSignIn, startServer } from './lib/measure.js';
import type { LoadSpec } from './lib/load-protocol.js';
import { BENCH_PASSWORD, passwordAccount, username } from './lib/population.js';
import { postgresServerArgs, seedPostgres, startBenchPostgres, type BenchPostgres } from './lib/postgres.js';
import { REPO_ROOT } from './lib/processes.js';
import { seedDataDir } from './lib/seed.js';

const PROFILED = ['me', 'totp', 'backup-code', 'password'] as const satisfies readonly HttpScenario[];
const USAGE = `Usage: npm run bench:profile -- ${PROFILED.join('|')} [options]

  --seconds N     how long to load the server (default 10)
  --accounts N    accounts to seed (default 100000; a tenth have two-factor, one ticket each)
  --connections N load-generator connections (default 10)
  --top N         frames to print (default 25)
  --port N        the server's port on 127.0.0.1 (default 4890)
  --postgres      the server on PostgreSQL (a private cluster, as the bench's PostgreSQL rows),
                  not SQLite; me and totp only
  --log-level L   the server's log level (default warn, as the desktop app runs it; info is the
                  server's own default), its log written to a file in the work folder
  --keep          keep the data folder and the .cpuprofile (their path is printed)
`;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: {
      seconds: { type: 'string', default: '10' },
      accounts: { type: 'string', default: '100000' },
      connections: { type: 'string', default: '10' },
      top: { type: 'string', default: '25' },
      port: { type: 'string', default: '4890' },
      'log-level': { type: 'string', default: 'warn' },
      postgres: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  const scenario = positionals[0] as (typeof PROFILED)[number] | undefined;
  if (values.help || !scenario || !PROFILED.includes(scenario)) {
    process.stdout.write(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const accounts = Number(values.accounts);
  const reason = staleBuildReason(REPO_ROOT, join(REPO_ROOT, 'build/renderer'));
  if (reason) {
    log(`building (${reason}) …`);
    runBuild(REPO_ROOT);
  }
  const workDir = mkdtempSync(join(tmpdir(), 'latchkey-profile-'));
  const dataDir = join(workDir, 'data');
  const profileDir = join(workDir, 'profile');
  let postgres: BenchPostgres | null = null;
  try {
    log(`seeding ${accounts.toLocaleString('en-US')} accounts …`);
    let tickets = Math.ceil(accounts / 10) * 10;
    const args: string[] = [];
    if (values.postgres) {
      const started = await startBenchPostgres();
      if (typeof started === 'string') throw new Error(`PostgreSQL is not available here: ${started}.`);
      postgres = started;
      const seeded = await seedPostgres(postgres.databaseUrl, {
        dataDir,
        accounts,
        totpTickets: scenario === 'totp' ? tickets : 0,
        backupCodeTickets: 0,
      });
      tickets = seeded.totpTickets;
      args.push(...postgresServerArgs(postgres.databaseUrl));
    } else {
      await seedDataDir({ dataDir, accounts, totpTickets: tickets, backupCodeTickets: tickets });
    }
    // Only the samples taken under load: the profile also covers the server's start.
    let window: { fromUs: number; toUs: number } | undefined;
    const server = await startServer({
      name: 'profiled',
      accounts,
      tickets,
      port: Number(values.port),
      dataDir,
      args,
      logLevel: values['log-level'],
      logFile: join(workDir, 'server.log'),
      nodeArgs: ['--cpu-prof', '--cpu-prof-dir', profileDir],
    });
    try {
      await primeWithSignIn(server, username(passwordAccount(0, accounts)), BENCH_PASSWORD);
      const spec: LoadSpec = {
        origins: [server.loadOrigin],
        scenario,
        accounts,
        totpTickets: tickets,
        backupCodeTickets: tickets,
        connections: Number(values.connections),
        warmupSeconds: 0,
        runSeconds: Number(values.seconds),
        runs: 1,
      };
      const fromUs = Number(process.hrtime.bigint() / 1000n);
      const measured = await collectRuns(
        `${scenario} under load`,
        ['bench/load-worker.ts', JSON.stringify(spec)],
        [server.process.pid],
      );
      window = { fromUs, toUs: Number(process.hrtime.bigint() / 1000n) };
      log(`${Math.round(measured.perSecond)}/s, ${((measured.cpuMsPerOp ?? 0) * 1000).toFixed(0)} µs CPU per request`);
    } finally {
      await server.process.stop();
    }
    const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
    if (!file) throw new Error(`The server wrote no .cpuprofile into ${profileDir}.`);
    const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as CpuProfile;
    process.stdout.write(`${profileMarkdown(summarizeProfile(profile, REPO_ROOT, window), Number(values.top))}\n`);
    if (values.keep) log(`profile kept: ${join(profileDir, file)}`);
  } finally {
    postgres?.stop();
    if (!values.keep) rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  process.stderr.write(`bench:profile: ${error.message}\n`);
  process.exit(1);
});
