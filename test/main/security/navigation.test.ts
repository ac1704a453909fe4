// Navigation and new-window guards, installed on a stand-in for Electron's WebContents (the
// Electron runtime is not available here; the guards only use its events and open handler).
import { describe, expect, it, vi } from 'vitest';
import { decideNavigation, installNavigationGuards } from '../../../src-main/security/navigation.js';
import { isSafeExternalUrl, openInBrowser } from '../../../src-main/security/external-links.js';
import { ERROR_PAGE_ACTIONS, errorPageUrl } from '../../../src-main/window/error-page.js';
import { FakeWebContents } from '../support/fake-electron.js';

const ORIGIN = 'http://localhost:4812';

describe('decideNavigation', () => {
  it.each([
    [`${ORIGIN}/`, 'allow'],
    [`${ORIGIN}/settings/security?tab=keys#top`, 'allow'],
    ['https://example.com/help', 'open-externally'],
    ['https://user:secret@example.com/', 'deny'],
    ['http://example.com/', 'deny'],
    ['http://localhost:4813/', 'deny'],
    ['http://127.0.0.1:4812/', 'deny'],
    ['file:///etc/passwd', 'deny'],
    ['javascript:alert(1)', 'deny'],
    ['data:text/html,<p>x</p>', 'deny'],
    ['smb://share/evil.exe', 'deny'],
    ['latchkey://callback', 'deny'],
    ['about:blank', 'deny'],
    ['not a url', 'deny'],
  ])('%s → %s', (url, decision) => {
    expect(decideNavigation(url, ORIGIN)).toBe(decision);
  });
});

describe('installNavigationGuards', () => {
  function guarded(origin = () => ORIGIN) {
    const contents = new FakeWebContents();
    const openInBrowser = vi.fn();
    const onDenied = vi.fn();
    const openLogsFolder = vi.fn();
    installNavigationGuards(contents, {
      serverOrigin: origin,
      openInBrowser,
      onDenied,
      errorPageActions: { openLogsFolder },
    });
    return { contents, openInBrowser, onDenied, openLogsFolder };
  }

  it("runs the error page's Open logs folder link instead of navigating", () => {
    const { contents, openLogsFolder, openInBrowser } = guarded();
    contents.url = errorPageUrl({ title: 'Latchkey cannot start its server', paragraphs: [] });
    expect(contents.navigate(ERROR_PAGE_ACTIONS.openLogsFolder)).toBe(false);
    expect(openLogsFolder).toHaveBeenCalledTimes(1);
    expect(openInBrowser).not.toHaveBeenCalled();
  });

  it('refuses the app actions to the User Center and any other page', () => {
    const { contents, openLogsFolder, onDenied } = guarded();
    for (const page of [`${ORIGIN}/`, 'https://example.com/']) {
      contents.url = page;
      expect(contents.navigate(ERROR_PAGE_ACTIONS.openLogsFolder)).toBe(false);
    }
    expect(openLogsFolder).not.toHaveBeenCalled();
    expect(onDenied).toHaveBeenCalledTimes(2);
    contents.url = errorPageUrl({ title: 'T', paragraphs: [] });
    expect(contents.navigate('latchkey-action:format-disk')).toBe(false);
    expect(openLogsFolder).not.toHaveBeenCalled();
  });

  it('lets the User Center move within its origin', () => {
    const { contents, openInBrowser } = guarded();
    expect(contents.navigate(`${ORIGIN}/settings`)).toBe(true);
    expect(openInBrowser).not.toHaveBeenCalled();
  });

  it('sends other https links to the default browser instead', () => {
    const { contents, openInBrowser } = guarded();
    expect(contents.navigate('https://example.com/docs')).toBe(false);
    expect(openInBrowser).toHaveBeenCalledWith('https://example.com/docs');
  });

  it('refuses everything else, redirects included, without opening it', () => {
    const { contents, openInBrowser, onDenied } = guarded();
    expect(contents.navigate('file:///etc/passwd')).toBe(false);
    expect(contents.navigate('http://evil.example/')).toBe(false);
    expect(contents.navigate('http://evil.example/', 'will-redirect')).toBe(false);
    expect(openInBrowser).not.toHaveBeenCalled();
    expect(onDenied).toHaveBeenCalledTimes(3);
  });

  it('never opens a new window, even in-origin; https links go to the browser', () => {
    const { contents, openInBrowser } = guarded();
    expect(contents.windowOpenHandler!({ url: `${ORIGIN}/popup` })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'file:///tmp/x' })).toEqual({ action: 'deny' });
    expect(openInBrowser).toHaveBeenCalledTimes(1);
    expect(openInBrowser).toHaveBeenCalledWith('https://example.com/');
  });

  it('follows the server origin when it changes', () => {
    let origin = ORIGIN;
    const { contents } = guarded(() => origin);
    origin = 'http://localhost:4820';
    expect(contents.navigate(`${ORIGIN}/`)).toBe(false);
    expect(contents.navigate('http://localhost:4820/')).toBe(true);
  });
});

describe('openInBrowser', () => {
  it('hands only https URLs without credentials to the OS', () => {
    const shell = { openExternal: vi.fn(async () => undefined) };
    expect(openInBrowser(shell, 'https://example.com/a b')).toBe(true);
    expect(shell.openExternal).toHaveBeenCalledWith('https://example.com/a%20b');
    for (const url of [
      'file:///etc/passwd',
      'smb://host/share',
      'http://example.com',
      'https://u:p@example.com',
      'x',
    ]) {
      expect(isSafeExternalUrl(url)).toBe(false);
      expect(openInBrowser(shell, url)).toBe(false);
    }
    expect(shell.openExternal).toHaveBeenCalledTimes(1);
  });
});
