// The supervisor's process launcher for tests: a real Node child process (child_process.fork)
// of the built server, standing in for Electron's utilityProcess, which needs the Electron
// runtime. Both run the same build/server/main.js and stop it with the same 'shutdown' message.
import { fork } from 'node:child_process';
import type { ProcessLauncher } from '../../../src-main/server/process-launcher.js';

export interface LaunchRecord {
  pid: number | undefined;
  args: string[];
  env: Record<string, string>;
  exitCode?: number | null;
  signal?: NodeJS.Signals | null;
}

export function nodeForkLauncher(records: LaunchRecord[] = []): ProcessLauncher {
  return {
    launch(spec) {
      const child = fork(spec.modulePath, spec.args, { env: spec.env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
      const record: LaunchRecord = { pid: child.pid, args: spec.args, env: spec.env };
      records.push(record);
      child.on('exit', (code, signal) => {
        record.exitCode = code;
        record.signal = signal;
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
        requestStop: () => {
          if (child.connected) child.send('shutdown');
        },
        kill: () => {
          child.kill('SIGKILL');
        },
      };
    },
  };
}
