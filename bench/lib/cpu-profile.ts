// Reads a V8 CPU profile (the .cpuprofile file `node --cpu-prof` writes) and says where the time
// went: the frames with the most self time (time the CPU spent in that function itself, not in
// what it called), and the same summed by where the code comes from (a package, a file of the
// built server, Node's internals). docs/performance.md "CPU profiles" keeps such summaries.
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The parts of the .cpuprofile format (Chrome DevTools protocol, Profiler.Profile) used here. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  startTime: number;
  endTime: number;
  /** The node sampled at each tick. */
  samples: number[];
  /** Microseconds since the previous sample (the first: since startTime). */
  timeDeltas: number[];
}

export interface FrameTime {
  /** Function name, or "(anonymous)"; V8's own entries keep their names: "(garbage collector)", "(program)". */
  name: string;
  /** Where it is: a path relative to the repository, node:…, or "" for V8's own entries. */
  where: string;
  selfMs: number;
  /** Share of the busy time (all but "(idle)"), from 0 to 1. */
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  busyMs: number;
  frames: FrameTime[];
  /** Self time summed by origin: "node_modules/fastify", "build/server/modules/sessions/service.js", "node:internal", "V8". */
  origins: { origin: string; selfMs: number; share: number }[];
}

/** A script URL as the summary shows it: relative to `root` when inside it. */
export function placeOf(url: string, root: string): string {
  if (!url) return '';
  if (url.startsWith('node:')) return url;
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const inside = relative(root, path);
  return inside.startsWith('..') ? path : inside;
}

/** Which package, server file or runtime part a frame's code belongs to. */
export function originOf(where: string): string {
  if (!where) return 'V8';
  if (where.startsWith('node:')) return 'node:internal';
  // The innermost node_modules: a package's own copy of a dependency counts as that dependency.
  const packageMatch = /^(?:.*\/)?node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(where);
  return packageMatch ? `node_modules/${packageMatch[1]}` : where;
}

/**
 * Where the time went. With `window` (microseconds on the profile's clock, which on Linux is
 * CLOCK_MONOTONIC, as process.hrtime's), only the samples inside it count: the load, not the start.
 */
export function summarizeProfile(
  profile: CpuProfile,
  root: string,
  window?: { fromUs: number; toUs: number },
): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfByFrame = new Map<string, { name: string; where: string; selfMs: number }>();
  let idleMs = 0;
  let totalMs = 0;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (window && (at < window.fromUs || at > window.toUs)) continue;
    // A sample stands for the time until the next one.
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    totalMs += ms;
    const frame = byId.get(profile.samples[i]!)?.callFrame;
    if (!frame) continue;
    if (frame.functionName === '(idle)') {
      idleMs += ms;
      continue;
    }
    const where = placeOf(frame.url, root);
    const name = frame.functionName || '(anonymous)';
    const line = where && frame.lineNumber >= 0 ? `${where}:${frame.lineNumber + 1}` : where;
    const key = `${name}\u0000${line}`;
    const entry = selfByFrame.get(key) ?? { name, where: line, selfMs: 0 };
    entry.selfMs += ms;
    selfByFrame.set(key, entry);
  }
  const busyMs = totalMs - idleMs;
  const share = (ms: number) => (busyMs > 0 ? ms / busyMs : 0);
  const frames = [...selfByFrame.values()]
    .sort((a, b) => b.selfMs - a.selfMs)
    .map((frame) => ({ ...frame, share: share(frame.selfMs) }));
  const byOrigin = new Map<string, number>();
  for (const frame of frames) {
    const origin = originOf(frame.where.replace(/:\d+$/, ''));
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + frame.selfMs);
  }
  const origins = [...byOrigin.entries()]
    .map(([origin, selfMs]) => ({ origin, selfMs, share: share(selfMs) }))
    .sort((a, b) => b.selfMs - a.selfMs);
  return { totalMs, idleMs, busyMs, frames, origins };
}

/** The summary as Markdown: the busy time, then the top frames and the top origins by self time. */
export function profileMarkdown(summary: ProfileSummary, top = 20): string {
  const percent = (share: number) => `${(share * 100).toFixed(1)} %`;
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  return [
    `Sampled ${ms(summary.totalMs)}, of which busy ${ms(summary.busyMs)} (idle ${ms(summary.idleMs)}).`,
    '',
    '| Self time | Share of busy | Function | Where |',
    '| --- | --- | --- | --- |',
    ...summary.frames
      .slice(0, top)
      .map(
        (frame) => `| ${ms(frame.selfMs)} | ${percent(frame.share)} | ${escape(frame.name)} | ${escape(frame.where)} |`,
      ),
    '',
    '| Self time | Share of busy | Code from |',
    '| --- | --- | --- |',
    ...summary.origins
      .slice(0, top)
      .map((origin) => `| ${ms(origin.selfMs)} | ${percent(origin.share)} | ${escape(origin.origin)} |`),
  ].join('\n');
}
