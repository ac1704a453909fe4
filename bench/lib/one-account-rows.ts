// One account, many clients: correct password sign-ins with 4 connections all on one account,
// beside the same 4 connections spread over four accounts, on the small server. Were sign-ins of
// one account to run one at a time, the one-account rate would fall to about one hash at a time
// (about half the four-account rate on two cores, less on more); run in parallel, the two match.
import { accountsLabel, type BenchRun } from './bench-run.js';
import { loadHttp, serverTarget } from './measure.js';
import type { Row } from './report.js';
import { rateRow } from './rows.js';
import { TARGETS } from './targets.js';

/** Connections of both rows: as many sign-ins in flight as libuv's default thread pool hashes at once. */
export const ONE_ACCOUNT_CONNECTIONS = 4;

export async function measureOneAccount(run: BenchRun): Promise<Row[]> {
  const { small, profile } = run;
  const options = { runSeconds: profile.passwordRunSeconds, connections: ONE_ACCOUNT_CONNECTIONS };
  const spreadLabel = `Password sign-in, ${ONE_ACCOUNT_CONNECTIONS} connections on four accounts, ${accountsLabel(small)}`;
  const spreadRow = rateRow({
    id: 'password-four-accounts',
    label: spreadLabel,
    short: 'four accounts',
    unit: 'req/s',
    measured: await loadHttp(spreadLabel, 'password-four-accounts', serverTarget(small), profile, options),
  });
  const oneLabel = `Password sign-in, ${ONE_ACCOUNT_CONNECTIONS} connections on one account, ${accountsLabel(small)}`;
  const oneRow = rateRow({
    id: 'password-one-account',
    label: oneLabel,
    unit: 'req/s',
    measured: await loadHttp(oneLabel, 'password-one-account', serverTarget(small), profile, options),
    baseline: { row: spreadRow, targets: TARGETS.oneAccount },
  });
  return [spreadRow, oneRow];
}
