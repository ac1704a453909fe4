// `npm run bench`: how fast Latchkey is, how big, and how it grows. It builds if needed, seeds two
// temporary databases (1 thousand and 1 million accounts), starts the BUILT server on each as a
// child process, loads them from a second process (load-worker.ts, autocannon) on 127.0.0.1,
// measures every row's baseline in the same run, and prints one table, also written as JSON.
// Progress goes to stderr, the table to stdout. See `npm run bench -- --help`.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { createArgon2idHasher } from '../server/modules/accounts/password-hasher.js';
import { runBuild, staleBuildReason } from './lib/build-check.js';
import { measureBundle } from './lib/bundle-size.js';
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
import { buildBlankReactPage, timeToUsableForm } from './lib/page-load.js';
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
import { growthRow, rateRow, valueRow, type Measured } from './lib/rows.js';
import { seedDataDir, type SeedReport } from './lib/seed.js';
import { serveStatic } from './lib/static-server.js';

const MB_100 = 100e6;
/** "Idle" memory is read this long after start (or after the last load): V8 shrinks its heap when idle. */
const IDLE_SETTLE_MS = 30_000;

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
      const readmePath = join(REPO_ROOT, 'README.md');
      const updated = replaceReadmeBlock(readFileSync(readmePath, 'utf8'), readmeBlock(report));
      // Formatted as `npm run lint` expects (Prettier aligns the table's columns).
      const options = { ...(await resolveConfig(readmePath)), filepath: readmePath };
      writeFileSync(readmePath, await format(updated, options));
      process.stdout.write('README.md: Performance table updated.\n');
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
  const bareRow = rateRow({ id: 'bare', label: bareLabel, unit: 'req/s', measured: bare });

  const idle = {
    small: await settledRss(small, small.startedAt, IDLE_SETTLE_MS),
    large: await settledRss(large, large.startedAt, IDLE_SETTLE_MS),
  };
  for (const server of [small, large]) {
    await primeWithSignIn(server, username(passwordAccount(0, server.accounts)), BENCH_PASSWORD);
  }

  const accountsLabel = (server: Server) => `${(server.accounts / 1000).toLocaleString('en-US')}k accounts`;
  const target = (server: Server) => ({ origin: server.loadOrigin, pid: server.process.pid, server });
  const meRows: Row[] = [];
  for (const server of [small, large]) {
    const label = `GET /api/v1/me, ${accountsLabel(server)}`;
    meRows.push(
      rateRow({
        id: `me-${server.name}`,
        label,
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
  const signatureRow = rateRow({ id: 'es256', label: signatureLabel, unit: 'op/s', measured: signature });
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

  const growthRows = [
    growthRow('growth-me', 'Growth: GET /api/v1/me, large vs small database', meRows[0]!, meRows[1]!, 1.2),
    growthRow(
      'growth-password',
      'Growth: password sign-in, large vs small database',
      passwordRows[0]!,
      passwordRows[1]!,
      1.2,
    ),
  ];

  const memoryRows = memoryRowsOf(small, large, idle, await settledRss(large, afterLoad, IDLE_SETTLE_MS));
  const sizeRows = bundleRows(options.rendererDir);
  log('timing page loads in Chromium …');
  const pageRow = await pageLoadRow(profile, options.rendererDir, small, port(3));

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

function memoryRowsOf(small: Server, large: Server, idle: { small: number; large: number }, afterLoad: number): Row[] {
  const accounts = (server: Server) => `${(server.accounts / 1000).toLocaleString('en-US')}k accounts`;
  const idleRow = (server: Server, bytes: number) =>
    valueRow({
      id: `rss-idle-${server.name}`,
      label: `Server memory (RSS) idle, ${accounts(server)}`,
      value: bytes,
      unit: 'bytes',
      target: { kind: 'value-at-most', value: MB_100 },
      note: `read ${IDLE_SETTLE_MS / 1000} s after start, before any request.`,
    });
  const peak = large.peakRss.reduce((best, sample) => (sample.bytes > best.bytes ? sample : best));
  return [
    idleRow(small, idle.small),
    idleRow(large, idle.large),
    valueRow({
      id: 'rss-peak',
      label: `Server memory (RSS) under load, peak, ${accounts(large)}`,
      value: peak.bytes,
      unit: 'bytes',
      note: `highest during "${peak.row}".`,
    }),
    valueRow({
      id: 'rss-after-load',
      label: `Server memory (RSS) idle after the load, ${accounts(large)}`,
      value: afterLoad,
      unit: 'bytes',
      target: { kind: 'value-at-most', value: MB_100 },
      note: `read ${IDLE_SETTLE_MS / 1000} s after its last request.`,
    }),
  ];
}

function bundleRows(rendererDir: string): Row[] {
  const bundle = measureBundle(rendererDir);
  const where = relative(REPO_ROOT, rendererDir) || rendererDir;
  if (!bundle) {
    const note = `not built (no ${where}/index.html); run \`npm run build\`.`;
    return [
      valueRow({
        id: 'js-gzip',
        label: 'User Center JavaScript',
        value: null,
        unit: 'bytes',
        display: 'not built',
        note,
      }),
      valueRow({ id: 'css-gzip', label: 'User Center CSS', value: null, unit: 'bytes', display: 'not built' }),
    ];
  }
  const describe = (weight: { gzipBytes: number; rawBytes: number; files: number }) =>
    `${formatValue(weight.gzipBytes, 'bytes')} gzip (${formatValue(weight.rawBytes, 'bytes')} raw, ${weight.files} ${weight.files === 1 ? 'file' : 'files'})`;
  return [
    valueRow({
      id: 'js-gzip',
      label: 'User Center JavaScript',
      value: bundle.js.gzipBytes,
      unit: 'bytes',
      display: describe(bundle.js),
      target: { kind: 'value-at-most', value: 150e3 },
    }),
    valueRow({
      id: 'css-gzip',
      label: 'User Center CSS',
      value: bundle.css.gzipBytes,
      unit: 'bytes',
      display: describe(bundle.css),
    }),
  ];
}

async function pageLoadRow(profile: Profile, rendererDir: string, server: Server, blankPagePort: number): Promise<Row> {
  const label = 'Time to a usable sign-in form (headless Chromium)';
  const blankDist = await buildBlankReactPage(join(REPO_ROOT, 'build/bench/blank-react'));
  const site = await serveStatic(blankDist, blankPagePort);
  let blank;
  try {
    blank = await timeToUsableForm(`${site.origin}/`, profile.pageLoads);
  } finally {
    await site.close();
  }
  const baseline = {
    id: 'blank-react',
    label: 'blank Vite React page',
    display: formatValue(blank.medianMs, 'ms'),
    value: blank.medianMs,
  };
  const note = `median of ${profile.pageLoads} loads, each in a fresh browser context; the User Center is served by the built server.`;
  if (!measureBundle(rendererDir)) {
    return valueRow({ id: 'page-load', label, value: null, unit: 'ms', display: 'not built', baseline });
  }
  const url = `http://localhost:${server.port}/`;
  try {
    const userCenter = await timeToUsableForm(url, profile.pageLoads);
    return valueRow({ id: 'page-load', label, value: userCenter.medianMs, unit: 'ms', baseline, note });
  } catch (error) {
    const page = await fetch(url).then((response) => response.text());
    const why = page.includes('id="root"')
      ? `no usable Username field appeared (${(error as Error).message.split('\n')[0]}).`
      : 'the server does not serve the built User Center at / (it answered its placeholder page).';
    return valueRow({ id: 'page-load', label, value: null, unit: 'ms', display: 'not measured', baseline, note: why });
  }
}

main().catch((error: Error) => {
  const message = error instanceof BenchFailure ? error.message : (error.stack ?? error.message);
  process.stderr.write(`\nbench: FAILED — ${message}\n`);
  process.exit(1);
});
