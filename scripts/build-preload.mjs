// Builds the preload as one CommonJS file: a sandboxed preload can't load ES modules or other
// files of the app, only require('electron') and a few Node polyfills
// (https://www.electronjs.org/docs/latest/tutorial/sandbox#preload-scripts).
import { build } from 'esbuild';

await build({
  entryPoints: ['src-main/preload/preload.ts'],
  outfile: 'build/main/preload/preload.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['electron'],
  logLevel: 'warning',
  legalComments: 'none',
});
