// The screen shown when the app cannot reach a server it can use (the bundled server did not
// start, the IT policy is invalid, a remote server is down). A data: URL with no script and a
// CSP that allows none, loaded by the main process itself; the navigation guards keep the page
// from going anywhere.

const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;margin:0;padding:48px;color:#1b1b1f;background:#fafafa}' +
  'h1{font-size:22px;margin:0 0 16px}p{max-width:42em}code{font-size:14px}' +
  '@media (prefers-color-scheme: dark){body{color:#e6e6ea;background:#1b1b1f}}';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

export interface ErrorPage {
  title: string;
  /** Sentences a person can act on; each becomes a paragraph. */
  paragraphs: string[];
}

export function errorPageHtml(page: ErrorPage): string {
  const paragraphs = page.paragraphs.map((text) => `<p>${escapeHtml(text)}</p>`).join('');
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">` +
    `<title>Latchkey</title><style>${STYLE}</style></head>` +
    `<body><main role="alert"><h1>${escapeHtml(page.title)}</h1>${paragraphs}</main></body></html>`
  );
}

export function errorPageUrl(page: ErrorPage): string {
  return `data:text/html;charset=utf-8,${encodeURIComponent(errorPageHtml(page))}`;
}
