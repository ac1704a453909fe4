// What the orchestrator (run.ts) asks of a load-generating process, and what it prints back:
// one JSON line per run on stdout.
import type { HttpScenario } from './http-scenarios.js';

export interface LoadSpec {
  /** http://127.0.0.1:PORT */
  origin: string;
  scenario: HttpScenario;
  accounts: number;
  totpTickets: number;
  backupCodeTickets: number;
  connections: number;
  warmupSeconds: number;
  runSeconds: number;
  runs: number;
}

export interface RunResult {
  kind: 'run';
  warmup: boolean;
  /** Correct 2xx answers. */
  completed: number;
  /** Non-2xx answers, wrong bodies, connection errors and timeouts. */
  errors: number;
  /** The first failure, for the message that stops the benchmark. */
  firstError: string | null;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /**
   * CPU time (user + system, all threads) of the measured process per completed operation: the
   * server's for HTTP rows (filled in by the orchestrator), the loop's own otherwise. Unlike
   * throughput, it hardly moves when other work shares the machine.
   */
  cpuMsPerOp: number | null;
}

/** The most requests one run (or the warm-up) may send, so single-use tickets last for every run. */
export function runAllotment(capacity: number, runs: number): number {
  return Number.isFinite(capacity) ? Math.floor(capacity / (runs + 1)) : Infinity;
}
