// The desktop shell's own Content-Security-Policy on every response from the server origin, on
// top of the one the server sends (server/http/request-guards.ts; a test keeps the two equal).
// A remote server behind a proxy that drops headers, or an older server, still gets a User
// Center that runs only its own scripts. Two policies on one response are both enforced.
// Electron keeps one onHeadersReceived listener per session, so the other rewrites of the
// server's responses (the session cookie made session-only) run inside this one.

export interface HeaderDetails {
  url: string;
  responseHeaders?: Record<string, string[]>;
}

export interface HeadersReceivedSource {
  onHeadersReceived(
    listener: (
      details: HeaderDetails,
      callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
    ) => void,
  ): void;
}

function fromServer(url: string, serverOrigin: string): boolean {
  try {
    return new URL(url).origin === serverOrigin;
  } catch {
    return false;
  }
}

/** Another change to the server's response headers, made before the policy is added. */
export type HeaderRewrite = (url: string, headers: Record<string, string[]>) => Record<string, string[]>;

export function installContentSecurityPolicy(
  webRequest: HeadersReceivedSource,
  serverOrigin: () => string,
  rewrites: readonly HeaderRewrite[] = [],
): void {
  webRequest.onHeadersReceived((details, callback) => {
    if (!fromServer(details.url, serverOrigin())) return callback({});
    const headers = rewrites.reduce((current, rewrite) => rewrite(details.url, current), details.responseHeaders ?? {});
    // The policy is written out here, not imported, so static checkers can evaluate it.
    callback({
      responseHeaders: {
        ...headers,
        'Content-Security-Policy': [
          "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ],
      },
    });
  });
}
