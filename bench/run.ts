// `npm run bench`: how fast Latchkey is, how big, and how it grows. It builds if needed, seeds two
// temporary databases (1 thousand and 1 million accounts), starts the BUILT server on each as a
// child process, loads them from a second process (load-worker.ts, autocannon) on 127.0.0.1,
// measures every row's baseline in the same run, and prints one table, also written as JSON.
// Progress goes to stderr, the table to stdout. See `npm run bench -- --help`.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { createArgon2idHasher } from '../server/modules/accounts/password-hasher.js';
import { runBuild, staleBuildReason } from './lib/build-check.js';
import { measureBundle } from './lib/bundle-size.js';
import type { HttpScenario } from './lib/http-scenarios.js';
import type { LoadSpec, RunResult } from './lib/load-protocol.js';
import { describeMachine } from './lib/machine.js';
import { parseBenchOptions, PROFILES, USAGE, type BenchOptions, type Profile } from './lib/options.js';
import { buildBlankReactPage, timeToUsableForm } from './lib/page-load.js';
import { BENCH_PASSWORD } from './lib/population.js';
import { PeakMemory, REPO_ROOT, residentBytes, runNode, startNode, type RunningProcess } from './lib/processes.js';
import { formatValue, readmeBlock, replaceReadmeBlock, summaryLines, textTable, type BenchReport, type Row } from './lib/report.js';
import { growthRow, rateRow, summarize, valueRow, type Measured } from './lib/rows.js';
import { seedDataDir, type SeedReport } from './lib/seed.js';
import { serveStatic } from './lib/static-server.js';

const TSX = ['--import', 'tsx'];
const MB_100 = 100e6;

class BenchFailure extends Error {}

const log = (message: string) => process.stderr.write(`bench: ${message}\n`);

interface Server {
  name: string;
  accounts: number;
  process: RunningProcess;
  port: number;
  /** Where autocannon sends requests. */
  loadOrigin: string;
  idleRss: number;
  peakRss: { row: string; bytes: number }[];
}

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
    const rows = await measureEverything(options, profile, workDir, running);
    const report: BenchReport = {
      schema: 'latchkey-bench/1',
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      seconds: (Date.now() - startedAt.getTime()) / 1000,
      command: `npm run bench${options.quick ? ' -- --quick' : ''}`,
      profile: profile.name,
      settings: { ...profile, portBase: options.portBase },
      machine,
      seeding: rows.seeding,
      rows: rows.rows,
    };
    mkdirSync(dirname(options.out), { recursive: true });
    writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`\n${summaryLines(report).join('\n')}\n\n${textTable(report.rows)}\n\n`);
    process.stdout.write(`JSON: ${options.out}\n`);
    if (options.updateReadme) {
      const readmePath = join(REPO_ROOT, 'README.md');
      writeFileSync(readmePath, replaceReadmeBlock(readFileSync(readmePath, 'utf8'), readmeBlock(report)));
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
  const ports = { baseline: options.portBase, small: options.portBase + 1, large: options.portBase + 2 };
  const blankPagePort = options.portBase + 3;

  // Seeding: one argon2id hash for every account (see seed.ts).
  const passwordHash = await (await createArgon2idHasher()).hash(BENCH_PASSWORD);
  const seeding: Record<string, SeedReport> = {};
  for (const [name, accounts, tickets] of [
    ['small', profile.smallAccounts, 0],
    ['large', profile.largeAccounts, profile.secondFactorTickets],
  ] as const) {
    log(`seeding ${accounts.toLocaleString('en-US')} accounts …`);
    seeding[name] = await seedDataDir({
      dataDir: join(workDir, name),
      accounts,
      totpTickets: tickets,
      backupCodeTickets: tickets,
      passwordHash,
    });
    log(`  ${seeding[name].seconds.toFixed(1)} s, ${formatValue(seeding[name].databaseBytes, 'bytes')}`);
  }

  const baseline = await startNode(['bench/baseline-server.mjs', String(ports.baseline)], /baseline listening/);
  running.push(baseline);
  const small = await startServer('small', profile.smallAccounts, ports.small, join(workDir, 'small'), running);
  const large = await startServer('large', profile.largeAccounts, ports.large, join(workDir, 'large'), running);
  const tickets = { small: 0, large: profile.secondFactorTickets };

  const load = async (
    label: string,
    origin: string,
    scenario: HttpScenario,
    server: Server | null,
    seconds = profile.runSeconds,
  ): Promise<Measured> => {
    const spec: LoadSpec = {
      origin,
      scenario,
      accounts: server?.accounts ?? 0,
      totpTickets: server ? tickets[server.name as 'small' | 'large'] : 0,
      backupCodeTickets: server ? tickets[server.name as 'small' | 'large'] : 0,
      connections: profile.connections,
      warmupSeconds: profile.warmupSeconds,
      runSeconds: seconds,
      runs: profile.runs,
    };
    const memory = server ? new PeakMemory(server.process.pid) : null;
    const measured = await collectRuns(label, ['bench/load-worker.ts', JSON.stringify(spec)]);
    if (server && memory) server.peakRss.push({ row: label, bytes: memory.stop() });
    return measured;
  };

  const bareLabel = 'Bare Fastify route (baseline)';
  const bare = await load(bareLabel, `http://127.0.0.1:${ports.baseline}`, 'bare', null);
  await baseline.stop();
  const bareRow = rateRow({ id: 'bare', label: bareLabel, unit: 'req/s', measured: bare });

  const accountsLabel = (server: Server) => `${(server.accounts / 1000).toLocaleString('en-US')}k accounts`;
  const meRows: Row[] = [];
  for (const server of [small, large]) {
    const label = `GET /api/v1/me, ${accountsLabel(server)}`;
    meRows.push(
      rateRow({
        id: `me-${server.name}`,
        label,
        unit: 'req/s',
        measured: await load(label, server.loadOrigin, 'me', server),
        baseline: { row: bareRow, target: { kind: 'ratio-at-least', value: 0.5 } },
      }),
    );
  }
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
        measured: await load(label, large.loadOrigin, scenario, large),
        baseline: { row: bareRow, target: { kind: 'ratio-at-least', value: 0.25 } },
      }),
    );
  }

  const loopOptions = JSON.stringify({
    warmupSeconds: profile.warmupSeconds,
    runSeconds: profile.passwordRunSeconds,
    runs: profile.runs,
    concurrency: profile.connections,
  });
  const cores = describeMachine(workDir).cores;
  const perCore = (measured: Measured) => `(${(measured.perSecond / cores).toFixed(1)} per core)`;
  const argonLabel = 'argon2id verify alone (m = 19 MiB, t = 2, p = 1)';
  const argon = await collectRuns(argonLabel, ['bench/argon2-baseline.ts', loopOptions]);
  const argonRow = rateRow({ id: 'argon2id', label: argonLabel, unit: 'op/s', measured: argon, suffix: perCore(argon) });
  const passwordRows: Row[] = [];
  for (const server of [small, large]) {
    const label = `Password sign-in (two-factor off), ${accountsLabel(server)}`;
    const measured = await load(label, server.loadOrigin, 'password', server, profile.passwordRunSeconds);
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

  const webauthnOptions = loopOptions.replace(`"runSeconds":${profile.passwordRunSeconds}`, `"runSeconds":${profile.runSeconds}`);
  const signatureLabel = 'ES256 signature check alone (node:crypto)';
  const signature = await collectRuns(signatureLabel, ['bench/webauthn-verify.ts', 'signature', webauthnOptions]);
  const signatureRow = rateRow({ id: 'es256', label: signatureLabel, unit: 'op/s', measured: signature });
  const webauthnLabel = 'WebAuthn assertion verification (@simplewebauthn/server)';
  const webauthn = await collectRuns(webauthnLabel, ['bench/webauthn-verify.ts', 'library', webauthnOptions]);
  const webauthnRow = rateRow({
    id: 'webauthn',
    label: webauthnLabel,
    unit: 'op/s',
    measured: webauthn,
    baseline: { row: signatureRow },
  });

  const growthRows = [
    growthRow('growth-me', 'Growth: GET /api/v1/me, large vs small database', meRows[0]!, meRows[1]!, 1.2),
    growthRow('growth-password', 'Growth: password sign-in, large vs small database', passwordRows[0]!, passwordRows[1]!, 1.2),
  ];

  const memoryRows = [small, large].map((server) =>
    valueRow({
      id: `rss-idle-${server.name}`,
      label: `Server memory (RSS) idle, ${accountsLabel(server)}`,
      value: server.idleRss,
      unit: 'bytes',
      target: { kind: 'value-at-most', value: MB_100 },
    }),
  );
  const peak = large.peakRss.reduce((best, sample) => (sample.bytes > best.bytes ? sample : best));
  memoryRows.push(
    valueRow({
      id: 'rss-peak',
      label: `Server memory (RSS) under load, peak, ${accountsLabel(large)}`,
      value: peak.bytes,
      unit: 'bytes',
      note: `the peak came during "${peak.row}".`,
    }),
  );

  const sizeRows = bundleRows(options.rendererDir);
  log('timing page loads in Chromium …');
  const pageRow = await pageLoadRow(profile, options.rendererDir, small, blankPagePort);

  return {
    seeding,
    rows: [
      bareRow,
      ...meRows,
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

async function startServer(
  name: 'small' | 'large',
  accounts: number,
  port: number,
  dataDir: string,
  running: RunningProcess[],
): Promise<Server> {
  const child = await startNode(
    ['build/server/main.js', '--port', String(port), '--data-dir', dataDir, '--log-level', 'warn'],
    /Latchkey is serving/,
  );
  running.push(child);
  // Let start-up garbage settle before reading the idle figure.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const idleRss = residentBytes(child.pid);
  log(`server on ${accounts.toLocaleString('en-US')} accounts: pid ${child.pid}, ${formatValue(idleRss, 'bytes')} idle`);
  return { name, accounts, process: child, port, loadOrigin: `http://127.0.0.1:${port}`, idleRss, peakRss: [] };
}

/** Runs one measuring process and stops the benchmark loudly if anything failed. */
async function collectRuns(label: string, script: string[]): Promise<Measured> {
  const runs: RunResult[] = [];
  log(`${label} …`);
  await runNode([...TSX, ...script], (line) => {
    const run = JSON.parse(line) as RunResult;
    runs.push(run);
    const rate = Math.round(run.requestsPerSecond).toLocaleString('en-US');
    log(`  ${run.warmup ? 'warm-up' : `run ${runs.filter((r) => !r.warmup).length}`}: ${rate}/s, ${run.errors} errors`);
  });
  const measured = summarize(runs);
  if (measured.errors > 0) {
    throw new BenchFailure(`${label}: ${measured.errors} requests failed. First failure: ${measured.firstError}`);
  }
  return measured;
}

function bundleRows(rendererDir: string): Row[] {
  const bundle = measureBundle(rendererDir);
  const where = relative(REPO_ROOT, rendererDir) || rendererDir;
  if (!bundle) {
    const note = `not built (no ${where}/index.html); run \`npm run build\`.`;
    return [
      valueRow({ id: 'js-gzip', label: 'User Center JavaScript', value: null, unit: 'bytes', display: 'not built', note }),
      valueRow({ id: 'css-gzip', label: 'User Center CSS', value: null, unit: 'bytes', display: 'not built' }),
    ];
  }
  const describe = (weight: { gzipBytes: number; rawBytes: number; files: number }) =>
    `${formatValue(weight.gzipBytes, 'bytes')} gzip (${formatValue(weight.rawBytes, 'bytes')} raw, ${weight.files} files)`;
  return [
    valueRow({
      id: 'js-gzip',
      label: 'User Center JavaScript',
      value: bundle.js.gzipBytes,
      unit: 'bytes',
      display: describe(bundle.js),
      target: { kind: 'value-at-most', value: 150e3 },
    }),
    valueRow({ id: 'css-gzip', label: 'User Center CSS', value: bundle.css.gzipBytes, unit: 'bytes', display: describe(bundle.css) }),
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
  if (!measureBundle(rendererDir)) {
    return valueRow({ id: 'page-load', label, value: null, unit: 'ms', display: 'not built', baseline });
  }
  const url = `http://localhost:${server.port}/`;
  try {
    const userCenter = await timeToUsableForm(url, profile.pageLoads);
    return valueRow({ id: 'page-load', label, value: userCenter.medianMs, unit: 'ms', baseline });
  } catch (error) {
    const page = await fetch(url).then((response) => response.text());
    const note = page.includes('id="root"')
      ? `no usable Username field appeared within 20 s (${(error as Error).message.split('\n')[0]}).`
      : 'the server does not serve the built User Center at / (it answered its placeholder page).';
    return valueRow({ id: 'page-load', label, value: null, unit: 'ms', display: 'not measured', baseline, note });
  }
}

main().catch((error: Error) => {
  process.stderr.write(`\nbench: FAILED — ${error instanceof BenchFailure ? error.message : (error.stack ?? error.message)}\n`);
  process.exit(1);
});
