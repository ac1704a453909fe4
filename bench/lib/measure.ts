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
  name: 'small' | 'large';
  accounts: number;
  /** Second-factor tickets seeded per method. */
  tickets: number;
  process: RunningProcess;
  port: number;
  /** Where autocannon sends requests (the server also answers for localhost; see API.md "Host check"). */
  loadOrigin: string;
  startedAt: number;
  peakRss: { row: string; bytes: number }[];
}

/** Starts `node build/server/main.js` (the built server) on a seeded data folder. */
export async function startServer(
  name: Server['name'],
  accounts: number,
  tickets: number,
  port: number,
  dataDir: string,
): Promise<Server> {
  const child = await startNode(
    ['build/server/main.js', '--port', String(port), '--data-dir', dataDir, '--log-level', 'warn'],
    /Latchkey is serving/,
  );
  log(`server on ${accounts.toLocaleString('en-US')} accounts: pid ${child.pid}`);
  return {
    name,
    accounts,
    tickets,
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
  log(`server on ${server.accounts.toLocaleString('en-US')} accounts: ${formatValue(bytes, 'bytes')} resident`);
  return bytes;
}

/**
 * Runs one measuring script (`node --import tsx SCRIPT …`) that prints RunResult lines. With
 * `cpuOf`, each run's CPU per operation is that process's CPU time over the run (the server's,
 * for HTTP rows), read from /proc when the run's line arrives.
 */
export async function collectRuns(label: string, script: string[], cpuOf?: number): Promise<Measured> {
  const runs: RunResult[] = [];
  log(`${label} …`);
  let cpuBefore = cpuOf === undefined ? 0 : cpuMilliseconds(cpuOf);
  await runNode([...TSX, ...script], (line) => {
    const run = JSON.parse(line) as RunResult;
    if (cpuOf !== undefined) {
      const cpuNow = cpuMilliseconds(cpuOf);
      run.cpuMsPerOp = run.completed > 0 ? (cpuNow - cpuBefore) / run.completed : null;
      cpuBefore = cpuNow;
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

/** Loads one HTTP row from a separate process, sampling the target's memory meanwhile. */
export async function loadHttp(
  label: string,
  scenario: HttpScenario,
  target: { origin: string; pid: number; server?: Server },
  profile: Profile,
  runSeconds = profile.runSeconds,
): Promise<Measured> {
  const { server } = target;
  const spec: LoadSpec = {
    origin: target.origin,
    scenario,
    accounts: server?.accounts ?? 0,
    totpTickets: server?.tickets ?? 0,
    backupCodeTickets: server?.tickets ?? 0,
    connections: profile.connections,
    warmupSeconds: profile.warmupSeconds,
    runSeconds,
    runs: profile.runs,
  };
  const memory = new PeakMemory(target.pid);
  try {
    return await collectRuns(label, ['bench/load-worker.ts', JSON.stringify(spec)], target.pid);
  } finally {
    const peak = memory.stop();
    server?.peakRss.push({ row: label, bytes: peak });
  }
}
