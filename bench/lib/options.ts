// `npm run bench [-- --quick] [--peer] [--out FILE] [--update-docs] …`: options and the two profiles.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export interface BenchOptions {
  quick: boolean;
  /** Also measure better-auth beside Latchkey (bench/peer/). */
  peer: boolean;
  /** Measure the PostgreSQL rows where PostgreSQL is installed. */
  postgres: boolean;
  out: string;
  /** Rewrite the table in docs/performance.md. */
  updateDocs: boolean;
  build: boolean;
  keepData: boolean;
  portBase: number;
  rendererDir: string;
}

export interface Profile {
  name: 'default' | 'quick';
  smallAccounts: number;
  largeAccounts: number;
  /** Measured runs per row; the table shows their median. */
  runs: number;
  runSeconds: number;
  /** Password rows make few requests a second: longer runs give their percentiles enough samples. */
  passwordRunSeconds: number;
  warmupSeconds: number;
  /** autocannon connections, and operations in flight for the in-process loops. */
  connections: number;
  /** Second-factor tickets seeded per method on the large database. */
  secondFactorTickets: number;
  pageLoads: number;
  /** Starts timed for the server-ready rows (after one that is not counted). */
  serverStarts: number;
  /**
   * Accounts on PostgreSQL: seeding goes through the server's repositories, one statement at a
   * time, so fewer than on SQLite; enough that each TOTP row has its own fresh accounts.
   */
  postgresAccounts: number;
  /**
   * Accounts on Latchkey and on the peer for the comparison rows: whole two-step sign-ins need
   * more two-factor accounts than one 30-second TOTP step can use up (a step is accepted once per
   * account).
   */
  peerAccounts: number;
}

export const PROFILES: Record<Profile['name'], Profile> = {
  default: {
    name: 'default',
    smallAccounts: 1_000,
    largeAccounts: 1_000_000,
    runs: 5,
    runSeconds: 3,
    passwordRunSeconds: 5,
    warmupSeconds: 1,
    connections: 10,
    secondFactorTickets: 100_000,
    pageLoads: 7,
    serverStarts: 11,
    postgresAccounts: 50_000,
    peerAccounts: 100_000,
  },
  quick: {
    name: 'quick',
    smallAccounts: 1_000,
    largeAccounts: 100_000,
    runs: 3,
    runSeconds: 2,
    passwordRunSeconds: 3,
    warmupSeconds: 1,
    connections: 10,
    secondFactorTickets: 30_000,
    pageLoads: 3,
    serverStarts: 5,
    postgresAccounts: 20_000,
    peerAccounts: 100_000,
  },
};

/** Ports from --port-base on that the benchmark's servers take (see PORT in bench/lib/bench-run.ts). */
export const PORTS_USED = 16;

export const USAGE = `Usage: npm run bench [-- options]

Starts the built Latchkey server on seeded temporary databases, loads it from a second process
(autocannon) and prints one table, also written as JSON.

  --quick            smaller database (100k accounts) and fewer, shorter runs
  --peer             also run better-auth (a dev dependency) on the same jobs, beside Latchkey
  --no-postgres      leave out the PostgreSQL rows (measured where PostgreSQL is installed)
  --out FILE         where to write the JSON (default build/bench/bench-results.json)
  --update-docs      rewrite the table between <!-- bench:start --> and <!-- bench:end --> in docs/performance.md
                     (--update-readme is the same, by its old name)
  --no-build         use build/ as it is, even if the sources are newer
  --keep-data        keep the seeded data folders (their path is printed)
  --port-base N      first of the ${PORTS_USED} ports used (default 4900)
  --renderer-dir D   the built User Center (default build/renderer)
  --help
`;

export function parseBenchOptions(argv: string[], repoRoot: string): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      peer: { type: 'boolean', default: false },
      'no-postgres': { type: 'boolean', default: false },
      out: { type: 'string' },
      'update-docs': { type: 'boolean', default: false },
      'update-readme': { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
      'keep-data': { type: 'boolean', default: false },
      'port-base': { type: 'string', default: '4900' },
      'renderer-dir': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const portBase = Number(values['port-base']);
  if (!Number.isInteger(portBase) || portBase < 1024 || portBase > 65536 - PORTS_USED) {
    throw new Error(`--port-base must be a port from 1024 to ${65536 - PORTS_USED}, not "${values['port-base']}".`);
  }
  return {
    quick: values.quick!,
    peer: values.peer!,
    postgres: !values['no-postgres'],
    out: resolve(values.out ?? `${repoRoot}/build/bench/bench-results.json`),
    updateDocs: values['update-docs']! || values['update-readme']!,
    build: !values['no-build'],
    keepData: values['keep-data']!,
    portBase,
    rendererDir: resolve(values['renderer-dir'] ?? `${repoRoot}/build/renderer`),
  };
}
