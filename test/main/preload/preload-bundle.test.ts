// The built preload (npm run build:main → build/main/preload/preload.cjs) must load in Electron's
// sandboxed preload environment: one CommonJS file whose only import is require('electron').
// That environment is reproduced with node:vm and a stand-in `electron` module exposing
// contextBridge and ipcRenderer (the Electron runtime itself is not available here).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { IPC_CHANNELS } from '../../../src-main/ipc/channels.js';
import { ROOT, runBuild } from '../support/build.js';

const BUNDLE = join(ROOT, 'build', 'main', 'preload', 'preload.cjs');

describe('the preload bundle', () => {
  let source = '';
  beforeAll(() => {
    runBuild('build:main');
    source = readFileSync(BUNDLE, 'utf8');
  });

  it('is CommonJS with no ES module syntax and no other file to load', () => {
    expect(source).not.toMatch(/^\s*import\s/m);
    expect(source).not.toMatch(/^\s*export\s/m);
    expect(source).not.toMatch(/import\(/);
    const required = [...source.matchAll(/require\(["']([^"']+)["']\)/g)].map((match) => match[1]);
    expect(required).toEqual(['electron']);
  });

  it('exposes window.latchkey with the two bridge functions, routed to their channels', async () => {
    const exposed: Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>> = {};
    const invoked: unknown[][] = [];
    const electron = {
      contextBridge: {
        exposeInMainWorld: (name: string, api: Record<string, (...args: unknown[]) => Promise<unknown>>) =>
          (exposed[name] = api),
      },
      ipcRenderer: {
        invoke: async (...args: unknown[]) => {
          invoked.push(args);
          return { ok: true };
        },
      },
    };
    const sandboxRequire = (name: string) => {
      if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
      return electron;
    };
    const module = { exports: {} };
    runInNewContext(source, { require: sandboxRequire, module, exports: module.exports });

    expect(Object.keys(exposed)).toEqual(['latchkey']);
    const bridge = exposed.latchkey!;
    expect(Object.keys(bridge).sort()).toEqual(['getStatus', 'saveTextFile']);
    await bridge.saveTextFile!('codes.txt', 'abc');
    await bridge.getStatus!();
    expect(invoked).toEqual([[IPC_CHANNELS.saveTextFile, 'codes.txt', 'abc'], [IPC_CHANNELS.getStatus]]);
    // ipcRenderer itself never reaches the page.
    expect(JSON.stringify(Object.keys(bridge))).not.toContain('ipcRenderer');
  });
});
