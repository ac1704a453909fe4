// Running the measuring processes: the built server on a seeded data folder, and the load
// generator or library loop whose JSON lines become a row. Any failed request stops the benchmark.
import { formatValue } from './report.js';
import type { HttpScenario } from './http-scenarios.js';
import type { LoadSpec, RunResult } from './load-protocol.js';
import type { Profile } from './options.js';
import { cpuMilliseconds, PeakMemory, residentBytes, runNode, startNode, type RunningProcess } from './processes.js';
import { summarize, type Measured } from './rows.js';

export class BenchFailure extends Error {}

export const log = (message: string) => process.stderr.write(`bench: ${message}\n`);

const TSX = ['--import', 'tsx'];

export interface Server {
  /** Which seeded population it serves: "small", "large", "postgres", "peer", … */
  name: string;
  accounts: number;
  /** Second-factor tickets seeded per method. */
  tickets: number;
  process: RunningProcess;
  port: number;
  /** Where autocannon sends requests (the server also answers for localhost; see docs/api.md "Host check"). */
  loadOrigin: string;
  startedAt: number;
  peakRss: { row: string; bytes: number }[];
}

export interface ServerStart {
  name: string;
  accounts: number;
  tickets: number;
  port: number;
  dataDir: string;
  /** --log-level; null starts the server at its default level. Default: warn, as the desktop app does. */
  logLevel?: string | null;
  /** Where its stdout (its log) goes; unset, the benchmark reads it for the start-up line. */
  logFile?: string;
  /** More server options (the database URL for PostgreSQL). */
  args?: string[];
  /** Options for Node itself, before the script (--cpu-prof …). */
  nodeArgs?: string[];
}

/** The benchmark's servers take no LATCHKEY_* setting from the environment it was started in. */
export function serverEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('LATCHKEY_')));
}

/** Starts `node build/server/main.js` (the built server) on a seeded data folder. */
export async function startServer(start: ServerStart): Promise<Server> {
  const { logLevel = 'warn', port } = start;
  const args = [...(start.nodeArgs ?? []), 'build/server/main.js', '--port', String(port), '--data-dir', start.dataDir];
  args.push(...(start.args ?? []));
  if (logLevel !== null) args.push('--log-level', logLevel);
  const ready = start.logFile
    ? { okAt: `http://127.0.0.1:${port}/api/v1/health`, stdoutFile: start.logFile }
    : /Latchkey is serving/;
  const child = await startNode(args, ready, { env: serverEnvironment() });
  log(`server on ${start.accounts.toLocaleString('en-US')} accounts (${start.name}): pid ${child.pid}`);
  return {
    name: start.name,
    accounts: start.accounts,
    tickets: start.tickets,
    process: child,
    port,
    loadOrigin: `http://127.0.0.1:${port}`,
    startedAt: Date.now(),
    peakRss: [],
  };
}

/**
 * One password sign-in before the measured rows. A server that has served a sign-in has run a
 * transaction, and with it turned on the AsyncLocalStorage that transactions use, which adds a
 * little to every later request; a live server is in that state, so the rows measure it too.
 */
export async function primeWithSignIn(server: Server, username: string, password: string): Promise<void> {
  const response = await fetch(`${server.loadOrigin}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (response.status !== 200) {
    throw new BenchFailure(
      `The first sign-in on the ${server.name} database failed: HTTP ${response.status} ${await response.text()}`,
    );
  }
}

/** The resident memory of a server once `settleMs` have passed since `since`, with no requests meanwhile. */
export async function settledRss(server: Server, since: number, settleMs: number): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, since + settleMs - Date.now())));
  const bytes = residentBytes(server.process.pid);
  log(`${server.name} server: ${formatValue(bytes, 'bytes')} resident`);
  return bytes;
}

/**
 * Runs one measuring script (`node --import tsx SCRIPT …`) that prints RunResult lines. With
 * `cpuOf`, each run's CPU per operation is the CPU time of those processes over the run (the
 * server's, or the instances', for HTTP rows), read from /proc when the run's line arrives.
 */
export async function collectRuns(label: string, script: string[], cpuOf: number[] = []): Promise<Measured> {
  const runs: RunResult[] = [];
  log(`${label} …`);
  const cpuNow = () => cpuOf.reduce((sum, pid) => sum + cpuMilliseconds(pid), 0);
  let cpuBefore = cpuNow();
  await runNode([...TSX, ...script], (line) => {
    const run = JSON.parse(line) as RunResult;
    if (cpuOf.length > 0) {
      const cpu = cpuNow();
      run.cpuMsPerOp = run.completed > 0 ? (cpu - cpuBefore) / run.completed : null;
      cpuBefore = cpu;
    }
    runs.push(run);
    const rate = Math.round(run.requestsPerSecond).toLocaleString('en-US');
    const which = run.warmup ? 'warm-up' : `run ${runs.filter((r) => !r.warmup).length}`;
    log(`  ${which}: ${rate}/s, ${run.errors} errors`);
  });
  const measured = summarize(runs);
  if (measured.errors > 0) {
    throw new BenchFailure(`${label}: ${measured.errors} requests failed. First failure: ${measured.firstError}`);
  }
  return measured;
}

/** What an HTTP row loads: one server or several instances of one, and the population behind them. */
export interface LoadTarget {
  origins: string[];
  /** The processes whose CPU time the row's CPU/op is. */
  pids: number[];
  accounts: number;
  /** Second-factor tickets seeded per method. */
  tickets: number;
  /** The server whose peak memory the row counts toward. */
  server?: Server;
}

/** A seeded Latchkey server as a load target. */
export function serverTarget(server: Server): LoadTarget {
  return {
    origins: [server.loadOrigin],
    pids: [server.process.pid],
    accounts: server.accounts,
    tickets: server.tickets,
    server,
  };
}

/** Loads one HTTP row from a separate process, sampling the target's memory meanwhile. */
export async function loadHttp(
  label: string,
  scenario: HttpScenario,
  target: LoadTarget,
  profile: Profile,
  options: { runSeconds?: number; connections?: number; share?: LoadSpec['share'] } = {},
): Promise<Measured> {
  const spec: LoadSpec = {
    origins: target.origins,
    scenario,
    accounts: target.accounts,
    totpTickets: target.tickets,
    backupCodeTickets: target.tickets,
    ...(options.share ? { share: options.share } : {}),
    connections: options.connections ?? profile.connections,
    warmupSeconds: profile.warmupSeconds,
    runSeconds: options.runSeconds ?? profile.runSeconds,
    runs: profile.runs,
  };
  const memory = new PeakMemory(target.pids[0]!);
  try {
    return await collectRuns(label, ['bench/load-worker.ts', JSON.stringify(spec)], target.pids);
  } finally {
    const peak = memory.stop();
    target.server?.peakRss.push({ row: label, bytes: peak });
  }
}
