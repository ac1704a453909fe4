// The page-load probe in real headless Chromium (when the Username field counts as usable) and
// the bundle weigher, on small pages made here.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureBundle } from '../../bench/lib/bundle-size.js';
import { timeToUsableForm } from '../../bench/lib/page-load.js';
import { serveStatic, type StaticServer } from '../../bench/lib/static-server.js';

describe('time to a usable sign-in form', () => {
  let folder: string;
  let site: StaticServer;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'latchkey-bench-page-'));
    // The field exists at once but is enabled only after 300 ms, as a form waiting on a request.
    writeFileSync(
      join(folder, 'late.html'),
      '<!doctype html><label for="u">Username</label><input id="u" disabled>' +
        '<script>setTimeout(() => { document.getElementById("u").disabled = false; }, 300);</script>',
    );
    writeFileSync(join(folder, 'never.html'), '<!doctype html><label>Username <input disabled></label>');
    writeFileSync(join(folder, 'other.html'), '<!doctype html><label>Password <input type="password"></label>');
    site = await serveStatic(folder, 0);
  });
  afterAll(async () => {
    await site?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('waits until the Username field is enabled and takes focus', async () => {
    const result = await timeToUsableForm(`${site.origin}/late.html`, 2);
    expect(result.samplesMs).toHaveLength(2);
    for (const sample of result.samplesMs) expect(sample).toBeGreaterThanOrEqual(300);
    expect(result.medianMs).toBeLessThan(5000);
  }, 60_000);

  it('never counts a disabled field, or a field with another label', async () => {
    await expect(timeToUsableForm(`${site.origin}/never.html`, 1, 1500)).rejects.toThrow(/Timeout/);
    await expect(timeToUsableForm(`${site.origin}/other.html`, 1, 1500)).rejects.toThrow(/Timeout/);
  }, 60_000);
});

describe('bundle weight', () => {
  it('adds up JavaScript and CSS, raw and gzip, and says when nothing is built', () => {
    const folder = mkdtempSync(join(tmpdir(), 'latchkey-bench-bundle-'));
    try {
      expect(measureBundle(folder)).toBeNull();
      const js = 'console.log("latchkey");\n'.repeat(200);
      const css = 'body { color: black; }\n'.repeat(50);
      // The page names a.js, which imports b.js statically and c.js only on demand.
      const entry = `import{b}from"./b.js";${js}const later=()=>import("./c.js");`;
      writeFileSync(join(folder, 'index.html'), '<!doctype html><script type="module" src="/assets/a.js"></script>');
      writeFileSync(join(folder, 'a.js'), entry);
      writeFileSync(join(folder, 'b.js'), js);
      writeFileSync(join(folder, 'c.js'), js);
      writeFileSync(join(folder, 'style.css'), css);
      const weight = measureBundle(folder)!;
      expect(weight.js).toEqual({
        files: 2,
        rawBytes: entry.length + js.length,
        gzipBytes: gzipSync(entry).length + gzipSync(js).length,
      });
      expect(weight.jsOnDemand).toEqual({ files: 1, rawBytes: js.length, gzipBytes: gzipSync(js).length });
      expect(weight.css).toEqual({ files: 1, rawBytes: css.length, gzipBytes: gzipSync(css).length });
      expect(weight.js.gzipBytes).toBeLessThan(weight.js.rawBytes);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
