// Navigation and new windows stay on the server origin (docs/desktop.md "One hardened window"):
// the User Center may move within its origin; other https links open in the person's browser;
// everything else (http elsewhere, file:, data:, javascript:, custom schemes) is refused.
// Electron's guide: https://www.electronjs.org/docs/latest/tutorial/security#13-disable-or-limit-navigation
import { errorPageAction, type ErrorPageAction } from '../window/error-page.js';
import { originOf } from './origin.js';

export type NavigationDecision = 'allow' | 'open-externally' | 'deny';

export function decideNavigation(targetUrl: string, serverOrigin: string): NavigationDecision {
  const origin = originOf(targetUrl);
  if (origin === null) return 'deny';
  if (origin === serverOrigin) return 'allow';
  let url: URL;
  try {
    url = new URL(targetUrl);
  } catch {
    return 'deny';
  }
  // Credentials in a link are a phishing trick, never something to hand to a browser.
  if (url.protocol === 'https:' && !url.username && !url.password) return 'open-externally';
  return 'deny';
}

/** The part of Electron's WebContents the guards use (faked in the unit tests). */
export interface GuardedWebContents {
  /** The page shown now (the error page is a data: URL). */
  getURL(): string;
  on(
    event: 'will-navigate' | 'will-redirect',
    listener: (event: { url: string; preventDefault(): void }) => void,
  ): void;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void;
}

export interface NavigationGuardOptions {
  /** Read on each navigation: the bundled server's origin can change when it restarts. */
  serverOrigin: () => string;
  /** Opens an https link in the default browser (security/external-links.ts). */
  openInBrowser: (url: string) => void;
  onDenied?: (url: string) => void;
  /** What the error page's links do (window/error-page.ts); honoured from that page only. */
  errorPageActions?: Partial<Record<ErrorPageAction, () => void>>;
}

export function installNavigationGuards(contents: GuardedWebContents, options: NavigationGuardOptions): void {
  const guard = (event: { url: string; preventDefault(): void }) => {
    const action = errorPageAction(event.url);
    if (action !== null) {
      event.preventDefault();
      // The User Center (or anything else at the server origin) can't ask for these.
      if (contents.getURL().startsWith('data:')) options.errorPageActions?.[action]?.();
      else options.onDenied?.(event.url);
      return;
    }
    const decision = decideNavigation(event.url, options.serverOrigin());
    if (decision === 'allow') return;
    event.preventDefault();
    if (decision === 'open-externally') options.openInBrowser(event.url);
    else options.onDenied?.(event.url);
  };
  contents.on('will-navigate', guard);
  // A server-side redirect away from the origin is a navigation too.
  contents.on('will-redirect', guard);
  // The User Center opens no windows of its own: in-origin window.open is refused as well, so
  // there is only ever the one hardened window.
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideNavigation(url, options.serverOrigin());
    if (decision === 'open-externally') options.openInBrowser(url);
    else options.onDenied?.(url);
    return { action: 'deny' };
  });
}
