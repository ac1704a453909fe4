// Child processes of the benchmark: the built Latchkey server, the baseline Fastify server and
// the load generators. Each is started by PID and stopped by PID; a failure shows its output.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { createInterface } from 'node:readline';

export const REPO_ROOT = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');

export interface RunningProcess {
  child: ChildProcess;
  pid: number;
  /** The last lines it wrote, for error messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * How a started process shows it is ready: a line of its stdout that matches, or (for a server
 * whose output goes to a file, so that the benchmark never reads its log lines) a 200 at a URL.
 */
export type Readiness = RegExp | { okAt: string; stdoutFile: string };

/** Starts `node ...args` and resolves once it is ready. */
export function startNode(
  args: string[],
  ready: Readiness,
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<RunningProcess> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const toFile = !(ready instanceof RegExp);
  const stdout = toFile ? openSync(ready.stdoutFile, 'a') : 'pipe';
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    stdio: ['ignore', stdout, 'pipe'],
    env: options.env ?? process.env,
  });
  if (toFile) closeSync(stdout as number);
  const lines: string[] = [];
  const remember = (line: string) => {
    lines.push(line);
    if (lines.length > 40) lines.shift();
  };
  createInterface({ input: child.stderr! }).on('line', remember);
  const running: RunningProcess = {
    child,
    pid: child.pid!,
    output: () => lines.join('\n'),
    stop: () => stopChild(child),
  };
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(running);
    };
    const timer = setTimeout(() => {
      void running.stop();
      settle(new Error(`${args.join(' ')} did not start within ${timeoutMs / 1000} s:\n${running.output()}`));
    }, timeoutMs);
    child.once('exit', (code, signal) =>
      settle(new Error(`${args.join(' ')} exited (${signal ?? code}) before it was ready:\n${running.output()}`)),
    );
    if (ready instanceof RegExp) {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        remember(line);
        if (ready.test(line)) settle();
      });
    } else {
      firstOk(ready.okAt, () => settled).then(
        () => settle(),
        (error: Error) => settle(error),
      );
    }
  });
}

/**
 * Resolves at the first 200 from `url`, asking again 1 ms after each refused connection (a
 * refused connection costs the starting process nothing). Gives up when `stopAsking` says so.
 */
export function firstOk(url: string, stopAsking: () => boolean = () => false): Promise<void> {
  return new Promise((resolve, reject) => {
    const ask = () => {
      if (stopAsking()) return reject(new Error(`Stopped waiting for ${url}.`));
      const request = httpGet(url, { agent: false }, (response) => {
        response.resume();
        response.once('end', () => (response.statusCode === 200 ? resolve() : setTimeout(ask, 1)));
      });
      request.once('error', () => setTimeout(ask, 1));
    };
    ask();
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Runs `node ...args` to the end; calls `onLine` for every stdout line. Rejects on a non-zero exit. */
export function runNode(args: string[], onLine: (line: string) => void, env?: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: env ?? process.env,
  });
  const errors: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => errors.push(line));
  createInterface({ input: child.stdout! }).on('line', onLine);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`node ${args.join(' ')} failed (${signal ?? code}):\n${errors.slice(-30).join('\n')}`));
    });
  });
}

/** Resident memory of a process, in bytes (VmRSS in /proc/PID/status). */
export function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new Error(`No VmRSS for process ${pid}.`);
  return Number(match[1]) * 1024;
}

let clockTicksPerSecond: number | null = null;

/** CPU time a process has used so far (user + system, all its threads), in milliseconds. */
export function cpuMilliseconds(pid: number): number {
  clockTicksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  // Fields after the command name (which may hold spaces, hence the split on ") "): utime is
  // the 14th field of the line, stime the 15th (proc(5)).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicksPerSecond;
}

/** Samples a process's resident memory every `intervalMs` and keeps the peak. */
export class PeakMemory {
  private peak = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs = 100,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref(); // never what keeps the benchmark from exiting
  }

  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.peak;
  }

  private sample(): void {
    try {
      this.peak = Math.max(this.peak, residentBytes(this.pid));
    } catch {
      // The process ended; the peak so far stands.
    }
  }
}
