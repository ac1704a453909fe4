// Starts the built server (build/server/main.js, serving build/renderer) as its own process on a
// free port (4700–4749 unless a spec names its own range) with a fresh data folder, and stops it
// by its PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isFreeOnLoopback } from '../../support/foreign-listener.js';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');
export const SERVER_ENTRY = join(REPO_ROOT, 'build', 'server', 'main.js');
export const UI_INDEX = join(REPO_ROOT, 'build', 'renderer', 'index.html');
const PORT_RANGE = { first: 4700, last: 4749 } as const;

export interface RunningServer {
  /** The public origin (--public-origin, else http://localhost:PORT). */
  origin: string;
  /** Where it listens on loopback (127.0.0.1 and ::1). */
  port: number;
  dataDir: string;
  pid: number;
  stop(): Promise<void>;
}

export interface PortRange {
  first: number;
  last: number;
}

async function freePort(range: PortRange): Promise<number> {
  for (let port = range.first; port <= range.last; port++) {
    // The server holds 127.0.0.1 and ::1 at its port, and refuses one taken on either.
    if (await isFreeOnLoopback(port)) return port;
  }
  throw new Error(`No free port in ${range.first}-${range.last}.`);
}

export function assertBuilt(): void {
  for (const file of [SERVER_ENTRY, UI_INDEX]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` before the browser tests.`);
  }
}

export async function startLatchkey(
  extraArgs: string[] = [],
  { ports = PORT_RANGE }: { ports?: PortRange } = {},
): Promise<RunningServer> {
  assertBuilt();
  const port = await freePort(ports);
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-e2e-'));
  const child = spawn(
    process.execPath,
    [SERVER_ENTRY, '--port', String(port), '--data-dir', dataDir, '--log-level', 'warn', ...extraArgs],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LATCHKEY_SECRET_KEY: '' } },
  );
  const origin = await waitForOrigin(child);
  const pid = child.pid;
  if (pid === undefined) throw new Error('The server process has no PID.');
  return {
    origin,
    port,
    dataDir,
    pid,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        process.kill(pid, 'SIGTERM');
        const timer = setTimeout(() => child.exitCode === null && process.kill(pid, 'SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function waitForOrigin(child: ChildProcess): Promise<string> {
  return new Promise((done, fail) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`The server did not start within 20 s:\n${output}`));
    }, 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Latchkey is serving (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        done(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`The server exited (${code}) before serving:\n${output}`));
    });
  });
}
