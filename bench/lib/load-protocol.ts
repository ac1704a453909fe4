// What the orchestrator (run.ts) asks of a load-generating process, and what it prints back:
// one JSON line per run on stdout.
import type { HttpScenario } from './http-scenarios.js';

export interface LoadSpec {
  /** http://127.0.0.1:PORT, one per server instance; the connections are shared out among them. */
  origins: string[];
  scenario: HttpScenario;
  accounts: number;
  totpTickets: number;
  backupCodeTickets: number;
  /**
   * This row's share of the single-use requests when several rows use one population: share
   * `index` (from 0) of `of` equal parts. Absent: all of them.
   */
  share?: { index: number; of: number };
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

/** The single-use requests a row may send: the first index and how many, after its share. */
export function shareOf(capacity: number, share: LoadSpec['share']): { first: number; capacity: number } {
  if (!share || !Number.isFinite(capacity)) return { first: 0, capacity };
  const part = Math.floor(capacity / share.of);
  return { first: share.index * part, capacity: part };
}

/** `connections` shared out over `parts` load generators, none left with 0. */
export function splitConnections(connections: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) =>
    Math.max(1, Math.floor(connections / parts) + (i < connections % parts ? 1 : 0)),
  );
}
