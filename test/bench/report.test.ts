// The table, JSON and docs writer of `npm run bench`: targets (several to a row), formatting, and
// the block of docs/performance.md that `--update-docs` rewrites.
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../bench/lib/load-protocol.js';
import {
  docsBlock,
  MISSED_TARGETS_POINTER,
  evaluateTarget,
  formatValue,
  judge,
  markdownTable,
  replaceDocsBlock,
  TABLE_END,
  TABLE_START,
  textTable,
  type BenchReport,
} from '../../bench/lib/report.js';
import { memoryRowsOf } from '../../bench/lib/footprint-rows.js';
import { alternatingRounds } from '../../bench/lib/logging-rows.js';
import type { Server } from '../../bench/lib/measure.js';
import { growthRow, rateRow, skippedRow, summarize, valueRow } from '../../bench/lib/rows.js';
import { median, percentile } from '../../bench/lib/stats.js';

const run = (requestsPerSecond: number, warmup = false, errors = 0, cpuMsPerOp = 0.05): RunResult => ({
  kind: 'run',
  warmup,
  completed: Math.round(requestsPerSecond),
  errors,
  firstError: errors ? 'HTTP 401: {"error":{}}' : null,
  seconds: 1,
  requestsPerSecond,
  p50Ms: requestsPerSecond / 1000,
  p99Ms: requestsPerSecond / 100,
  cpuMsPerOp,
});

describe('statistics', () => {
  it('takes medians and nearest-rank percentiles', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(
      percentile(
        Float64Array.from({ length: 100 }, (_, i) => i + 1),
        99,
      ),
    ).toBe(99);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('rows', () => {
  const bare = rateRow({
    id: 'bare',
    label: 'Bare',
    unit: 'req/s',
    measured: summarize([run(99_999, true), run(20_000), run(10_000), run(30_000)]),
  });

  it('takes the median of the measured runs, leaving the warm-up out, and counts every error', () => {
    expect(bare.value).toBe(20_000);
    expect(bare.p50Ms).toBe(20);
    expect(summarize([run(1, true, 3), run(2)]).errors).toBe(3);
  });

  it('divides by the baseline and judges the target', () => {
    const me = rateRow({
      id: 'me',
      label: 'Me',
      unit: 'req/s',
      measured: summarize([run(9_000)]),
      baseline: { row: bare, targets: [{ kind: 'ratio-at-least', value: 0.5 }] },
    });
    expect(me.ratio).toBeCloseTo(0.45);
    expect(me.met).toBe(false);
    expect(me.baseline).toEqual({ id: 'bare', label: 'Bare', display: '20,000 req/s', cpuMsPerOp: 0.05 });
  });

  it('judges a rate ratio and a CPU/op ratio together, and names the one missed', () => {
    const me = (rate: number, cpuMsPerOp: number) =>
      rateRow({
        id: 'me',
        label: 'Me',
        unit: 'req/s',
        measured: summarize([run(rate, false, 0, cpuMsPerOp)]),
        baseline: {
          row: bare,
          targets: [
            { kind: 'ratio-at-least', value: 0.5 },
            { kind: 'cpu-ratio-at-most', value: 2 },
          ],
        },
      });
    // The bare route's CPU/op is 0.05 ms: 0.15 ms is 3 times it.
    const heavy = me(12_000, 0.15);
    expect(heavy.cpuRatio).toBeCloseTo(3);
    expect(heavy).toMatchObject({ met: false, missed: ['CPU/op'] });
    expect(textTable([heavy])).toContain('150 µs (3.00×)');
    expect(textTable([heavy])).toContain('ratio ≥ 0.5; CPU/op ≤ 2× baseline’s');
    expect(textTable([heavy])).toContain('not met (CPU/op)');
    expect(me(8_000, 0.15)).toMatchObject({ met: false, missed: ['ratio', 'CPU/op'] });
    expect(me(12_000, 0.09)).toMatchObject({ met: true, missed: [] });
  });

  it('judges an absolute CPU/op ceiling beside a ratio to another baseline', () => {
    const commit = rateRow({ id: 'commit', label: 'Commit', unit: 'op/s', measured: summarize([run(10_000)]) });
    const signIn = (rate: number, cpuMsPerOp: number) =>
      rateRow({
        id: 'totp',
        label: 'TOTP',
        unit: 'req/s',
        measured: summarize([run(rate, false, 0, cpuMsPerOp)]),
        baseline: { row: commit, targets: [{ kind: 'ratio-at-least', value: 0.5 }] },
        targets: [{ kind: 'cpu-at-most', ms: 0.12 }],
      });
    expect(signIn(5_000, 0.12)).toMatchObject({ met: true });
    expect(signIn(5_000, 0.25)).toMatchObject({ met: false, missed: ['CPU/op'] });
    expect(signIn(3_000, 0.1)).toMatchObject({ met: false, missed: ['ratio'] });
    expect(textTable([signIn(3_000, 0.1)])).toContain('ratio ≥ 0.5; CPU/op ≤ 120 µs');
  });

  it('leaves a target undecided when its figure was not measured', () => {
    const noCpu = { ratio: 1, value: 1, cpuMsPerOp: null, cpuRatio: null };
    expect(evaluateTarget({ kind: 'cpu-at-most', ms: 1 }, noCpu)).toBeNull();
    expect(judge([{ kind: 'cpu-ratio-at-most', value: 2 }], noCpu)).toEqual({ met: null, missed: [] });
    // One target met and one undecided: not "met".
    expect(
      judge(
        [
          { kind: 'ratio-at-least', value: 0.5 },
          { kind: 'cpu-at-most', ms: 1 },
        ],
        noCpu,
      ).met,
    ).toBeNull();
    expect(judge([], noCpu).met).toBeNull();
  });

  it('states growth as the slowdown from the small to the large database', () => {
    const small = rateRow({ id: 's', label: 'S', unit: 'req/s', measured: summarize([run(1_000)]) });
    const large = rateRow({ id: 'l', label: 'L', unit: 'req/s', measured: summarize([run(800)]) });
    const growth = growthRow('g', 'Growth', small, large, 1.2);
    expect(growth.ratio).toBeCloseTo(1.25);
    expect(growth.met).toBe(false);
  });

  it('judges ceilings on values and leaves unmeasured rows undecided', () => {
    const value = (bytes: number | null) => ({ ratio: null, value: bytes, cpuMsPerOp: null, cpuRatio: null });
    expect(evaluateTarget({ kind: 'value-at-most', value: 100e6 }, value(99e6))).toBe(true);
    expect(evaluateTarget({ kind: 'value-at-most', value: 100e6 }, value(101e6))).toBe(false);
    expect(
      valueRow({ id: 'js', label: 'JS', value: null, unit: 'bytes', target: { kind: 'value-at-most', value: 1 } }).met,
    ).toBeNull();
  });

  it('shows a time against its ceiling and its baseline, as the server-ready row does', () => {
    const bareNode = valueRow({ id: 'bare-node', label: 'Bare Node', short: 'bare Node', value: 40, unit: 'ms' });
    const ready = (ms: number) =>
      valueRow({
        id: 'ready',
        label: 'Server ready',
        value: ms,
        unit: 'ms',
        target: { kind: 'value-at-most', value: 400 },
        baseline: { id: bareNode.id, label: 'bare Node', display: bareNode.display, value: 40 },
      });
    expect(ready(1200)).toMatchObject({ met: false, ratio: 30 });
    expect(ready(400).met).toBe(true);
    expect(textTable([ready(1200)])).toMatch(/1200 ms.*bare Node: 40 ms\s+30\.00\s+≤ 400 ms\s+not met/);
  });

  it('puts the memory rows beside a bare Node server idle as long, and judges only their own ceiling', () => {
    const server = (name: string, accounts: number): Server => ({
      name,
      accounts,
      tickets: 0,
      process: { child: null as never, pid: 0, output: () => '', stop: async () => {} },
      port: 0,
      loadOrigin: '',
      startedAt: 0,
      peakRss: [{ row: 'Password sign-in', bytes: 230e6 }],
    });
    const rows = memoryRowsOf(
      server('small', 1000),
      server('large', 100_000),
      { small: 90e6, large: 99e6, bareNode: 45e6 },
      { bytes: 135e6, secondsIdle: 200 },
    );
    expect(rows.map((row) => row.id)).toEqual([
      'rss-idle-bare-node',
      'rss-idle-small',
      'rss-idle-large',
      'rss-peak',
      'rss-after-load',
    ]);
    const byId = Object.fromEntries(rows.map((row) => [row.id, row]));
    expect(byId['rss-idle-bare-node']).toMatchObject({ value: 45e6, met: null, targets: [] });
    expect(byId['rss-idle-small']).toMatchObject({
      ratio: 2,
      met: true,
      baseline: { label: 'bare Node server', display: '45.0 MB' },
    });
    expect(byId['rss-after-load']).toMatchObject({ ratio: 3, met: false });
    expect(textTable([byId['rss-idle-small']!])).toMatch(
      /90\.0 MB.*bare Node server: 45\.0 MB\s+2\.00\s+≤ 100\.0 MB\s+met/,
    );
  });

  it('alternates the logging rows over an even number of rounds, at least four', () => {
    expect([1, 2, 3, 4, 5].map(alternatingRounds)).toEqual([4, 4, 4, 4, 6]);
  });

  it('says why a row was skipped', () => {
    const row = skippedRow('postgres', 'PostgreSQL rows', 'not measured here: no PostgreSQL found.');
    expect(row).toMatchObject({ value: null, met: null, display: 'skipped' });
    expect(markdownTable([row])).toContain('| PostgreSQL rows | skipped |');
  });

  it('formats rates, sizes and times for people', () => {
    expect(formatValue(12345.6, 'req/s')).toBe('12,346 req/s');
    expect(formatValue(149_500, 'bytes')).toBe('149.5 kB');
    expect(formatValue(98_700_000, 'bytes')).toBe('98.7 MB');
    expect(formatValue(0.25, 'ms')).toBe('250 µs');
    expect(formatValue(1.2345, 'x')).toBe('1.23×');
  });
});

describe('table and docs/performance.md', () => {
  const rows = [
    rateRow({ id: 'bare', label: 'Bare Fastify route', unit: 'req/s', measured: summarize([run(20_000)]) }),
    valueRow({
      id: 'js',
      label: 'User Center JavaScript',
      value: 120_000,
      unit: 'bytes',
      target: { kind: 'value-at-most', value: 150e3 },
      note: 'a | pipe',
    }),
  ];
  const report: BenchReport = {
    schema: 'latchkey-bench/2',
    startedAt: '2026-01-15T09:00:00.000Z',
    finishedAt: '2026-01-15T09:07:00.000Z',
    seconds: 420,
    command: 'npm run bench',
    profile: 'default',
    settings: {},
    machine: {
      cores: 2,
      cpuModel: 'AMD EPYC',
      memoryGB: 24,
      os: 'Linux 6',
      node: 'v20.20.2',
      dataFilesystem: 'ext4',
      loadAverageAtStart: 0.1,
      loadAverageAtEnd: 3.5,
    },
    seeding: {},
    rows,
  };

  it('prints one aligned text table with every row', () => {
    const lines = textTable(rows).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^Measure\s+Result\s+p50\s+p99\s+CPU\/op\s+Errors/);
    expect(lines[2]!.indexOf('20,000 req/s')).toBe(lines[0]!.indexOf('Result'));
    expect(lines[3]).toContain('120.0 kB');
    expect(lines[3]).toContain('met');
  });

  it('writes Markdown with escaped cells', () => {
    const markdown = markdownTable(rows).split('\n');
    expect(markdown[1]).toMatch(/^\| --- \|/);
    expect(markdown).toHaveLength(4);
    const block = docsBlock(report);
    expect(block).toContain('- User Center JavaScript: a | pipe');
    expect(markdownTable([{ ...rows[0]!, label: 'GET | POST' }])).toContain('GET \\| POST');
    expect(block).toContain('2 × AMD EPYC');
    expect(block).toContain('Node v20.20.2');
    expect(block).toContain('load average 0.1 at the start, 3.5 at the end.');
    expect(block.startsWith(TABLE_START)).toBe(true);
    expect(block.endsWith(TABLE_END)).toBe(true);
  });

  it('points a table with a missed target at the text that says what bounds it', () => {
    expect(docsBlock(report)).not.toContain(MISSED_TARGETS_POINTER);
    const heavy = valueRow({
      id: 'js',
      label: 'User Center JavaScript',
      value: 200_000,
      unit: 'bytes',
      target: { kind: 'value-at-most', value: 150e3 },
    });
    expect(heavy.met).toBe(false);
    const block = docsBlock({ ...report, rows: [rows[0]!, heavy] });
    expect(block).toContain(MISSED_TARGETS_POINTER);
    expect(block.indexOf(MISSED_TARGETS_POINTER)).toBeLessThan(block.indexOf('| Measure |'));
  });

  it('replaces only the block between the markers', () => {
    const document = `# Title\n\n## Performance\n\nBefore.\n\n${TABLE_START}\nold table\n${TABLE_END}\n\nAfter.\n`;
    const updated = replaceDocsBlock(document, docsBlock(report));
    expect(updated).not.toContain('old table');
    expect(updated.startsWith('# Title\n\n## Performance\n\nBefore.\n\n')).toBe(true);
    expect(updated.endsWith(`${TABLE_END}\n\nAfter.\n`)).toBe(true);
    expect(replaceDocsBlock(updated, docsBlock(report))).toBe(updated);
  });

  it('refuses a document without exactly one block', () => {
    expect(() => replaceDocsBlock('# No block\n', 'x')).toThrow(/bench:start/);
    const twice = `${TABLE_START}\n${TABLE_END}\n${TABLE_START}\n${TABLE_END}\n`;
    expect(() => replaceDocsBlock(twice, 'x')).toThrow(/bench:start/);
  });
});
