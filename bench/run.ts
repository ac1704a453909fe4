// `npm run bench`: how fast Latchkey is, how big, and how it grows. It builds if needed, seeds two
// temporary databases (1 thousand and 1 million accounts), starts the BUILT server on each as a
// child process, loads them from a second process (load-worker.ts, autocannon) on 127.0.0.1,
// measures every row's baseline in the same run, and prints one table, also written as JSON.
// Progress goes to stderr, the table to stdout. See `npm run bench -- --help`.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { createArgon2idHasher } from '../server/modules/accounts/password-hasher.js';
import { runBuild, staleBuildReason } from './lib/build-check.js';
import { bundleRows, countLabel, IDLE_SETTLE_MS, memoryRowsOf, pageLoadRow } from './lib/footprint-rows.js';
import { describeMachine } from './lib/machine.js';
import {
  BenchFailure,
  collectRuns,
  loadHttp,
  log,
  primeWithSignIn,
  settledRss,
  startServer,
  type Server,
} from './lib/measure.js';
import { parseBenchOptions, PROFILES, USAGE, type BenchOptions, type Profile } from './lib/options.js';
import { BENCH_PASSWORD, passwordAccount, username } from './lib/population.js';
import { REPO_ROOT, startNode, type RunningProcess } from './lib/processes.js';
import {
  formatValue,
  readmeBlock,
  replaceReadmeBlock,
  summaryLines,
  textTable,
  type BenchReport,
  type Row,
} from './lib/report.js';
import { growthRow, rateRow, type Measured } from './lib/rows.js';
import { seedDataDir, type SeedReport } from './lib/seed.js';

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
    const report: BenchReport = {
      schema: 'latchkey-bench/1',
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      seconds: (Date.now() - startedAt.getTime()) / 1000,
      command: `npm run bench${options.quick ? ' -- --quick' : ''}`,
      profile: profile.name,
      settings: { ...profile, portBase: options.portBase },
      machine,
      seeding: measured.seeding,
      rows: measured.rows,
    };
    mkdirSync(dirname(options.out), { recursive: true });
    writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`\n${summaryLines(report).join('\n')}\n\n${textTable(report.rows)}\n\n`);
    process.stdout.write(`JSON: ${options.out}\n`);
    if (options.updateReadme) {
      // The table lives in docs/performance.md; the option keeps its name for old habits' sake.
      const readmePath = join(REPO_ROOT, 'docs', 'performance.md');
      const updated = replaceReadmeBlock(readFileSync(readmePath, 'utf8'), readmeBlock(report));
      // Formatted as `npm run lint` expects (Prettier aligns the table's columns).
      const options = { ...(await resolveConfig(readmePath)), filepath: readmePath };
      writeFileSync(readmePath, await format(updated, options));
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

async function measureEverything(
  options: BenchOptions,
  profile: Profile,
  workDir: string,
  running: RunningProcess[],
): Promise<{ rows: Row[]; seeding: Record<string, SeedReport> }> {
  const port = (offset: number) => options.portBase + offset;
  const seeding = await seedBoth(profile, workDir);

  // Both servers start now and stay idle while the baseline route is measured.
  const small = await startServer('small', profile.smallAccounts, 0, port(1), join(workDir, 'small'));
  running.push(small.process);
  const large = await startServer(
    'large',
    profile.largeAccounts,
    profile.secondFactorTickets,
    port(2),
    join(workDir, 'large'),
  );
  running.push(large.process);

  const baseline = await startNode(['bench/baseline-server.mjs', String(port(0))], /baseline listening/);
  running.push(baseline);
  const bareLabel = 'Bare Fastify route (baseline)';
  const bare = await loadHttp(bareLabel, 'bare', { origin: `http://127.0.0.1:${port(0)}`, pid: baseline.pid }, profile);
  await baseline.stop();
  const bareRow = rateRow({ id: 'bare', label: bareLabel, short: 'bare route', unit: 'req/s', measured: bare });

  const idle = {
    small: await settledRss(small, small.startedAt, IDLE_SETTLE_MS),
    large: await settledRss(large, large.startedAt, IDLE_SETTLE_MS),
  };
  for (const server of [small, large]) {
    await primeWithSignIn(server, username(passwordAccount(0, server.accounts)), BENCH_PASSWORD);
  }

  const accountsLabel = (server: Server) => `${countLabel(server.accounts)} accounts`;
  const target = (server: Server) => ({ origin: server.loadOrigin, pid: server.process.pid, server });
  const meRows: Row[] = [];
  for (const server of [small, large]) {
    const label = `GET /api/v1/me, ${accountsLabel(server)}`;
    meRows.push(
      rateRow({
        id: `me-${server.name}`,
        label,
        short: accountsLabel(server),
        unit: 'req/s',
        measured: await loadHttp(label, 'me', target(server), profile),
        baseline: { row: bareRow, target: { kind: 'ratio-at-least', value: 0.5 } },
      }),
    );
  }

  const loopOptions = (runSeconds: number) =>
    JSON.stringify({
      warmupSeconds: profile.warmupSeconds,
      runSeconds,
      runs: profile.runs,
      concurrency: profile.connections,
    });
  const commitLabel = 'SQLite durable commit alone (WAL, synchronous=FULL)';
  const commits = await collectRuns(commitLabel, [
    'bench/sqlite-commit-baseline.ts',
    workDir,
    loopOptions(profile.runSeconds),
  ]);
  const commitRow = rateRow({
    id: 'sqlite-commit',
    label: commitLabel,
    unit: 'op/s',
    measured: commits,
    note: 'one-row transactions one after another on the data folder’s disk: every sign-in ends in such a commit.',
  });
  const secondFactorRows: Row[] = [];
  for (const [scenario, what] of [
    ['totp', 'TOTP code'],
    ['backup-code', 'backup code'],
  ] as const) {
    const label = `Sign-in with a ${what} (second step), ${accountsLabel(large)}`;
    secondFactorRows.push(
      rateRow({
        id: `${scenario}-large`,
        label,
        unit: 'req/s',
        measured: await loadHttp(label, scenario, target(large), profile),
        baseline: { row: bareRow, target: { kind: 'ratio-at-least', value: 0.25 } },
      }),
    );
  }

  const cores = describeMachine(workDir).cores;
  const perCore = (measured: Measured) => `(${(measured.perSecond / cores).toFixed(1)} per core)`;
  const argonLabel = 'argon2id verify alone (m = 19 MiB, t = 2, p = 1)';
  const argon = await collectRuns(argonLabel, ['bench/argon2-baseline.ts', loopOptions(profile.passwordRunSeconds)]);
  const argonRow = rateRow({
    id: 'argon2id',
    label: argonLabel,
    unit: 'op/s',
    measured: argon,
    suffix: perCore(argon),
  });
  const passwordRows: Row[] = [];
  for (const server of [small, large]) {
    const label = `Password sign-in (two-factor off), ${accountsLabel(server)}`;
    const measured = await loadHttp(label, 'password', target(server), profile, profile.passwordRunSeconds);
    passwordRows.push(
      rateRow({
        id: `password-${server.name}`,
        label,
        short: accountsLabel(server),
        unit: 'req/s',
        measured,
        suffix: perCore(measured),
        baseline: { row: argonRow, target: { kind: 'ratio-at-least', value: 0.8 } },
      }),
    );
  }
  const afterLoad = Date.now();

  const signatureLabel = 'ES256 signature check alone (node:crypto)';
  const signature = await collectRuns(signatureLabel, [
    'bench/webauthn-verify.ts',
    'signature',
    loopOptions(profile.runSeconds),
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
    loopOptions(profile.runSeconds),
  ]);
  const webauthnRow = rateRow({
    id: 'webauthn',
    label: webauthnLabel,
    unit: 'op/s',
    measured: webauthn,
    baseline: { row: signatureRow },
  });

  const sizes = `${countLabel(large.accounts)} vs ${countLabel(small.accounts)} accounts`;
  const growthRows = [
    growthRow('growth-me', `Growth: GET /api/v1/me, ${sizes}`, meRows[0]!, meRows[1]!, 1.2),
    growthRow('growth-password', `Growth: password sign-in, ${sizes}`, passwordRows[0]!, passwordRows[1]!, 1.2),
  ];

  const sizeRows = bundleRows(options.rendererDir);
  log('timing page loads in Chromium …');
  const pageRow = await pageLoadRow(profile, options.rendererDir, small, port(3));
  // Last, so the large server has been idle as long as the run allows.
  const afterLoadRss = await settledRss(large, afterLoad, IDLE_SETTLE_MS);
  const memoryRows = memoryRowsOf(small, large, idle, {
    bytes: afterLoadRss,
    secondsIdle: Math.round((Date.now() - afterLoad) / 1000),
  });

  return {
    seeding,
    rows: [
      bareRow,
      ...meRows,
      commitRow,
      ...secondFactorRows,
      argonRow,
      ...passwordRows,
      signatureRow,
      webauthnRow,
      ...growthRows,
      ...memoryRows,
      ...sizeRows,
      pageRow,
    ],
  };
}

/** Seeding: one argon2id hash for every account (see seed.ts). */
async function seedBoth(profile: Profile, workDir: string): Promise<Record<string, SeedReport>> {
  const passwordHash = await (await createArgon2idHasher()).hash(BENCH_PASSWORD);
  const seeding: Record<string, SeedReport> = {};
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
    log(`  ${report.seconds.toFixed(1)} s, ${formatValue(report.databaseBytes, 'bytes')}`);
  }
  return seeding;
}

main().catch((error: Error) => {
  const message = error instanceof BenchFailure ? error.message : (error.stack ?? error.message);
  process.stderr.write(`\nbench: FAILED — ${message}\n`);
  process.exit(1);
});
