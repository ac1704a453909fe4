// docs/api.md "Origin check" and "Host check": which origins and Host headers this server accepts.
// Known only once the port is bound (port 0 picks one), hence a holder filled at listen time.

export interface OriginPolicy {
  publicOrigin: string;
  acceptedOrigins: ReadonlySet<string>;
  acceptedHosts: ReadonlySet<string>;
  secureCookies: boolean;
}

export function buildOriginPolicy(publicOrigin: string, port: number, boundToLoopback: boolean): OriginPolicy {
  const url = new URL(publicOrigin);
  const acceptedOrigins = new Set([url.origin]);
  const acceptedHosts = new Set([url.host]);
  if (boundToLoopback) {
    for (const name of ['localhost', '127.0.0.1', '[::1]']) {
      acceptedOrigins.add(`http://${name}:${port}`);
      acceptedHosts.add(`${name}:${port}`);
    }
  }
  return { publicOrigin: url.origin, acceptedOrigins, acceptedHosts, secureCookies: url.protocol === 'https:' };
}
