// What every measuring step of `npm run bench` shares: the run's settings, the two seeded servers
// and the processes to stop at the end. Each step (a family of rows) takes a BenchRun.
import type { Server } from './measure.js';
import type { BenchOptions, Profile } from './options.js';
import { countLabel } from './footprint-rows.js';
import type { RunningProcess } from './processes.js';

/** Offsets from --port-base of the ports the benchmark's servers listen on (fewer than PORTS_USED). */
export const PORT = {
  bareRoute: 0,
  small: 1,
  large: 2,
  blankPage: 3,
  ready: 4,
  logDefault: 5,
  logSilent: 6,
  postgresFirst: 7,
  postgresSecond: 8,
  peerLatchkey: 9,
  peerBetterAuth: 10,
  postgresBaseline: 11,
} as const;

export interface BenchRun {
  options: BenchOptions;
  profile: Profile;
  workDir: string;
  /** Stopped (last first) when the run ends, whatever happened. */
  running: RunningProcess[];
  port: (which: keyof typeof PORT) => number;
  cores: number;
  small: Server;
  large: Server;
}

export const accountsLabel = (server: { accounts: number }) => `${countLabel(server.accounts)} accounts`;

/** Options for a baseline loop run in its own process (bench/lib/loop.ts). */
export function loopOptions(profile: Profile, runSeconds: number, concurrency = profile.connections): string {
  return JSON.stringify({ warmupSeconds: profile.warmupSeconds, runSeconds, runs: profile.runs, concurrency });
}
