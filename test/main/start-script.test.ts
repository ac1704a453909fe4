// `npm start` where the Electron binary is missing: one sentence naming the install command and
// the browser alternative, and a non-zero exit. ELECTRON_OVERRIDE_DIST_PATH points Electron's
// lookup at an empty folder, so the test holds even on a machine that has the binary.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

describe('npm start without the Electron binary', () => {
  it('says how to install it or use the browser, in one sentence, and exits non-zero', () => {
    const empty = mkdtempSync(join(tmpdir(), 'latchkey-no-electron-'));
    try {
      const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'start.mjs')], {
        cwd: ROOT,
        env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: empty },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(result.status).toBe(1);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('node node_modules/electron/install.js');
      expect(lines[0]).toContain('npm run serve');
      expect(lines[0]!.match(/\. /g)).toBeNull();
      expect(result.stdout).toBe('');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
