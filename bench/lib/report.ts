// The benchmark's result: one JSON document (BenchReport), the one table printed from it, and
// the docs/performance.md block generated from it. Figures there come only from here.
import type { RunResult } from './load-protocol.js';
import type { MachineInfo } from './machine.js';

/**
 * A target a row is judged by (docs/performance.md): a rate ratio to reach over the baseline's, a
 * slowdown not to exceed, a ceiling on the value, or a ceiling on the CPU time per operation,
 * absolute or as a multiple of the baseline's. A row may have several; it meets them all or not.
 */
export type Target =
  | { kind: 'ratio-at-least'; value: number }
  | { kind: 'ratio-at-most'; value: number }
  | { kind: 'value-at-most'; value: number }
  | { kind: 'cpu-at-most'; ms: number }
  | { kind: 'cpu-ratio-at-most'; value: number };

/** What a row is compared with: another row of the same run. */
export interface BaselineRef {
  id: string;
  label: string;
  display: string;
  /** The baseline's CPU time per operation, for a CPU/op ratio. */
  cpuMsPerOp?: number | null;
}

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
  baseline: BaselineRef | null;
  ratio: number | null;
  /** This row's CPU/op over its baseline's, when both were measured. */
  cpuRatio: number | null;
  targets: Target[];
  /** True when every target is met, false when one is missed, null when none can be judged. */
  met: boolean | null;
  /** The targets missed, as the table names them ("ratio", "CPU/op", …). */
  missed: string[];
  note?: string;
  runs?: RunResult[];
}

export interface BenchReport {
  schema: 'latchkey-bench/2';
  startedAt: string;
  finishedAt: string;
  seconds: number;
  command: string;
  profile: 'default' | 'quick';
  settings: Record<string, number | string | boolean>;
  machine: MachineInfo;
  seeding: Record<string, unknown>;
  rows: Row[];
}

/** What a target is judged on, for one row. */
export interface Measurement {
  ratio: number | null;
  value: number | null;
  cpuMsPerOp: number | null;
  cpuRatio: number | null;
}

export function evaluateTarget(target: Target, measured: Measurement): boolean | null {
  const known = (figure: number | null): figure is number => figure !== null && Number.isFinite(figure);
  switch (target.kind) {
    case 'value-at-most':
      return known(measured.value) ? measured.value <= target.value : null;
    case 'ratio-at-least':
      return known(measured.ratio) ? measured.ratio >= target.value : null;
    case 'ratio-at-most':
      return known(measured.ratio) ? measured.ratio <= target.value : null;
    case 'cpu-at-most':
      return known(measured.cpuMsPerOp) ? measured.cpuMsPerOp <= target.ms : null;
    case 'cpu-ratio-at-most':
      return known(measured.cpuRatio) ? measured.cpuRatio <= target.value : null;
  }
}

/** The row's verdict over all its targets, and which ones it missed. */
export function judge(targets: Target[], measured: Measurement): { met: boolean | null; missed: string[] } {
  const verdicts = targets.map((target) => ({ target, met: evaluateTarget(target, measured) }));
  const missed = verdicts.filter((verdict) => verdict.met === false).map((verdict) => targetSubject(verdict.target));
  if (missed.length > 0) return { met: false, missed };
  return { met: verdicts.length > 0 && verdicts.every((verdict) => verdict.met === true) ? true : null, missed };
}

function targetSubject(target: Target): string {
  if (target.kind === 'cpu-at-most' || target.kind === 'cpu-ratio-at-most') return 'CPU/op';
  return target.kind === 'value-at-most' ? 'value' : 'ratio';
}

export function targetText(target: Target, unit: Row['unit']): string {
  switch (target.kind) {
    case 'ratio-at-least':
      return `ratio ≥ ${target.value}`;
    case 'ratio-at-most':
      return `ratio ≤ ${target.value}`;
    case 'value-at-most':
      return `≤ ${formatValue(target.value, unit)}`;
    case 'cpu-at-most':
      return `CPU/op ≤ ${formatMs(target.ms)}`;
    case 'cpu-ratio-at-most':
      return `CPU/op ≤ ${target.value}× baseline’s`;
  }
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
  const cpu = formatMs(row.cpuMsPerOp);
  const judgesCpuRatio = row.targets.some((target) => target.kind === 'cpu-ratio-at-most');
  return [
    row.label,
    row.display,
    formatMs(row.p50Ms),
    formatMs(row.p99Ms),
    judgesCpuRatio && row.cpuRatio !== null ? `${cpu} (${row.cpuRatio.toFixed(2)}×)` : cpu,
    row.errors === null ? '—' : String(row.errors),
    row.baseline ? `${row.baseline.label}: ${row.baseline.display}` : '—',
    row.ratio === null ? '—' : row.ratio.toFixed(2),
    row.targets.length === 0 ? '—' : row.targets.map((target) => targetText(target, row.unit)).join('; '),
    verdictText(row),
  ];
}

function verdictText(row: Row): string {
  if (row.met === null) return '—';
  if (row.met) return 'met';
  return row.targets.length > 1 ? `not met (${row.missed.join(', ')})` : 'not met';
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
      `data folder on ${machine.dataFilesystem}; load average ${machine.loadAverageAtStart} at the start` +
      (machine.loadAverageAtEnd === undefined ? '.' : `, ${machine.loadAverageAtEnd} at the end.`),
  ];
}

export const TABLE_START = '<!-- bench:start -->';
export const TABLE_END = '<!-- bench:end -->';

/**
 * Under the table's header when a row misses its target: the table is read beside the text that
 * says, with measurements, what bounds each such row (docs/performance.md).
 */
export const MISSED_TARGETS_POINTER =
  'A row marked "not met" is one that docs/performance.md "What bounds the rows that miss a target" ' +
  'explains above: what bounds it, measured, and what going further would cost.';

/** The block of docs/performance.md that `--update-docs` rewrites: generated text only, between the markers. */
export function docsBlock(report: BenchReport): string {
  const notes = notesOf(report.rows);
  const missed = report.rows.some((row) => row.met === false);
  return [
    TABLE_START,
    '',
    ...summaryLines(report).map((line) => `${line}  `),
    ...(missed ? [MISSED_TARGETS_POINTER] : []),
    '',
    markdownTable(report.rows),
    ...(notes.length > 0 ? ['', ...notes.map((note) => `- ${note}`)] : []),
    '',
    TABLE_END,
  ].join('\n');
}

/** Replaces the block between the markers; the markers must be there exactly once. */
export function replaceDocsBlock(document: string, block: string): string {
  const start = document.indexOf(TABLE_START);
  const end = document.indexOf(TABLE_END);
  if (start < 0 || end < start || document.indexOf(TABLE_START, start + 1) >= 0) {
    throw new Error(`docs/performance.md needs one ${TABLE_START} … ${TABLE_END} block for the benchmark table.`);
  }
  return document.slice(0, start) + block + document.slice(end + TABLE_END.length);
}
