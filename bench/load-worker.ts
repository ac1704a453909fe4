// The load generator: a process of its own (so it does not share an event loop with the server
// or the orchestrator) that drives autocannon against one HTTP row and prints one JSON line per
// run. With several origins (server instances) it runs one autocannon per origin at once, the
// connections shared out among them, and reports their sum. A two-step scenario sends its two
// requests one after the other on each connection and counts whole sign-ins.
// Usage: node --import tsx bench/load-worker.ts '<LoadSpec as JSON>'
import autocannon, { type Request as AutocannonRequest, type Result as AutocannonResult } from 'autocannon';
import { requestSource, type Answer, type RequestSource } from './lib/http-scenarios.js';
import { runAllotment, shareOf, splitConnections, type LoadSpec, type RunResult } from './lib/load-protocol.js';
import { percentile, SampleBuffer } from './lib/stats.js';

const spec = JSON.parse(process.argv[2] ?? '') as LoadSpec;

async function loadSource(): Promise<RequestSource> {
  if (spec.scenario.startsWith('peer-')) {
    const { peerRequestSource } = await import('./peer/scenarios.js');
    return peerRequestSource(spec.scenario as Parameters<typeof peerRequestSource>[0], spec.origins[0]!, spec.accounts);
  }
  return requestSource(
    spec.scenario as Parameters<typeof requestSource>[0],
    spec.accounts,
    spec.totpTickets,
    spec.backupCodeTickets,
  );
}

const source = await loadSource();
const { first, capacity } = shareOf(source.capacity, spec.share);
const perRun = runAllotment(capacity, spec.runs);
// One counter across the warm-up and every run: a single-use ticket is never sent twice.
let nextIndex = first;

/** What a connection remembers between the two requests of a two-step sign-in. */
interface FlowContext {
  index?: number;
  startedAt?: number;
  first?: Answer;
}

interface Tally {
  completed: number;
  failures: number;
  firstError: string | null;
  lastResponseAt: number;
  latencies: SampleBuffer;
}

function fail(tally: Tally, message: string): void {
  tally.failures++;
  tally.firstError ??= message;
}

function requestsOf(tally: Tally): AutocannonRequest[] {
  const { followUp } = source;
  const answered = (status: number, body: string, accepts: (body: string) => boolean) => {
    if (status >= 200 && status < 300 && accepts(body)) return true;
    fail(
      tally,
      status >= 300
        ? `HTTP ${status}: ${body.slice(0, 300)}`
        : `HTTP ${status} with an unexpected body: ${body.slice(0, 300)}`,
    );
    return false;
  };
  if (!followUp) {
    return [
      {
        // Keep what autocannon filled in (host, port); replace method, path, headers and body.
        setupRequest: (request) => ({ ...request, ...source.request(nextIndex++) }),
        onResponse: (status, body, _context, headers) => {
          if (answered(status, body, (text) => source.accepts(text, headers))) tally.completed++;
        },
      },
    ];
  }
  return [
    {
      setupRequest: (request, context: FlowContext) => {
        context.index = nextIndex++;
        context.startedAt = performance.now();
        return { ...request, ...source.request(context.index) };
      },
      onResponse: (status, body, context: FlowContext, headers) => {
        if (answered(status, body, (text) => source.accepts(text, headers))) context.first = { body, headers };
      },
    },
    {
      // After a failed first step there is nothing to send: autocannon starts the flow again.
      setupRequest: (request, context: FlowContext) =>
        context.first ? { ...request, ...followUp.request(context.index!, context.first) } : null,
      onResponse: (status, body, context: FlowContext) => {
        if (!answered(status, body, followUp.accepts)) return;
        tally.completed++;
        tally.latencies.push(performance.now() - context.startedAt!);
      },
    },
  ];
}

function measureOne(origin: string, connections: number, seconds: number, limit: number, tally: Tally) {
  return new Promise<AutocannonResult>((resolve, reject) => {
    const instance = autocannon(
      {
        url: origin,
        // A connection's share of maxOverallRequests must be at least 1 (0 would mean "no limit").
        connections: Math.min(connections, limit),
        pipelining: 1,
        duration: seconds,
        ...(Number.isFinite(limit) ? { maxOverallRequests: limit * (source.followUp ? 2 : 1) } : {}),
        requests: requestsOf(tally),
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, responseTimeMs: number) => {
      tally.lastResponseAt = performance.now();
      if (!source.followUp && status >= 200 && status < 300) tally.latencies.push(responseTimeMs);
    });
  });
}

async function measure(seconds: number, warmup: boolean): Promise<RunResult> {
  const tally: Tally = {
    completed: 0,
    failures: 0,
    firstError: null,
    lastResponseAt: 0,
    latencies: new SampleBuffer(),
  };
  const startedAt = performance.now();
  const shares = splitConnections(spec.connections, spec.origins.length);
  const limit = Number.isFinite(perRun) ? Math.floor(perRun / spec.origins.length) : Infinity;
  const results = await Promise.all(
    spec.origins.map((origin, i) => measureOne(origin, shares[i]!, seconds, limit, tally)),
  );
  // Connection errors and timeouts are not answers, so onResponse never saw them.
  const lost = results.reduce((sum, result) => sum + result.errors, 0);
  if (lost > 0) {
    const timeouts = results.reduce((sum, result) => sum + result.timeouts, 0);
    fail(tally, `${lost} connection errors (${timeouts} timeouts)`);
    tally.failures += lost - 1;
  }
  if (tally.failures > 0 && source.shortfall?.()) tally.firstError = source.shortfall()!;
  const elapsed = (tally.lastResponseAt - startedAt) / 1000;
  return {
    kind: 'run',
    warmup,
    completed: tally.completed,
    errors: tally.failures,
    firstError: tally.firstError,
    seconds: elapsed,
    requestsPerSecond: elapsed > 0 ? tally.completed / elapsed : 0,
    p50Ms: percentile(tally.latencies.values(), 50),
    p99Ms: percentile(tally.latencies.values(), 99),
    cpuMsPerOp: null,
  };
}

/** The pause between two runs of a row. */
const RUN_GAP_MS = 500;

async function main(): Promise<void> {
  const print = (result: RunResult) => process.stdout.write(`${JSON.stringify(result)}\n`);
  // A run with failures ends the row: the orchestrator stops the benchmark on it anyway.
  const runs = [spec.warmupSeconds, ...Array<number>(spec.runs).fill(spec.runSeconds)];
  for (const [i, seconds] of runs.entries()) {
    if (seconds <= 0) continue;
    // Requests autocannon abandoned as the last run ended are still being judged by the server: on
    // one account their attempt reservations count in flight (docs/api.md "Attempt limits"), and
    // the next run's first requests would be refused for them. Let them finish first.
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, RUN_GAP_MS));
    const result = await measure(seconds, i === 0);
    print(result);
    if (result.errors > 0) return;
  }
}

main().catch((error: Error) => {
  process.stderr.write(`load worker failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
