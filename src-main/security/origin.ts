// Which server origins the app may be pinned to. WebAuthn runs only on an https origin or on
// http://localhost (docs/architecture.md "Why the window loads the User Center from the server's origin"),
// so nothing else is accepted, from IT policy or from the person.

export class ServerUrlError extends Error {}

/**
 * The origin of a server URL ("https://id.example.com", "http://localhost:4680"), or a
 * ServerUrlError whose message a person can act on.
 */
export function parseServerOrigin(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ServerUrlError(`"${raw}" is not a URL; use one such as https://id.example.com.`);
  }
  const localhost = url.hostname === 'localhost';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && localhost)) {
    throw new ServerUrlError(
      `"${raw}" must use https (plain http only for localhost): security keys work on no other kind of address.`,
    );
  }
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    throw new ServerUrlError(`"${raw}" must be only a scheme, host and port, such as https://id.example.com.`);
  }
  return url.origin;
}

/** The origin of any URL, or null for one that has none (about:blank, data:, garbage). */
export function originOf(raw: string): string | null {
  try {
    const origin = new URL(raw).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}
