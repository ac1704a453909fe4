// Turns measurements into the table's rows: medians over runs, ratios to baselines, targets.
import type { RunResult } from './load-protocol.js';
import { evaluateTarget, formatValue, type Row, type Target } from './report.js';
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
  baseline?: { row: Row; target?: Target };
  /** Shown after the figure, e.g. "(42 per core)". */
  suffix?: string;
  note?: string;
}

/** A throughput row; its ratio is this row's rate over its baseline's. */
export function rateRow(input: RateRowInput): Row {
  const { measured } = input;
  const baselineValue = input.baseline?.row.value ?? null;
  const ratio = baselineValue ? measured.perSecond / baselineValue : null;
  const target = input.baseline?.target ?? null;
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
    baseline: input.baseline
      ? {
          id: input.baseline.row.id,
          label: input.baseline.row.shortLabel ?? input.baseline.row.label,
          display: input.baseline.row.display,
        }
      : null,
    ratio,
    target,
    met: evaluateTarget(target, ratio, measured.perSecond),
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
  const target: Target = { kind: 'ratio-at-most', value: maxSlowdown };
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
    baseline: { id: small.id, label: small.shortLabel ?? small.label, display: small.display },
    ratio,
    target,
    met: evaluateTarget(target, ratio, ratio),
  };
}

export function valueRow(input: {
  id: string;
  label: string;
  value: number | null;
  unit: 'bytes' | 'ms';
  display?: string;
  target?: Target;
  baseline?: { id: string; label: string; display: string; value: number | null };
  note?: string;
}): Row {
  const ratio = input.baseline?.value && input.value !== null ? input.value / input.baseline.value : null;
  const target = input.target ?? null;
  return {
    id: input.id,
    label: input.label,
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
    target,
    met: evaluateTarget(target, ratio, input.value),
    ...(input.note ? { note: input.note } : {}),
  };
}
