// `npm run bench [-- --quick] [--out FILE] [--update-readme] …`: options and the two profiles.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export interface BenchOptions {
  quick: boolean;
  out: string;
  updateReadme: boolean;
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
  },
};

export const USAGE = `Usage: npm run bench [-- options]

Starts the built Latchkey server on seeded temporary databases, loads it from a second process
(autocannon) and prints one table, also written as JSON.

  --quick            smaller database (100k accounts) and fewer, shorter runs
  --out FILE         where to write the JSON (default build/bench/bench-results.json)
  --update-readme    rewrite the table between <!-- bench:start --> and <!-- bench:end --> in docs/performance.md
  --no-build         use build/ as it is, even if the sources are newer
  --keep-data        keep the seeded data folders (their path is printed)
  --port-base N      first of the four ports used (default 4900)
  --renderer-dir D   the built User Center (default build/renderer)
  --help
`;

export function parseBenchOptions(argv: string[], repoRoot: string): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      out: { type: 'string' },
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
  if (!Number.isInteger(portBase) || portBase < 1024 || portBase > 65532) {
    throw new Error(`--port-base must be a port from 1024 to 65532, not "${values['port-base']}".`);
  }
  return {
    quick: values.quick!,
    out: resolve(values.out ?? `${repoRoot}/build/bench/bench-results.json`),
    updateReadme: values['update-readme']!,
    build: !values['no-build'],
    keepData: values['keep-data']!,
    portBase,
    rendererDir: resolve(values['renderer-dir'] ?? `${repoRoot}/build/renderer`),
  };
}
