// Server ready: how long from starting the process to its first 200 from GET /api/v1/health, on
// an existing (seeded) data folder with a warm disk — what every desktop user waits at every
// launch before the window can show anything. Beside it, in the same run, a bare Node HTTP server
// (bench/bare-node-server.mjs) timed the same way, and the time to import the built server's app
// module alone, which tells how much of the wait is loading code.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { log } from './measure.js';
import { REPO_ROOT, startNode } from './processes.js';
import { formatValue, type Row } from './report.js';
import { valueRow } from './rows.js';
import { median } from './stats.js';
import { TARGETS } from './targets.js';

/** One start: spawn `node ...args`, ask `url` until it answers 200, then stop the process. */
export async function timeToFirstOk(args: string[], url: string): Promise<number> {
  const started = performance.now();
  const child = await startNode(args, { okAt: url, stdoutFile: '/dev/null' }, { timeoutMs: 30_000 });
  const elapsed = performance.now() - started;
  await child.stop();
  return elapsed;
}

/** Median of `starts` starts after one that is not counted (it warms the disk cache and any compile cache). */
export async function medianTimeToFirstOk(
  args: string[],
  url: string,
  starts: number,
): Promise<{ medianMs: number; samplesMs: number[] }> {
  await timeToFirstOk(args, url);
  const samplesMs: number[] = [];
  for (let i = 0; i < starts; i++) samplesMs.push(await timeToFirstOk(args, url));
  return { medianMs: median(samplesMs), samplesMs };
}

/** The time `import()` of one module takes in a fresh Node process, Node's own start left out. */
export function importMilliseconds(modulePath: string): number {
  const script =
    'const started = performance.now(); await import(process.argv[1]); ' +
    'process.stdout.write(String(performance.now() - started));';
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script, modulePath], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  return Number(output);
}

export interface ServerReadyOptions {
  dataDir: string;
  accountsLabel: string;
  port: number;
  starts: number;
}

/** The three rows: the bare Node server (baseline), Latchkey's server ready, the import alone. */
export async function serverReadyRows(options: ServerReadyOptions): Promise<Row[]> {
  const { port, starts } = options;
  log(`timing ${starts} starts of a bare Node server and of Latchkey's …`);
  const health = `http://127.0.0.1:${port}/api/v1/health`;
  const bare = await medianTimeToFirstOk(['bench/bare-node-server.mjs', String(port)], health, starts);
  const bareRow = valueRow({
    id: 'ready-bare-node',
    label: 'Bare Node HTTP server ready (baseline)',
    short: 'bare Node server',
    value: bare.medianMs,
    unit: 'ms',
    note: `process start → first 200, median of ${starts} starts (node:http, no framework, no data).`,
  });
  // As the desktop app starts it (src-main/server/supervisor.ts): loopback, log level warn.
  const serverArgs = ['build/server/main.js', '--host', '127.0.0.1', '--port', String(port)];
  serverArgs.push('--data-dir', options.dataDir, '--log-level', 'warn');
  const latchkey = await medianTimeToFirstOk(serverArgs, health, starts);
  const spread = `${formatValue(Math.min(...latchkey.samplesMs), 'ms')}–${formatValue(Math.max(...latchkey.samplesMs), 'ms')}`;
  const readyRow = valueRow({
    id: 'ready-server',
    label: `Server ready (process start → first 200 from /api/v1/health), ${options.accountsLabel}`,
    value: latchkey.medianMs,
    unit: 'ms',
    target: TARGETS.serverReadyMs,
    baseline: { ...bareRowRef(bareRow), value: bare.medianMs },
    note: `median of ${starts} starts (${spread}) of \`node build/server/main.js\` on the seeded data folder, warm disk; the ratio is this time over the bare server's.`,
  });
  log(`  ${formatValue(bare.medianMs, 'ms')} and ${formatValue(latchkey.medianMs, 'ms')}`);
  const appModule = join(REPO_ROOT, 'build/server/app.js');
  importMilliseconds(appModule); // not counted: warms the disk cache
  const imports = Array.from({ length: starts }, () => importMilliseconds(appModule));
  const importRow = valueRow({
    id: 'ready-import',
    label: 'Importing build/server/app.js alone',
    value: median(imports),
    unit: 'ms',
    note: `median of ${starts} fresh processes, from just before import() to its end (Node's own start not included): the part of "Server ready" spent loading code.`,
  });
  return [bareRow, readyRow, importRow];
}

function bareRowRef(row: Row) {
  return { id: row.id, label: row.shortLabel ?? row.label, display: row.display };
}
