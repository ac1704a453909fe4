// Request logging: what the server's default log level costs GET /api/v1/me, against the same
// server with logging silent, both started in this step on the small data folder and primed
// alike. Each writes its log to a file, as a service's log goes to a file or a journal: the
// benchmark never reads those lines, so they cost the measured server, not the orchestrator.
import { join } from 'node:path';
import { accountsLabel, type BenchRun } from './bench-run.js';
import { loadHttp, primeWithSignIn, serverTarget, startServer } from './measure.js';
import { BENCH_PASSWORD, passwordAccount, username } from './population.js';
import type { Row } from './report.js';
import { rateRow } from './rows.js';
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
  const silentRow = rateRow({
    id: 'me-log-silent',
    label: silentLabel,
    short: 'logging silent',
    unit: 'req/s',
    measured: await loadHttp(silentLabel, 'me', serverTarget(silent), profile),
  });
  const defaultLabel = `GET /api/v1/me, default log level (info), ${accounts}`;
  const defaultRow = rateRow({
    id: 'me-log-default',
    label: defaultLabel,
    unit: 'req/s',
    measured: await loadHttp(defaultLabel, 'me', serverTarget(chatty), profile),
    baseline: { row: silentRow, targets: TARGETS.logging },
    note: 'the server started without --log-level, its log written to a file; the other rows run at warn, as the desktop app does.',
  });
  await chatty.process.stop();
  await silent.process.stop();
  return [silentRow, defaultRow];
}
