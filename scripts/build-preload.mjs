// Builds the preload as one CommonJS file: a sandboxed preload can't load ES modules or other
// files of the app, only require('electron') and a few Node polyfills
// (https://www.electronjs.org/docs/latest/tutorial/sandbox#preload-scripts).
// An unchanged bundle is not rewritten, so a build running beside a reader never truncates it.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Buffer } from 'node:buffer';
import { build } from 'esbuild';

const outfile = 'build/main/preload/preload.cjs';
const result = await build({
  entryPoints: ['src-main/preload/preload.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['electron'],
  logLevel: 'warning',
  legalComments: 'none',
  write: false,
});
const contents = result.outputFiles[0].contents;
let previous = null;
try {
  previous = readFileSync(outfile);
} catch {
  // not built yet
}
if (!previous || !Buffer.from(contents).equals(previous)) {
  mkdirSync(dirname(outfile), { recursive: true });
  writeFileSync(outfile, contents);
}
