// The scripts start npm and electron-builder as `node <their JavaScript entry> ...args`, never
// through a shell: an argument array survives spaces and quotes in paths, and no `.cmd` wrapper is
// involved on Windows (Node refuses to spawn a .cmd without a shell since the fix for
// CVE-2024-27980, and with one the arguments would be joined into a command line).
import process from 'node:process';
import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { PROJECT_ROOT } from './electron-binary.mjs';

/**
 * npm's JavaScript entry: the one running this script (`npm run` sets npm_execpath), else the one
 * the `npm` on PATH is (a link to npm-cli.js on Unix; beside npm.cmd on Windows), else the npm
 * installed beside this Node.
 */
export function npmEntry(env = process.env, nodePath = process.execPath) {
  const onPath = (env.PATH ?? env.Path ?? '').split(delimiter).filter(Boolean);
  const candidates = [
    env.npm_execpath,
    ...onPath.flatMap((folder) => [realpathOrNull(join(folder, 'npm')), join(folder, ...NPM_CLI)]),
    join(dirname(nodePath), ...NPM_CLI),
    join(dirname(nodePath), '..', 'lib', ...NPM_CLI),
  ];
  const found = candidates.find((path) => path && /\.[cm]?js$/.test(path) && existsSync(path));
  if (!found) throw new Error('npm was not found on PATH or beside this Node: run this through npm (npm run …).');
  return found;
}

const NPM_CLI = ['node_modules', 'npm', 'bin', 'npm-cli.js'];

function realpathOrNull(path) {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

/** `npm ...args` as [command, args] for spawn without a shell. */
export function npmCommand(args) {
  return [process.execPath, [npmEntry(), ...args]];
}

/** `electron-builder ...args` as [command, args] for spawn without a shell. */
export function electronBuilderCommand(args) {
  const require = createRequire(join(PROJECT_ROOT, 'package.json'));
  const cli = join(dirname(require.resolve('electron-builder/package.json')), 'cli.js');
  return [process.execPath, [cli, ...args]];
}
