// Where the app finds what it runs, from a source checkout and from an installed package.
// Packaged (electron-builder.yml): the main process, preload and server are inside app.asar
// (so the server resolves its dependencies from app.asar/node_modules and is covered by the
// ASAR integrity check); the User Center is an extra resource beside it.
import { join } from 'node:path';

export interface AppLayout {
  /** The built server's entry (build/server/main.js). */
  serverModule: string;
  /** The built User Center (the server's --ui-dir). */
  uiDir: string;
  /** The sandboxed preload, a single CommonJS file. */
  preload: string;
}

export function appLayout(options: { isPackaged: boolean; appPath: string; resourcesPath: string }): AppLayout {
  const { appPath } = options;
  return {
    serverModule: join(appPath, 'build', 'server', 'main.js'),
    uiDir: options.isPackaged ? join(options.resourcesPath, 'renderer') : join(appPath, 'build', 'renderer'),
    preload: join(appPath, 'build', 'main', 'preload', 'preload.cjs'),
  };
}
