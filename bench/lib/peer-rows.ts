// `npm run bench -- --peer`: Latchkey beside better-auth (bench/peer/), each a server process of
// its own on the same population (seeded the same way, the same argon2id hash, the same
// durability), loaded by the same generator with the same connections, job by job: session
// lookup, password sign-in, whole password + TOTP sign-in. Each better-auth row is the baseline
// of the Latchkey row below it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hash } from '@node-rs/argon2';
import { ARGON2ID_PARAMETERS } from '../../server/modules/accounts/password-hasher.js';
import { seedPeerDatabase, type PeerSeedReport } from '../peer/seed-peer.js';
import { accountsLabel, type BenchRun } from './bench-run.js';
import type { HttpScenario } from './http-scenarios.js';
import { loadHttp, log, primeWithSignIn, serverTarget, startServer, type LoadTarget } from './measure.js';
import { BENCH_PASSWORD, passwordAccount, username } from './population.js';
import { REPO_ROOT, startNode } from './processes.js';
import type { Row, Target } from './report.js';
import { rateRow } from './rows.js';
import { seedDataDir, type SeedReport } from './seed.js';
import { TARGETS } from './targets.js';

interface Job {
  id: string;
  what: string;
  /** What the load generator sends to each (docs/performance.md lists the routes). */
  latchkey: HttpScenario;
  peer: HttpScenario;
  targets: Target[];
  /** Sign-ins make few requests a second: they run as long as the password rows. */
  long: boolean;
}

const JOBS: Job[] = [
  {
    id: 'session',
    what: 'session lookup',
    latchkey: 'me',
    peer: 'peer-session',
    targets: TARGETS.peerSession,
    long: false,
  },
  {
    id: 'password',
    what: 'password sign-in',
    latchkey: 'password',
    peer: 'peer-password',
    targets: TARGETS.peerPassword,
    long: true,
  },
  {
    id: 'two-step',
    what: 'whole two-step sign-in (password, then TOTP)',
    latchkey: 'two-step',
    peer: 'peer-two-step',
    targets: TARGETS.peerTwoStep,
    long: true,
  },
];

/** How the peer was set up, for the table's notes. */
export function peerSetupNote(): string {
  // Its package.json is not among its exports: read the installed one.
  const manifest = readFileSync(join(REPO_ROOT, 'node_modules/better-auth/package.json'), 'utf8');
  const { version } = JSON.parse(manifest) as { version: string };
  return (
    `better-auth ${version} with its twoFactor plugin, served by better-auth/node on node:http; argon2id ` +
    'm = 19 MiB, t = 2, p = 1 through its password hooks (@node-rs/argon2, as Latchkey); SQLite (better-sqlite3) ' +
    'in WAL mode with synchronous=FULL; its rate limiter off, as Latchkey exempts loopback; sessions looked up ' +
    'in the database (no cookie cache, its default). Same population, same load generator and connections.'
  );
}

export async function measurePeer(
  run: BenchRun,
): Promise<{ rows: Row[]; seeding: { latchkey: SeedReport; peer: PeerSeedReport } }> {
  const { profile, workDir } = run;
  const accounts = profile.peerAccounts;
  const passwordHash = await hash(BENCH_PASSWORD, ARGON2ID_PARAMETERS);
  log(`seeding ${accounts.toLocaleString('en-US')} accounts for Latchkey and for better-auth …`);
  const latchkeyDir = join(workDir, 'peer-latchkey');
  const latchkeySeeding = await seedDataDir({
    dataDir: latchkeyDir,
    accounts,
    totpTickets: 0,
    backupCodeTickets: 0,
    passwordHash,
  });
  const peerFile = join(workDir, 'better-auth.db');
  const peerSeeding = await seedPeerDatabase({ file: peerFile, accounts, passwordHash });
  log(`  ${latchkeySeeding.seconds.toFixed(1)} s and ${peerSeeding.seconds.toFixed(1)} s`);

  const latchkey = await startServer({
    name: 'peer-latchkey',
    accounts,
    tickets: 0,
    port: run.port('peerLatchkey'),
    dataDir: latchkeyDir,
  });
  run.running.push(latchkey.process);
  const peerPort = run.port('peerBetterAuth');
  const peerProcess = await startNode(
    ['--import', 'tsx', 'bench/peer/server.ts', peerFile, String(peerPort)],
    /peer listening/,
  );
  run.running.push(peerProcess);
  const peer: LoadTarget = {
    origins: [`http://127.0.0.1:${peerPort}`],
    pids: [peerProcess.pid],
    accounts,
    tickets: 0,
  };
  await primeWithSignIn(latchkey, username(passwordAccount(0, accounts)), BENCH_PASSWORD);

  const rows: Row[] = [];
  const where = accountsLabel({ accounts });
  for (const job of JOBS) {
    const options = job.long ? { runSeconds: profile.passwordRunSeconds } : {};
    const peerLabel = `better-auth: ${job.what}, ${where}`;
    const peerRow = rateRow({
      id: `peer-${job.id}`,
      label: peerLabel,
      short: 'better-auth',
      unit: 'req/s',
      measured: await loadHttp(peerLabel, job.peer, peer, profile, options),
      ...(rows.length === 0 ? { note: peerSetupNote() } : {}),
    });
    const latchkeyLabel = `Latchkey: ${job.what}, ${where}`;
    const latchkeyRow = rateRow({
      id: `latchkey-${job.id}`,
      label: latchkeyLabel,
      unit: 'req/s',
      measured: await loadHttp(latchkeyLabel, job.latchkey, serverTarget(latchkey), profile, options),
      baseline: { row: peerRow, targets: job.targets },
    });
    rows.push(peerRow, latchkeyRow);
  }
  await peerProcess.stop();
  await latchkey.process.stop();
  return { rows, seeding: { latchkey: latchkeySeeding, peer: peerSeeding } };
}
