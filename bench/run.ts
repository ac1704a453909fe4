// `npm run bench`: how fast Latchkey is, how big, and how it grows. It builds if needed, seeds two
// temporary databases (1 thousand and 1 million accounts), starts the BUILT server on each as a
// child process, loads them from a second process (load-worker.ts, autocannon) on 127.0.0.1,
// measures every row's baseline in the same run, and prints one table, also written as JSON.
// Where PostgreSQL is installed it adds the PostgreSQL rows; with --peer, better-auth's beside
// Latchkey's. Progress goes to stderr, the table to stdout. See `npm run bench -- --help`.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { createArgon2idHasher } from '../server/modules/accounts/password-hasher.js';
import { accountsLabel, loopOptions, PORT, type BenchRun } from './lib/bench-run.js';
import { runBuild, staleBuildReason } from './lib/build-check.js';
import {
  bundleRows,
  countLabel,
  IDLE_SETTLE_MS,
  memoryRowsOf,
  pageLoadRow,
  type IdleMemory,
} from './lib/footprint-rows.js';
import { measureLoggingCost } from './lib/logging-rows.js';
import { describeMachine, loadAverage } from './lib/machine.js';
import {
  BenchFailure,
  collectRuns,
  loadHttp,
  log,
  primeWithSignIn,
  serverTarget,
  settledRss,
  startServer,
  type Server,
} from './lib/measure.js';
import { measureOneAccount } from './lib/one-account-rows.js';
import { parseBenchOptions, PROFILES, USAGE, type BenchOptions, type Profile } from './lib/options.js';
import { measurePeer } from './lib/peer-rows.js';
import { BENCH_PASSWORD, passwordAccount, username } from './lib/population.js';
import { measurePostgres } from './lib/postgres-rows.js';
import { REPO_ROOT, startNode, type RunningProcess } from './lib/processes.js';
import {
  docsBlock,
  formatValue,
  replaceDocsBlock,
  summaryLines,
  textTable,
  type BenchReport,
  type Row,
} from './lib/report.js';
import { growthRow, rateRow, type Measured } from './lib/rows.js';
import { seedDataDir } from './lib/seed.js';
import { serverReadyRows } from './lib/server-ready.js';
import { TARGETS } from './lib/targets.js';

async function main(): Promise<void> {
  const parsed = parseBenchOptions(process.argv.slice(2), REPO_ROOT);
  if (parsed === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  const options: BenchOptions = parsed;
  const profile = PROFILES[options.quick ? 'quick' : 'default'];
  const startedAt = new Date();

  if (options.build) {
    const reason = staleBuildReason(REPO_ROOT, options.rendererDir);
    if (reason) {
      log(`building (${reason}) …`);
      runBuild(REPO_ROOT);
    }
  }
  const workDir = mkdtempSync(join(tmpdir(), 'latchkey-bench-'));
  const machine = describeMachine(workDir);
  log(`${machine.cores} cores (${machine.cpuModel}), Node ${machine.node}, load average ${machine.loadAverageAtStart}`);
  const running: RunningProcess[] = [];
  try {
    const measured = await measureEverything(options, profile, workDir, running);
    const flags = [options.quick ? '--quick' : '', options.peer ? '--peer' : ''].filter(Boolean).join(' ');
    const report: BenchReport = {
      schema: 'latchkey-bench/2',
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      seconds: (Date.now() - startedAt.getTime()) / 1000,
      command: `npm run bench${flags ? ` -- ${flags}` : ''}`,
      profile: profile.name,
      settings: { ...profile, portBase: options.portBase, peer: options.peer, postgres: options.postgres },
      machine: { ...machine, loadAverageAtEnd: loadAverage() },
      seeding: measured.seeding,
      rows: measured.rows,
    };
    mkdirSync(dirname(options.out), { recursive: true });
    writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`\n${summaryLines(report).join('\n')}\n\n${textTable(report.rows)}\n\n`);
    process.stdout.write(`JSON: ${options.out}\n`);
    if (options.updateDocs) {
      const docsPath = join(REPO_ROOT, 'docs', 'performance.md');
      const updated = replaceDocsBlock(readFileSync(docsPath, 'utf8'), docsBlock(report));
      // Formatted as `npm run lint` expects (Prettier aligns the table's columns).
      const prettierOptions = { ...(await resolveConfig(docsPath)), filepath: docsPath };
      writeFileSync(docsPath, await format(updated, prettierOptions));
      process.stdout.write('docs/performance.md: table updated.\n');
    }
    const missed = report.rows.filter((row) => row.met === false);
    if (missed.length > 0) process.stdout.write(`Targets not met: ${missed.map((row) => row.label).join('; ')}\n`);
  } finally {
    for (const child of running.reverse()) await child.stop();
    if (options.keepData) log(`data folders kept in ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * The run in named steps, in the order that keeps each measurement fair to the next; the table
 * puts each family of rows beside the ones it is compared with.
 */
async function measureEverything(
  options: BenchOptions,
  profile: Profile,
  workDir: string,
  running: RunningProcess[],
): Promise<{ rows: Row[]; seeding: Record<string, unknown> }> {
  const port = (which: keyof typeof PORT) => options.portBase + PORT[which];
  const seeding: Record<string, unknown> = await seedBoth(profile, workDir);
  // Before any server runs: starts are timed on a quiet machine.
  const readyRows = await serverReadyRows({
    dataDir: join(workDir, 'small'),
    accountsLabel: `${countLabel(profile.smallAccounts)} accounts`,
    port: port('ready'),
    starts: profile.serverStarts,
  });
  // Both servers start now and stay idle while the baseline route is measured.
  const run: BenchRun = {
    options,
    profile,
    workDir,
    running,
    port,
    cores: describeMachine(workDir).cores,
    ...(await startSeededServers(profile, workDir, port, running)),
  };
  const bareNode = await startBareNodeServer(run);
  const bareRow = await measureBareRoute(run);
  const idle: IdleMemory = {
    small: await settledRss(run.small, run.small.startedAt, IDLE_SETTLE_MS),
    large: await settledRss(run.large, run.large.startedAt, IDLE_SETTLE_MS),
    bareNode: await settledRss(bareNode, bareNode.startedAt, IDLE_SETTLE_MS),
  };
  await bareNode.process.stop();
  for (const server of [run.small, run.large]) {
    await primeWithSignIn(server, username(passwordAccount(0, server.accounts)), BENCH_PASSWORD);
  }
  const meRows = await measureMe(run, bareRow);
  const loggingRows = await measureLoggingCost(run);
  const [commitRow, ...secondFactorRows] = await measureSecondFactor(run);
  const passwordRows = await measurePasswordSignIn(run);
  const afterLoad = Date.now(); // the large server's last request
  const oneAccountRows = await measureOneAccount(run);
  const postgres = await measurePostgres(run, { bareRoute: bareRow, commit: commitRow! });
  if (postgres.seeding) seeding.postgres = postgres.seeding;
  let peerRows: Row[] = [];
  if (options.peer) {
    const peer = await measurePeer(run);
    peerRows = peer.rows;
    seeding.peer = peer.seeding;
  }
  const webauthnRows = await measureWebAuthn(run);
  const growthRows = growthRowsOf(run, meRows, passwordRows);
  const footprintRows = await measureFootprint(run, idle, afterLoad);
  return {
    seeding,
    rows: [
      ...readyRows,
      bareRow,
      ...meRows,
      ...loggingRows,
      commitRow!,
      ...secondFactorRows,
      ...postgres.rows,
      ...passwordRows,
      ...oneAccountRows,
      ...peerRows,
      ...webauthnRows,
      ...growthRows,
      ...footprintRows,
    ],
  };
}

async function startSeededServers(
  profile: Profile,
  workDir: string,
  port: BenchRun['port'],
  running: RunningProcess[],
): Promise<Pick<BenchRun, 'small' | 'large'>> {
  const small = await startServer({
    name: 'small',
    accounts: profile.smallAccounts,
    tickets: 0,
    port: port('small'),
    dataDir: join(workDir, 'small'),
  });
  running.push(small.process);
  const large = await startServer({
    name: 'large',
    accounts: profile.largeAccounts,
    tickets: profile.secondFactorTickets,
    port: port('large'),
    dataDir: join(workDir, 'large'),
  });
  running.push(large.process);
  return { small, large };
}

/**
 * The memory rows' baseline: bench/bare-node-server.mjs, started beside the seeded servers and
 * left as idle as they are, so its resident memory is read after the same settling time.
 */
async function startBareNodeServer({ workDir, port, running }: BenchRun): Promise<Server> {
  const origin = `http://127.0.0.1:${port('ready')}`;
  const child = await startNode(['bench/bare-node-server.mjs', String(port('ready'))], {
    okAt: `${origin}/`,
    stdoutFile: join(workDir, 'bare-node-server.log'),
  });
  running.push(child);
  return {
    name: 'bare Node',
    accounts: 0,
    tickets: 0,
    process: child,
    port: port('ready'),
    loadOrigin: origin,
    startedAt: Date.now(),
    peakRss: [],
  };
}

async function measureBareRoute({ profile, port, running }: BenchRun): Promise<Row> {
  const baseline = await startNode(['bench/baseline-server.mjs', String(port('bareRoute'))], /baseline listening/);
  running.push(baseline);
  const label = 'Bare Fastify route (baseline)';
  const target = {
    origins: [`http://127.0.0.1:${port('bareRoute')}`],
    pids: [baseline.pid],
    accounts: 0,
    tickets: 0,
  };
  const bare = await loadHttp(label, 'bare', target, profile);
  await baseline.stop();
  return rateRow({ id: 'bare', label, short: 'bare route', unit: 'req/s', measured: bare });
}

async function measureMe(run: BenchRun, bareRow: Row): Promise<Row[]> {
  const rows: Row[] = [];
  for (const server of [run.small, run.large]) {
    const label = `GET /api/v1/me, ${accountsLabel(server)}`;
    rows.push(
      rateRow({
        id: `me-${server.name}`,
        label,
        short: accountsLabel(server),
        unit: 'req/s',
        measured: await loadHttp(label, 'me', serverTarget(server), run.profile),
        baseline: { row: bareRow, targets: TARGETS.me },
      }),
    );
  }
  return rows;
}

/** The lone durable commit (the disk's bound), then both second steps on the large server. */
async function measureSecondFactor(run: BenchRun): Promise<Row[]> {
  const { profile, workDir, large } = run;
  const commitLabel = 'SQLite durable commit alone (WAL, synchronous=FULL)';
  const commits = await collectRuns(commitLabel, [
    'bench/sqlite-commit-baseline.ts',
    workDir,
    loopOptions(profile, profile.runSeconds),
  ]);
  const commitRow = rateRow({
    id: 'sqlite-commit',
    label: commitLabel,
    short: 'lone durable commit',
    unit: 'op/s',
    measured: commits,
    note: 'one-row transactions one after another on the data folder’s disk: every sign-in ends in such a commit.',
  });
  const rows: Row[] = [commitRow];
  for (const [scenario, what] of [
    ['totp', 'TOTP code'],
    ['backup-code', 'backup code'],
  ] as const) {
    const label = `Sign-in with a ${what} (second step), ${accountsLabel(large)}`;
    rows.push(
      rateRow({
        id: `${scenario}-large`,
        label,
        unit: 'req/s',
        measured: await loadHttp(label, scenario, serverTarget(large), profile),
        baseline: { row: commitRow, targets: TARGETS.secondFactor },
      }),
    );
  }
  return rows;
}

/** argon2id alone (the bound), then password sign-in on both servers. */
async function measurePasswordSignIn(run: BenchRun): Promise<Row[]> {
  const { profile, cores } = run;
  const perCore = (measured: Measured) => `(${(measured.perSecond / cores).toFixed(1)} per core)`;
  const argonLabel = 'argon2id verify alone (m = 19 MiB, t = 2, p = 1)';
  const argon = await collectRuns(argonLabel, [
    'bench/argon2-baseline.ts',
    loopOptions(profile, profile.passwordRunSeconds),
  ]);
  const argonRow = rateRow({
    id: 'argon2id',
    label: argonLabel,
    unit: 'op/s',
    measured: argon,
    suffix: perCore(argon),
  });
  const rows: Row[] = [argonRow];
  for (const server of [run.small, run.large]) {
    const label = `Password sign-in (two-factor off), ${accountsLabel(server)}`;
    const measured = await loadHttp(label, 'password', serverTarget(server), profile, {
      runSeconds: profile.passwordRunSeconds,
    });
    rows.push(
      rateRow({
        id: `password-${server.name}`,
        label,
        short: accountsLabel(server),
        unit: 'req/s',
        measured,
        suffix: perCore(measured),
        baseline: { row: argonRow, targets: TARGETS.password },
      }),
    );
  }
  return rows;
}

/** The library's assertion check beside node:crypto's ES256 check alone. */
async function measureWebAuthn({ profile }: BenchRun): Promise<Row[]> {
  const signatureLabel = 'ES256 signature check alone (node:crypto)';
  const signature = await collectRuns(signatureLabel, [
    'bench/webauthn-verify.ts',
    'signature',
    loopOptions(profile, profile.runSeconds),
  ]);
  const signatureRow = rateRow({
    id: 'es256',
    label: signatureLabel,
    short: 'ES256 check alone',
    unit: 'op/s',
    measured: signature,
  });
  const webauthnLabel = 'WebAuthn assertion verification (@simplewebauthn/server)';
  const webauthn = await collectRuns(webauthnLabel, [
    'bench/webauthn-verify.ts',
    'library',
    loopOptions(profile, profile.runSeconds),
  ]);
  return [
    signatureRow,
    rateRow({
      id: 'webauthn',
      label: webauthnLabel,
      unit: 'op/s',
      measured: webauthn,
      baseline: { row: signatureRow },
    }),
  ];
}

function growthRowsOf({ small, large }: BenchRun, meRows: Row[], passwordRows: Row[]): Row[] {
  const sizes = `${countLabel(large.accounts)} vs ${countLabel(small.accounts)} accounts`;
  const [me1k, me1m] = meRows;
  const [, password1k, password1m] = passwordRows; // the first is argon2id alone
  const most = TARGETS.growthMaxSlowdown;
  return [
    growthRow('growth-me', `Growth: GET /api/v1/me, ${sizes}`, me1k!, me1m!, most),
    growthRow('growth-password', `Growth: password sign-in, ${sizes}`, password1k!, password1m!, most),
  ];
}

/** Memory (idle, peak, after the load), the User Center's size and its first paint. */
async function measureFootprint(
  { options, profile, port, small, large }: BenchRun,
  idle: IdleMemory,
  afterLoad: number,
): Promise<Row[]> {
  const sizeRows = bundleRows(options.rendererDir);
  log('timing page loads in Chromium …');
  const pageRow = await pageLoadRow(profile, options.rendererDir, small, port('blankPage'));
  // Last, so the large server has been idle as long as the run allows.
  const afterLoadRss = await settledRss(large, afterLoad, IDLE_SETTLE_MS);
  const memoryRows = memoryRowsOf(small, large, idle, {
    bytes: afterLoadRss,
    secondsIdle: Math.round((Date.now() - afterLoad) / 1000),
  });
  return [...memoryRows, ...sizeRows, pageRow];
}

/** Seeding: one argon2id hash for every account (see seed.ts). */
async function seedBoth(profile: Profile, workDir: string): Promise<Record<string, unknown>> {
  const passwordHash = await (await createArgon2idHasher()).hash(BENCH_PASSWORD);
  const seeding: Record<string, unknown> = {};
  for (const [name, accounts, tickets] of [
    ['small', profile.smallAccounts, 0],
    ['large', profile.largeAccounts, profile.secondFactorTickets],
  ] as const) {
    log(`seeding ${accounts.toLocaleString('en-US')} accounts …`);
    const report = await seedDataDir({
      dataDir: join(workDir, name),
      accounts,
      totpTickets: tickets,
      backupCodeTickets: tickets,
      passwordHash,
    });
    seeding[name] = report;
    log(`  ${report.seconds.toFixed(1)} s, ${formatValue(report.databaseBytes ?? 0, 'bytes')}`);
  }
  return seeding;
}

main().catch((error: Error) => {
  const message = error instanceof BenchFailure ? error.message : (error.stack ?? error.message);
  process.stderr.write(`\nbench: FAILED — ${message}\n`);
  process.exit(1);
});
