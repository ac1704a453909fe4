// The CPU-profile summary of docs/performance.md "CPU profiles": self time per frame and per
// origin from a profile written by hand, then from one that Node itself writes with --cpu-prof.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { originOf, placeOf, profileMarkdown, summarizeProfile, type CpuProfile } from '../../bench/lib/cpu-profile.js';

const ROOT = '/repo';

describe('CPU profile summary', () => {
  // root → handler → hashToken; samples every 1 ms: handler 2, hashToken 3, idle 4, GC 1.
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 } },
      { id: 2, callFrame: { functionName: 'handler', url: 'file:///repo/build/server/app.js', lineNumber: 9 } },
      {
        id: 3,
        callFrame: { functionName: 'hashToken', url: 'file:///repo/node_modules/fastify/lib/x.js', lineNumber: 0 },
      },
      { id: 4, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 } },
      { id: 5, callFrame: { functionName: '(garbage collector)', url: '', lineNumber: -1 } },
      { id: 6, callFrame: { functionName: '', url: 'node:internal/async_hooks', lineNumber: 4 } },
    ],
    startTime: 0,
    endTime: 12_000,
    samples: [2, 2, 3, 3, 3, 4, 4, 4, 4, 5, 6, 6],
    timeDeltas: Array<number>(12).fill(1000),
  };

  it('adds up self time per frame and per origin, idle apart', () => {
    const summary = summarizeProfile(profile, ROOT);
    // The last sample has no next one: 11 intervals of 1 ms.
    expect(summary.totalMs).toBe(11);
    expect(summary.idleMs).toBe(4);
    expect(summary.busyMs).toBe(7);
    expect(summary.frames.map((frame) => [frame.name, frame.where, frame.selfMs])).toEqual([
      ['hashToken', 'node_modules/fastify/lib/x.js:1', 3],
      ['handler', 'build/server/app.js:10', 2],
      ['(garbage collector)', '', 1],
      ['(anonymous)', 'node:internal/async_hooks:5', 1],
    ]);
    expect(summary.frames[0]!.share).toBeCloseTo(3 / 7);
    expect(summary.origins.map((origin) => [origin.origin, origin.selfMs])).toEqual([
      ['node_modules/fastify', 3],
      ['build/server/app.js', 2],
      ['V8', 1],
      ['node:internal', 1],
    ]);
    const markdown = profileMarkdown(summary, 2);
    expect(markdown).toContain('| 3.0 ms | 42.9 % | hashToken | node_modules/fastify/lib/x.js:1 |');
    expect(markdown).not.toContain('(garbage collector) |');
  });

  it('counts only the samples inside a window of the profile clock', () => {
    // Samples at 1000, 2000, … 12000 µs: from 3000 to 5000 are the three hashToken samples.
    const summary = summarizeProfile(profile, ROOT, { fromUs: 3000, toUs: 5000 });
    expect(summary.frames.map((frame) => [frame.name, frame.selfMs])).toEqual([['hashToken', 3]]);
    expect(summary.busyMs).toBe(3);
  });

  it('names where code comes from', () => {
    expect(placeOf('file:///repo/build/server/main.js', ROOT)).toBe('build/server/main.js');
    expect(placeOf('file:///elsewhere/x.js', ROOT)).toBe('/elsewhere/x.js');
    expect(placeOf('node:internal/timers', ROOT)).toBe('node:internal/timers');
    expect(originOf('node_modules/@fastify/cookie/plugin.js')).toBe('node_modules/@fastify/cookie');
    expect(originOf('node_modules/a/node_modules/b/index.js')).toBe('node_modules/b');
    expect(originOf('')).toBe('V8');
  });

  it('reads the profile Node writes with --cpu-prof and finds its hottest function', () => {
    const folder = mkdtempSync(join(tmpdir(), 'latchkey-bench-cpuprof-'));
    try {
      const script = join(folder, 'spin.mjs');
      writeFileSync(
        script,
        'function spinHere() { let x = 0; for (let i = 0; i < 3e8; i++) x = (x + i) % 7919; return x; }\nspinHere();\n',
      );
      const run = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', folder, script], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      const file = readdirSync(folder).find((name) => name.endsWith('.cpuprofile'))!;
      const summary = summarizeProfile(JSON.parse(readFileSync(join(folder, file), 'utf8')) as CpuProfile, folder);
      expect(summary.frames[0]).toMatchObject({ name: 'spinHere', where: 'spin.mjs:1' });
      expect(summary.frames[0]!.share).toBeGreaterThan(0.5);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
