// Request logging: what the server's default log level costs GET /api/v1/me, against the same
// server with logging silent, both started in this step on the small data folder and primed
// alike. Each writes its log to a file, as a service's log goes to a file or a journal: the
// benchmark never reads those lines, so they cost the measured server, not the orchestrator.
// Their runs alternate (silent, default, default, silent, …; an even number of rounds), each
// after a short warm-up of its own: measured one row after the other, whatever drifts during the
// step (the machine's other load, the data folder's WAL) would count against the row measured
// second, by as much as the 5 % the target allows.
import { join } from 'node:path';
import { accountsLabel, type BenchRun } from './bench-run.js';
import { loadHttp, primeWithSignIn, serverTarget, startServer, type LoadTarget } from './measure.js';
import type { Profile } from './options.js';
import { BENCH_PASSWORD, passwordAccount, username } from './population.js';
import type { Row } from './report.js';
import { rateRow, summarize, type Measured } from './rows.js';
import { TARGETS } from './targets.js';

export async function measureLoggingCost(run: BenchRun): Promise<Row[]> {
  const { small, profile, workDir } = run;
  const start = (name: string, logLevel: string | null, port: number) =>
    startServer({
      name,
      accounts: small.accounts,
      tickets: 0,
      port,
      dataDir: join(workDir, 'small'),
      logLevel,
      logFile: join(workDir, `${name}.log`),
    });
  const silent = await start('log-silent', 'silent', run.port('logSilent'));
  run.running.push(silent.process);
  const chatty = await start('log-default', null, run.port('logDefault'));
  run.running.push(chatty.process);
  for (const server of [silent, chatty]) {
    await primeWithSignIn(server, username(passwordAccount(0, server.accounts)), BENCH_PASSWORD);
  }
  const accounts = accountsLabel(small);
  const silentLabel = `GET /api/v1/me, logging silent, ${accounts}`;
  const defaultLabel = `GET /api/v1/me, default log level (info), ${accounts}`;
  const [silentMeasured, defaultMeasured] = await loadAlternately(
    [
      { label: silentLabel, target: serverTarget(silent) },
      { label: defaultLabel, target: serverTarget(chatty) },
    ],
    profile,
  );
  const silentRow = rateRow({
    id: 'me-log-silent',
    label: silentLabel,
    short: 'logging silent',
    unit: 'req/s',
    measured: silentMeasured!,
  });
  const defaultRow = rateRow({
    id: 'me-log-default',
    label: defaultLabel,
    unit: 'req/s',
    measured: defaultMeasured!,
    baseline: { row: silentRow, targets: TARGETS.logging },
    note: 'the server started without --log-level, its log written to a file; the other rows run at warn, as the desktop app does. Its runs alternate with the silent server’s.',
  });
  await chatty.process.stop();
  await silent.process.stop();
  return [silentRow, defaultRow];
}

/**
 * GET /me on each target in turn, one run at a time, the order reversed every other round (ABBA),
 * each run after its own warm-up: drift during the step falls on both rows alike. The rounds are
 * an even number, at least four, so each server runs first as often as second: with three (the
 * quick profile's runs), one of them ran first twice, and two runs in ten of a second apart on
 * this shared machine differ by more than the 5 % the target allows.
 */
export function alternatingRounds(runs: number): number {
  return Math.max(4, runs + (runs % 2));
}

async function loadAlternately(rows: { label: string; target: LoadTarget }[], profile: Profile): Promise<Measured[]> {
  const collected = rows.map(() => [] as Measured['runs']);
  const slice: Profile = { ...profile, runs: 1, warmupSeconds: Math.min(profile.warmupSeconds, 1) };
  const rounds = alternatingRounds(profile.runs);
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 === 0 ? rows.keys() : [...rows.keys()].reverse();
    for (const index of order) {
      const { label, target } = rows[index]!;
      const measured = await loadHttp(`${label} (run ${round + 1} of ${rounds})`, 'me', target, slice);
      collected[index]!.push(...measured.runs);
    }
  }
  return collected.map(summarize);
}
