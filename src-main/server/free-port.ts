import { createServer, isIP } from 'node:net';

/**
 * The loopback addresses the bundled server holds at its port (server/http/listen.ts; SECURITY.md
 * "Another program on the same machine"): a port is free only when it is free on each of them,
 * or the server would refuse it.
 */
const LOOPBACK_ADDRESSES = ['127.0.0.1', '::1'];

/**
 * A TCP port free on every loopback address right now: `preferred` when it is free (a stable port
 * keeps the User Center's origin, and so its local storage, the same between starts), else one the
 * OS picks.
 */
export async function findFreePort(preferred?: number): Promise<number> {
  if (preferred !== undefined && preferred > 0 && (await freeOnAll(preferred))) return preferred;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const port = await tryListen('127.0.0.1', 0);
    if (port !== null && (await freeOnAll(port))) return port;
  }
  throw new Error('No TCP port is free on both 127.0.0.1 and [::1].');
}

async function freeOnAll(port: number): Promise<boolean> {
  for (const address of LOOPBACK_ADDRESSES) {
    if ((await tryListen(address, port)) === null) return false;
  }
  return true;
}

/** The port bound, or null when it is taken; a machine without IPv6 counts as free on ::1. */
function tryListen(host: string, port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      const noIpv6 = isIP(host) === 6 && (error.code === 'EADDRNOTAVAIL' || error.code === 'EAFNOSUPPORT');
      resolve(noIpv6 ? port : null);
    });
    server.listen({ host, port, exclusive: true, ipv6Only: isIP(host) === 6 }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : null;
      server.close(() => resolve(bound));
    });
  });
}
