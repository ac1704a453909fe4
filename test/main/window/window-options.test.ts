// The window's options, held by a stand-in for Electron's BrowserWindow class (the Electron
// runtime is not available here; createMainWindow only passes the options to the constructor).
import type { BrowserWindowConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { createMainWindow, SESSION_PARTITION } from '../../../src-main/window/window-options.js';
import {
  ERROR_PAGE_ACTIONS,
  errorPageAction,
  errorPageHtml,
  errorPageUrl,
} from '../../../src-main/window/error-page.js';

class RecordingWindow {
  static last: BrowserWindowConstructorOptions | null = null;
  constructor(readonly options: BrowserWindowConstructorOptions) {
    RecordingWindow.last = options;
  }
}

describe('the main window', () => {
  const window = createMainWindow(RecordingWindow, '/app/build/main/preload/preload.cjs', { devTools: false });
  const preferences = window.options.webPreferences!;

  it('is created through the given constructor with the preload', () => {
    expect(window).toBeInstanceOf(RecordingWindow);
    expect(preferences.preload).toBe('/app/build/main/preload/preload.cjs');
  });

  it('isolates and sandboxes the renderer with no Node', () => {
    expect(preferences.contextIsolation).toBe(true);
    expect(preferences.sandbox).toBe(true);
    expect(preferences.nodeIntegration).toBe(false);
    expect(preferences.nodeIntegrationInWorker).toBe(false);
    expect(preferences.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps the web platform protections and refuses webviews', () => {
    expect(preferences.webSecurity).toBe(true);
    expect(preferences.allowRunningInsecureContent).toBe(false);
    expect(preferences.experimentalFeatures).toBe(false);
    expect(preferences.webviewTag).toBe(false);
    expect(preferences.navigateOnDragDrop).toBe(false);
    expect(preferences.disableBlinkFeatures).toContain('Auxclick');
    expect(preferences).not.toHaveProperty('enableBlinkFeatures');
  });

  it('uses a persistent session, so Touch ID credentials outlive a restart (Electron issue #52302)', () => {
    expect(preferences.partition).toBe(SESSION_PARTITION);
    expect(SESSION_PARTITION).toBe('persist:latchkey');
  });

  it('has DevTools only when asked (development builds)', () => {
    expect(preferences.devTools).toBe(false);
    const development = createMainWindow(RecordingWindow, '/p.cjs', { devTools: true });
    expect(development.options.webPreferences!.devTools).toBe(true);
  });

  it('stays hidden until the first paint', () => {
    expect(window.options.show).toBe(false);
  });
});

describe('the error page', () => {
  it('escapes what it shows and runs no script', () => {
    const html = errorPageHtml({ title: 'Cannot <start>', paragraphs: ['The file "a&b" <script>x</script> is bad.'] });
    expect(html).toContain('Cannot &#60;start&#62;');
    expect(html).toContain('&#60;script&#62;x&#60;/script&#62;');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain(`default-src 'none'`);
    expect(html).toContain('role="alert"');
  });

  it('shows the whole cause, every line, escaped, and a link to the logs folder', () => {
    const stderr = [
      'node:internal/modules/cjs/loader:1921',
      "Error: The module 'better_sqlite3.node' was compiled against a different Node.js version using",
      'NODE_MODULE_VERSION 127. This version of Node.js requires NODE_MODULE_VERSION 137. <rebuild>',
      '    at Module._extensions..node (node:internal/modules/cjs/loader:1921:18)',
    ].join('\n');
    const html = errorPageHtml({
      title: 'Latchkey cannot start its server',
      paragraphs: ['It stopped.'],
      details: stderr,
    });
    for (const line of stderr.split('\n'))
      expect(html).toContain(line.replace('<rebuild>', '&#60;rebuild&#62;').replaceAll("'", '&#39;'));
    expect(html).toMatch(/<pre>node:internal[^]*loader:1921:18\)<\/pre>/);
    expect(html).toContain(`<a href="${ERROR_PAGE_ACTIONS.openLogsFolder}">Open logs folder</a>`);
    expect(errorPageAction(ERROR_PAGE_ACTIONS.openLogsFolder)).toBe('openLogsFolder');
    expect(errorPageAction('latchkey-action:other')).toBeNull();
  });

  it('is a data: URL holding that page', () => {
    const url = errorPageUrl({ title: 'T', paragraphs: ['P'] });
    expect(url.startsWith('data:text/html;charset=utf-8,')).toBe(true);
    expect(decodeURIComponent(url.slice(url.indexOf(',') + 1))).toContain('<h1>T</h1><p>P</p>');
  });
});
