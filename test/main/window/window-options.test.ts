// The window's options, held by a stand-in for Electron's BrowserWindow class (the Electron
// runtime is not available here; createMainWindow only passes the options to the constructor).
import type { BrowserWindowConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { createMainWindow, SESSION_PARTITION } from '../../../src-main/window/window-options.js';
import { errorPageHtml, errorPageUrl } from '../../../src-main/window/error-page.js';

class RecordingWindow {
  static last: BrowserWindowConstructorOptions | null = null;
  constructor(readonly options: BrowserWindowConstructorOptions) {
    RecordingWindow.last = options;
  }
}

describe('the main window', () => {
  const window = createMainWindow(RecordingWindow, '/app/build/main/preload/preload.cjs');
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

  it('uses an in-memory session, so cookies never reach the disk', () => {
    expect(preferences.partition).toBe(SESSION_PARTITION);
    expect(SESSION_PARTITION.startsWith('persist:')).toBe(false);
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

  it('is a data: URL holding that page', () => {
    const url = errorPageUrl({ title: 'T', paragraphs: ['P'] });
    expect(url.startsWith('data:text/html;charset=utf-8,')).toBe(true);
    expect(decodeURIComponent(url.slice(url.indexOf(',') + 1))).toContain('<h1>T</h1><p>P</p>');
  });
});
