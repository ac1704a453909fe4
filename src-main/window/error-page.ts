// The screen shown when the app cannot reach a server it can use (the bundled server did not
// start, the IT policy is invalid, a remote server is down). A data: URL with no script and a
// CSP that allows none, loaded by the main process itself; the navigation guards keep the page
// from going anywhere. It shows the whole cause (every line the server printed last, as text)
// and a link that opens the logs folder: the link's URL is an app action the navigation guard
// runs instead of navigating (security/navigation.ts), and only from this page.

const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;margin:0;padding:48px;color:#1b1b1f;background:#fafafa}' +
  'h1{font-size:22px;margin:0 0 16px}p{max-width:42em}' +
  'pre{font-size:13px;white-space:pre-wrap;overflow-wrap:anywhere;max-width:60em;padding:12px;' +
  'background:#eee;border-radius:6px}' +
  'a{color:#0b57d0}' +
  '@media (prefers-color-scheme: dark){body{color:#e6e6ea;background:#1b1b1f}pre{background:#2a2a30}a{color:#8ab4f8}}';

/** The app actions the error page offers, as the URLs its links carry. */
export const ERROR_PAGE_ACTIONS = {
  openLogsFolder: 'latchkey-action:open-logs-folder',
} as const;

export type ErrorPageAction = keyof typeof ERROR_PAGE_ACTIONS;

/** Which action a URL asks for, or null when it is not one of the error page's actions. */
export function errorPageAction(url: string): ErrorPageAction | null {
  const entry = Object.entries(ERROR_PAGE_ACTIONS).find(([, actionUrl]) => actionUrl === url);
  return entry ? (entry[0] as ErrorPageAction) : null;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

export interface ErrorPage {
  title: string;
  /** Sentences a person can act on; each becomes a paragraph. */
  paragraphs: string[];
  /** The cause word for word (the server's last output), shown whole as preformatted text. */
  details?: string;
}

export function errorPageHtml(page: ErrorPage): string {
  const paragraphs = page.paragraphs
    .filter((text) => text.trim() !== '')
    .map((text) => `<p>${escapeHtml(text)}</p>`)
    .join('');
  const details = page.details?.trim() ? `<p>What it said:</p><pre>${escapeHtml(page.details.trim())}</pre>` : '';
  const actions = `<p><a href="${ERROR_PAGE_ACTIONS.openLogsFolder}">Open logs folder</a> (to send to your support contact)</p>`;
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">` +
    `<title>Latchkey</title><style>${STYLE}</style></head>` +
    `<body><main role="alert"><h1>${escapeHtml(page.title)}</h1>${paragraphs}${details}${actions}</main></body></html>`
  );
}

export function errorPageUrl(page: ErrorPage): string {
  return `data:text/html;charset=utf-8,${encodeURIComponent(errorPageHtml(page))}`;
}
