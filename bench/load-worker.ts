// The load generator: a process of its own (so it does not share an event loop with the server
// or the orchestrator) that drives autocannon against one HTTP row and prints one JSON line per
// run. Usage: node --import tsx bench/load-worker.ts '<LoadSpec as JSON>'
import autocannon from 'autocannon';
import { requestSource } from './lib/http-scenarios.js';
import { runAllotment, type LoadSpec, type RunResult } from './lib/load-protocol.js';
import { percentile, SampleBuffer } from './lib/stats.js';

const spec = JSON.parse(process.argv[2] ?? '') as LoadSpec;
const source = requestSource(spec.scenario, spec.accounts, spec.totpTickets, spec.backupCodeTickets);
const perRun = runAllotment(source.capacity, spec.runs);
// One counter across the warm-up and every run: a single-use ticket is never sent twice.
let nextIndex = 0;

function measure(seconds: number, warmup: boolean): Promise<RunResult> {
  const latencies = new SampleBuffer();
  let completed = 0;
  let wrongBodies = 0;
  let firstError: string | null = null;
  let lastResponseAt = 0;
  const startedAt = performance.now();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.origin,
        // A connection's share of maxOverallRequests must be at least 1 (0 would mean "no limit").
        connections: Math.min(spec.connections, perRun),
        pipelining: 1,
        duration: seconds,
        ...(Number.isFinite(perRun) ? { maxOverallRequests: perRun } : {}),
        requests: [
          {
            // Keep what autocannon filled in (host, port); replace method, path, headers and body.
            setupRequest: (request) => ({ ...request, ...source.request(nextIndex++) }),
            onResponse: (status, body) => {
              if (status >= 200 && status < 300 && !source.accepts(body)) {
                wrongBodies++;
                firstError ??= `HTTP ${status} with an unexpected body: ${body.slice(0, 300)}`;
              } else if (status >= 300) {
                firstError ??= `HTTP ${status}: ${body.slice(0, 300)}`;
              }
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        const failures = result.errors + result.non2xx + wrongBodies;
        if (failures > 0 && firstError === null) {
          firstError = `${result.errors} connection errors (${result.timeouts} timeouts)`;
        }
        const elapsed = (lastResponseAt - startedAt) / 1000;
        resolve({
          kind: 'run',
          warmup,
          completed: completed - wrongBodies,
          errors: failures,
          firstError,
          seconds: elapsed,
          requestsPerSecond: elapsed > 0 ? (completed - wrongBodies) / elapsed : 0,
          p50Ms: percentile(latencies.values(), 50),
          p99Ms: percentile(latencies.values(), 99),
          cpuMsPerOp: null,
        });
      },
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, responseTimeMs: number) => {
      lastResponseAt = performance.now();
      if (status >= 200 && status < 300) {
        completed++;
        latencies.push(responseTimeMs);
      }
    });
  });
}

async function main(): Promise<void> {
  const print = (result: RunResult) => process.stdout.write(`${JSON.stringify(result)}\n`);
  // A run with failures ends the row: the orchestrator stops the benchmark on it anyway.
  const runs = [spec.warmupSeconds, ...Array<number>(spec.runs).fill(spec.runSeconds)];
  for (const [i, seconds] of runs.entries()) {
    if (seconds <= 0) continue;
    const result = await measure(seconds, i === 0);
    print(result);
    if (result.errors > 0) return;
  }
}

main().catch((error: Error) => {
  process.stderr.write(`load worker failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
