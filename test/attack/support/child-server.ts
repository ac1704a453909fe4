// The built server as its own process, the way people run it (`node build/server/main.js`), so a
// test can SIGKILL it, make its files read-only or fill its disk. The build is refreshed first
// (npm test builds before vitest; a lone `vitest run` may not have).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildServer } from '../../support/build-server.js';
import { TestClient } from '../../support/http-client.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const BUILT_ENTRY = join(ROOT, 'build', 'server', 'main.js');

let entry: string[] | undefined;

/**
 * The command that runs the server: the build, brought up to date first (`tsc -b` is incremental:
 * about a second when nothing changed). If the build cannot be made (another change to the tree
 * is half-done), the sources through tsx: slower to start, same code.
 */
export function serverCommand(): string[] {
  if (entry) return entry;
  const built = buildServer();
  if (built.status === 0 && existsSync(BUILT_ENTRY)) {
    entry = [BUILT_ENTRY];
  } else {
    console.warn(`build:server failed; running the server through tsx.\n${built.output}`);
    entry = ['--import', 'tsx', join(ROOT, 'server', 'main.ts')];
  }
  return entry;
}

export interface ChildServer {
  /** The public origin (--public-origin, else http://localhost:PORT). */
  origin: string;
  /** The port it listens on (from its start-up line, so --port 0 works). */
  port: number;
  process: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  client(): TestClient;
  /** Resolves with the exit code or signal once the process has ended. */
  exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): Promise<number | string>;
}

export interface ChildServerOptions {
  port: number;
  dataDir: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** Run as this user (the read-only file test: root ignores file modes). */
  uid?: number;
  gid?: number;
  /** Start under this umask (through /bin/sh), e.g. 0 to prove the server sets its own. */
  umask?: number;
}

/** Starts the server and resolves once it prints its origin; rejects if it exits first. */
export function startChildServer(options: ChildServerOptions): Promise<ChildServer> {
  const args = [
    ...serverCommand(),
    '--port',
    String(options.port),
    '--data-dir',
    options.dataDir,
    '--log-level',
    'warn',
    ...(options.args ?? []),
  ];
  const [command, commandArgs]: [string, string[]] =
    options.umask === undefined
      ? [process.execPath, args]
      : ['/bin/sh', ['-c', `umask ${options.umask.toString(8)} && exec "$0" "$@"`, process.execPath, ...args]];
  const child = spawn(command, commandArgs, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
    ...(options.uid !== undefined ? { uid: options.uid, gid: options.gid ?? options.uid } : {}),
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return new Promise((resolve, reject) => {
    const onData = () => {
      // "Latchkey is serving ORIGIN on 127.0.0.1:PORT, [::1]:PORT (data in …)", read only once
      // the port is whole (output arrives in chunks that may end anywhere).
      const match = /serving (\S+) on (?:\[[^\]]+\]|[^\s,]+):(\d+)[,\s]/.exec(output);
      if (!match) return;
      child.stdout!.off('data', onData);
      const origin = match[1]!;
      const port = Number(match[2]);
      resolve({
        origin,
        port,
        process: child,
        output: () => output,
        client: () => new TestClient(origin, port),
        exited,
        async kill(signal: NodeJS.Signals = 'SIGKILL') {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => reject(new Error(`the server exited (${code}) before serving:\n${output}`)));
  });
}
