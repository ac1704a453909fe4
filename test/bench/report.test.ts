// The table, JSON and README writer of `npm run bench`: targets, formatting, the README block.
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../bench/lib/load-protocol.js';
import {
  evaluateTarget,
  formatValue,
  markdownTable,
  readmeBlock,
  README_END,
  README_START,
  replaceReadmeBlock,
  textTable,
  type BenchReport,
} from '../../bench/lib/report.js';
import { growthRow, rateRow, summarize, valueRow } from '../../bench/lib/rows.js';
import { median, percentile } from '../../bench/lib/stats.js';

const run = (requestsPerSecond: number, warmup = false, errors = 0): RunResult => ({
  kind: 'run',
  warmup,
  completed: Math.round(requestsPerSecond),
  errors,
  firstError: errors ? 'HTTP 401: {"error":{}}' : null,
  seconds: 1,
  requestsPerSecond,
  p50Ms: requestsPerSecond / 1000,
  p99Ms: requestsPerSecond / 100,
  cpuMsPerOp: 0.05,
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
      baseline: { row: bare, target: { kind: 'ratio-at-least', value: 0.5 } },
    });
    expect(me.ratio).toBeCloseTo(0.45);
    expect(me.met).toBe(false);
    expect(me.baseline).toEqual({ id: 'bare', label: 'Bare', display: '20,000 req/s' });
  });

  it('states growth as the slowdown from the small to the large database', () => {
    const small = rateRow({ id: 's', label: 'S', unit: 'req/s', measured: summarize([run(1_000)]) });
    const large = rateRow({ id: 'l', label: 'L', unit: 'req/s', measured: summarize([run(800)]) });
    const growth = growthRow('g', 'Growth', small, large, 1.2);
    expect(growth.ratio).toBeCloseTo(1.25);
    expect(growth.met).toBe(false);
  });

  it('judges ceilings on values and leaves unmeasured rows undecided', () => {
    expect(evaluateTarget({ kind: 'value-at-most', value: 100e6 }, null, 99e6)).toBe(true);
    expect(evaluateTarget({ kind: 'value-at-most', value: 100e6 }, null, 101e6)).toBe(false);
    expect(
      valueRow({ id: 'js', label: 'JS', value: null, unit: 'bytes', target: { kind: 'value-at-most', value: 1 } }).met,
    ).toBeNull();
    expect(evaluateTarget(null, 1, 1)).toBeNull();
  });

  it('formats rates, sizes and times for people', () => {
    expect(formatValue(12345.6, 'req/s')).toBe('12,346 req/s');
    expect(formatValue(149_500, 'bytes')).toBe('149.5 kB');
    expect(formatValue(98_700_000, 'bytes')).toBe('98.7 MB');
    expect(formatValue(0.25, 'ms')).toBe('250 µs');
    expect(formatValue(1.2345, 'x')).toBe('1.23×');
  });
});

describe('table and README', () => {
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
    schema: 'latchkey-bench/1',
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
    const block = readmeBlock(report);
    expect(block).toContain('- User Center JavaScript: a | pipe');
    expect(markdownTable([{ ...rows[0]!, label: 'GET | POST' }])).toContain('GET \\| POST');
    expect(block).toContain('2 × AMD EPYC');
    expect(block).toContain('Node v20.20.2');
    expect(block.startsWith(README_START)).toBe(true);
    expect(block.endsWith(README_END)).toBe(true);
  });

  it('replaces only the block between the markers', () => {
    const readme = `# Title\n\n## Performance\n\nBefore.\n\n${README_START}\nold table\n${README_END}\n\nAfter.\n`;
    const updated = replaceReadmeBlock(readme, readmeBlock(report));
    expect(updated).not.toContain('old table');
    expect(updated.startsWith('# Title\n\n## Performance\n\nBefore.\n\n')).toBe(true);
    expect(updated.endsWith(`${README_END}\n\nAfter.\n`)).toBe(true);
    expect(replaceReadmeBlock(updated, readmeBlock(report))).toBe(updated);
  });

  it('refuses a README without exactly one block', () => {
    expect(() => replaceReadmeBlock('# No block\n', 'x')).toThrow(/bench:start/);
    const twice = `${README_START}\n${README_END}\n${README_START}\n${README_END}\n`;
    expect(() => replaceReadmeBlock(twice, 'x')).toThrow(/bench:start/);
  });
});
