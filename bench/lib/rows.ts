// Turns measurements into the table's rows: medians over runs, ratios to baselines, targets.
import type { RunResult } from './load-protocol.js';
import { formatValue, judge, type BaselineRef, type Row, type Target } from './report.js';
import { median } from './stats.js';

export interface Measured {
  runs: RunResult[];
  /** Median over the measured runs (the warm-up excluded). */
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  cpuMsPerOp: number | null;
  /** Over the warm-up and all runs. */
  errors: number;
  firstError: string | null;
}

export function summarize(runs: RunResult[]): Measured {
  const measured = runs.filter((run) => !run.warmup);
  return {
    runs,
    perSecond: median(measured.map((run) => run.requestsPerSecond)),
    p50Ms: median(measured.map((run) => run.p50Ms)),
    p99Ms: median(measured.map((run) => run.p99Ms)),
    cpuMsPerOp: measured.some((run) => run.cpuMsPerOp === null) ? null : median(measured.map((run) => run.cpuMsPerOp!)),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    firstError: runs.find((run) => run.firstError)?.firstError ?? null,
  };
}

export interface RateRowInput {
  id: string;
  label: string;
  /** How other rows name this one when it is their baseline. */
  short?: string;
  unit: 'req/s' | 'op/s';
  measured: Measured;
  /** The row it is compared with, and the targets its ratios are judged by. */
  baseline?: { row: Row; targets?: Target[] };
  /** Targets that need no baseline (an absolute CPU/op ceiling). */
  targets?: Target[];
  /** Shown after the figure, e.g. "(42 per core)". */
  suffix?: string;
  note?: string;
}

/** How a row names another as its baseline. */
export function baselineRef(row: Row): BaselineRef {
  return { id: row.id, label: row.shortLabel ?? row.label, display: row.display, cpuMsPerOp: row.cpuMsPerOp };
}

export const quotient = (numerator: number | null, denominator: number | null | undefined) =>
  numerator !== null && denominator ? numerator / denominator : null;

/** A throughput row; its ratio is this row's rate over its baseline's, its CPU ratio likewise. */
export function rateRow(input: RateRowInput): Row {
  const { measured } = input;
  const baseline = input.baseline ? baselineRef(input.baseline.row) : null;
  const ratio = quotient(measured.perSecond, input.baseline?.row.value);
  const cpuRatio = quotient(measured.cpuMsPerOp, baseline?.cpuMsPerOp);
  const targets = [...(input.baseline?.targets ?? []), ...(input.targets ?? [])];
  return {
    id: input.id,
    label: input.label,
    ...(input.short ? { shortLabel: input.short } : {}),
    value: measured.perSecond,
    unit: input.unit,
    display: formatValue(measured.perSecond, input.unit) + (input.suffix ? ` ${input.suffix}` : ''),
    p50Ms: measured.p50Ms,
    p99Ms: measured.p99Ms,
    cpuMsPerOp: measured.cpuMsPerOp,
    errors: measured.errors,
    baseline,
    ratio,
    cpuRatio,
    targets,
    ...judge(targets, { ratio, value: measured.perSecond, cpuMsPerOp: measured.cpuMsPerOp, cpuRatio }),
    ...(input.note ? { note: input.note } : {}),
    runs: measured.runs,
  };
}

/**
 * Growth: the same request on the large database against the small one. The ratio is the large
 * row's time per request over the small row's (small rate ÷ large rate): 1.00 means no slowdown.
 */
export function growthRow(id: string, label: string, small: Row, large: Row, maxSlowdown: number): Row {
  const ratio = small.value && large.value ? small.value / large.value : null;
  const targets: Target[] = [{ kind: 'ratio-at-most', value: maxSlowdown }];
  return {
    id,
    label,
    value: ratio,
    unit: 'x',
    display: large.display,
    p50Ms: large.p50Ms,
    p99Ms: large.p99Ms,
    cpuMsPerOp: large.cpuMsPerOp,
    errors: null,
    baseline: baselineRef(small),
    ratio,
    cpuRatio: null,
    targets,
    ...judge(targets, { ratio, value: ratio, cpuMsPerOp: large.cpuMsPerOp, cpuRatio: null }),
  };
}

/** A row of one figure (a size, a time), judged by a ceiling and shown beside an optional baseline. */
export function valueRow(input: {
  id: string;
  label: string;
  short?: string;
  value: number | null;
  unit: 'bytes' | 'ms';
  display?: string;
  target?: Target;
  baseline?: BaselineRef & { value: number | null };
  note?: string;
}): Row {
  const ratio = input.baseline?.value && input.value !== null ? input.value / input.baseline.value : null;
  const targets = input.target ? [input.target] : [];
  return {
    id: input.id,
    label: input.label,
    ...(input.short ? { shortLabel: input.short } : {}),
    value: input.value,
    unit: input.unit,
    display: input.display ?? (input.value === null ? 'not measured' : formatValue(input.value, input.unit)),
    p50Ms: null,
    p99Ms: null,
    cpuMsPerOp: null,
    errors: null,
    baseline: input.baseline
      ? { id: input.baseline.id, label: input.baseline.label, display: input.baseline.display }
      : null,
    ratio,
    cpuRatio: null,
    targets,
    ...judge(targets, { ratio, value: input.value, cpuMsPerOp: null, cpuRatio: null }),
    ...(input.note ? { note: input.note } : {}),
  };
}

/** A row that was not measured on this machine, with the sentence that says why. */
export function skippedRow(id: string, label: string, why: string): Row {
  return {
    id,
    label,
    value: null,
    unit: 'req/s',
    display: 'skipped',
    p50Ms: null,
    p99Ms: null,
    cpuMsPerOp: null,
    errors: null,
    baseline: null,
    ratio: null,
    cpuRatio: null,
    targets: [],
    met: null,
    missed: [],
    note: why,
  };
}
