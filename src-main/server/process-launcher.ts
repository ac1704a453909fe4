// How the supervisor starts a server process, kept behind a small interface: the app uses
// Electron's utilityProcess (below); the tests use a real Node child process of the same built
// server (test/main/support/node-launcher.ts), since the Electron runtime is not available there.
import type { UtilityProcess } from 'electron';

export interface LaunchSpec {
  modulePath: string;
  args: string[];
  /** The whole environment of the child; it may hold the secret key (memory only, never disk). */
  env: Record<string, string>;
}

export interface ServerProcess {
  readonly pid: number | undefined;
  onExit(listener: (code: number | null) => void): void;
  onOutput(listener: (stream: 'stdout' | 'stderr', text: string) => void): void;
  /** Asks the server to stop cleanly ('shutdown' message, server/main.ts). */
  requestStop(): void;
  kill(): void;
}

export interface ProcessLauncher {
  launch(spec: LaunchSpec): ServerProcess;
}

type Fork = (modulePath: string, args: string[], options: Electron.ForkOptions) => UtilityProcess;

/** Electron's utilityProcess: a Node environment in its own sandbox-free child process. */
export function utilityProcessLauncher(fork: Fork): ProcessLauncher {
  return {
    launch(spec) {
      const child = fork(spec.modulePath, spec.args, {
        env: spec.env,
        stdio: 'pipe',
        serviceName: 'Latchkey server',
      });
      return {
        get pid() {
          return child.pid;
        },
        onExit: (listener) => child.on('exit', (code) => listener(code)),
        onOutput: (listener) => {
          child.stdout?.on('data', (chunk: Buffer) => listener('stdout', chunk.toString('utf8')));
          child.stderr?.on('data', (chunk: Buffer) => listener('stderr', chunk.toString('utf8')));
        },
        requestStop: () => child.postMessage('shutdown'),
        kill: () => {
          child.kill();
        },
      };
    },
  };
}
