// The benchmark's result: one JSON document (BenchReport), the one table printed from it, and
// the docs/performance.md block generated from it. Figures there come only from here.
import type { RunResult } from './load-protocol.js';
import type { MachineInfo } from './machine.js';
import type { SeedReport } from './seed.js';

/** A target from issue 7: a ratio to reach, a slowdown not to exceed, or a ceiling on a value. */
export type Target =
  | { kind: 'ratio-at-least'; value: number }
  | { kind: 'ratio-at-most'; value: number }
  | { kind: 'value-at-most'; value: number };

export interface Row {
  id: string;
  label: string;
  /** How rows that use this one as their baseline name it. */
  shortLabel?: string;
  /** The measured figure in its unit; null when it could not be measured (see note). */
  value: number | null;
  unit: 'req/s' | 'op/s' | 'bytes' | 'ms' | 'x';
  /** The figure as the table shows it. */
  display: string;
  p50Ms: number | null;
  p99Ms: number | null;
  /** CPU time per operation of the process doing the work (median over runs); see RunResult. */
  cpuMsPerOp: number | null;
  /** Failures over the warm-up and every run; anything but 0 stops the benchmark. */
  errors: number | null;
  baseline: { id: string; label: string; display: string } | null;
  ratio: number | null;
  target: Target | null;
  met: boolean | null;
  note?: string;
  runs?: RunResult[];
}

export interface BenchReport {
  schema: 'latchkey-bench/1';
  startedAt: string;
  finishedAt: string;
  seconds: number;
  command: string;
  profile: 'default' | 'quick';
  settings: Record<string, number | string>;
  machine: MachineInfo;
  seeding: Record<string, SeedReport>;
  rows: Row[];
}

export function evaluateTarget(target: Target | null, ratio: number | null, value: number | null): boolean | null {
  if (!target) return null;
  if (target.kind === 'value-at-most') return value === null ? null : value <= target.value;
  if (ratio === null || !Number.isFinite(ratio)) return null;
  return target.kind === 'ratio-at-least' ? ratio >= target.value : ratio <= target.value;
}

export function targetText(target: Target | null, unit: Row['unit']): string {
  if (!target) return '—';
  if (target.kind === 'ratio-at-least') return `ratio ≥ ${target.value}`;
  if (target.kind === 'ratio-at-most') return `ratio ≤ ${target.value}`;
  return `< ${formatValue(target.value, unit)}`;
}

export function formatValue(value: number, unit: Row['unit']): string {
  switch (unit) {
    case 'req/s':
    case 'op/s':
      return `${Math.round(value).toLocaleString('en-US')} ${unit}`;
    case 'bytes':
      return value >= 1e6 ? `${(value / 1e6).toFixed(1)} MB` : `${(value / 1e3).toFixed(1)} kB`;
    case 'ms':
      return formatMs(value);
    case 'x':
      return `${value.toFixed(2)}×`;
  }
}

export function formatMs(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  return ms < 10 ? `${ms.toFixed(2)} ms` : `${Math.round(ms)} ms`;
}

function cells(row: Row): string[] {
  return [
    row.label,
    row.display,
    formatMs(row.p50Ms),
    formatMs(row.p99Ms),
    formatMs(row.cpuMsPerOp),
    row.errors === null ? '—' : String(row.errors),
    row.baseline ? `${row.baseline.label}: ${row.baseline.display}` : '—',
    row.ratio === null ? '—' : row.ratio.toFixed(2),
    targetText(row.target, row.unit),
    row.met === null ? '—' : row.met ? 'met' : 'not met',
  ];
}

const HEADER = ['Measure', 'Result', 'p50', 'p99', 'CPU/op', 'Errors', 'Baseline (same run)', 'Ratio', 'Target', ''];

/** The one table, for a terminal. */
export function textTable(rows: Row[]): string {
  const table = [HEADER, ...rows.map(cells)];
  const widths = HEADER.map((_, column) => Math.max(...table.map((line) => [...line[column]!].length)));
  const render = (line: string[]) =>
    line
      .map((cell, column) => cell + ' '.repeat(widths[column]! - [...cell].length))
      .join('  ')
      .trimEnd();
  return [render(table[0]!), widths.map((width) => '-'.repeat(width)).join('  '), ...table.slice(1).map(render)].join(
    '\n',
  );
}

/** The same table in Markdown. */
export function markdownTable(rows: Row[]): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  const line = (values: string[]) => `| ${values.map(escape).join(' | ')} |`;
  return [line(HEADER), line(HEADER.map(() => '---')), ...rows.map((row) => line(cells(row)))].join('\n');
}

export function notesOf(rows: Row[]): string[] {
  return rows.filter((row) => row.note).map((row) => `${row.label}: ${row.note}`);
}

export function summaryLines(report: BenchReport): string[] {
  const { machine } = report;
  return [
    `Run ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC, \`${report.command}\` (${report.profile} profile), ` +
      `${Math.round(report.seconds)} s in all.`,
    `Machine: ${machine.cores} × ${machine.cpuModel}, ${machine.memoryGB} GB RAM, ${machine.os}, Node ${machine.node}, ` +
      `data folder on ${machine.dataFilesystem}; load average ${machine.loadAverageAtStart} at the start.`,
  ];
}

export const README_START = '<!-- bench:start -->';
export const README_END = '<!-- bench:end -->';

/** The README block: generated text only, between the markers. */
export function readmeBlock(report: BenchReport): string {
  const notes = notesOf(report.rows);
  return [
    README_START,
    '',
    ...summaryLines(report).map((line) => `${line}  `),
    '',
    markdownTable(report.rows),
    ...(notes.length > 0 ? ['', ...notes.map((note) => `- ${note}`)] : []),
    '',
    README_END,
  ].join('\n');
}

/** Replaces the block between the markers; the markers must be there exactly once. */
export function replaceReadmeBlock(readme: string, block: string): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start || readme.indexOf(README_START, start + 1) >= 0) {
    throw new Error(`docs/performance.md needs one ${README_START} … ${README_END} block for the benchmark table.`);
  }
  return readme.slice(0, start) + block + readme.slice(end + README_END.length);
}
