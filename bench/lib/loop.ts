// Runs an async operation in a closed loop with a fixed number in flight (like autocannon's
// connections), for the rows that measure a library alone: argon2id, WebAuthn verification.
import type { RunResult } from './load-protocol.js';
import { percentile, SampleBuffer } from './stats.js';

export async function closedLoop(
  operation: () => Promise<boolean>,
  options: { seconds: number; concurrency: number; warmup: boolean },
): Promise<RunResult> {
  const latencies = new SampleBuffer();
  const cpuAtStart = process.cpuUsage();
  const startedAt = performance.now();
  const endsAt = startedAt + options.seconds * 1000;
  let completed = 0;
  let errors = 0;
  let firstError: string | null = null;
  let lastDoneAt = startedAt;
  const lane = async () => {
    while (performance.now() < endsAt) {
      const begun = performance.now();
      try {
        if (await operation()) {
          completed++;
          lastDoneAt = performance.now();
          latencies.push(lastDoneAt - begun);
        } else {
          errors++;
          firstError ??= 'the operation answered false';
        }
      } catch (error) {
        errors++;
        firstError ??= (error as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  const seconds = (lastDoneAt - startedAt) / 1000;
  const cpu = process.cpuUsage(cpuAtStart);
  return {
    kind: 'run',
    warmup: options.warmup,
    completed,
    errors,
    firstError,
    seconds,
    requestsPerSecond: seconds > 0 ? completed / seconds : 0,
    p50Ms: percentile(latencies.values(), 50),
    p99Ms: percentile(latencies.values(), 99),
    cpuMsPerOp: completed > 0 ? (cpu.user + cpu.system) / 1000 / completed : null,
  };
}

/** Warm-up then `runs` measured runs, each printed as one JSON line (the load-worker protocol). */
export async function printRuns(
  operation: () => Promise<boolean>,
  options: { warmupSeconds: number; runSeconds: number; runs: number; concurrency: number },
): Promise<void> {
  const print = (result: RunResult) => process.stdout.write(`${JSON.stringify(result)}\n`);
  const { concurrency } = options;
  const runs = [options.warmupSeconds, ...Array<number>(options.runs).fill(options.runSeconds)];
  for (const [i, seconds] of runs.entries()) {
    if (seconds <= 0) continue;
    const result = await closedLoop(operation, { seconds, concurrency, warmup: i === 0 });
    print(result);
    if (result.errors > 0) return;
  }
}
