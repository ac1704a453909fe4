// "Another program" holding a loopback address at a port: a plain TCP listener in the test
// process, as a hostile local process would open one (SECURITY.md "Another program on the same
// machine"). And the check a test makes before it gives the server a port.
import { createServer, isIP, type Server } from 'node:net';

export interface ForeignListener {
  port: number;
  close(): Promise<void>;
}

/** The port bound; null when it is taken; 'no-address' when this machine lacks the address. */
function listen(server: Server, host: string, port: number): Promise<number | null | 'no-address'> {
  return new Promise((resolve) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      resolve(error.code === 'EADDRNOTAVAIL' || error.code === 'EAFNOSUPPORT' ? 'no-address' : null),
    );
    server.listen({ host, port, ipv6Only: isIP(host) === 6 }, () =>
      resolve((server.address() as { port: number }).port),
    );
  });
}

const closeServer = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/** Whether nothing listens on `host` at `port` (nothing can where the machine lacks the address). */
export async function isFree(host: string, port: number): Promise<boolean> {
  const probe = createServer();
  const bound = await listen(probe, host, port);
  if (typeof bound === 'number') await closeServer(probe);
  return bound !== null;
}

/** Whether `port` is free on both loopback addresses the server holds, so it can start there. */
export async function isFreeOnLoopback(port: number): Promise<boolean> {
  return (await isFree('127.0.0.1', port)) && (await isFree('::1', port));
}

/** Whether this machine has an IPv6 loopback address to bind. */
export async function hasIpv6Loopback(): Promise<boolean> {
  const server = createServer();
  const port = await listen(server, '::1', 0);
  if (typeof port === 'number') await closeServer(server);
  return typeof port === 'number';
}

/**
 * Listens on `host` at a port that is free on every other loopback address (127.0.0.1 and ::1),
 * so that the one address taken is the one the test names.
 */
export async function holdPortOn(host: string): Promise<ForeignListener> {
  const others = ['127.0.0.1', '::1'].filter((address) => address !== host);
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const server = createServer((socket) => socket.end('not Latchkey\n'));
    const port = await listen(server, host, 0);
    if (typeof port !== 'number') throw new Error(`Cannot listen on ${host}.`);
    let freeElsewhere = true;
    for (const other of others) freeElsewhere = freeElsewhere && (await isFree(other, port));
    if (freeElsewhere) return { port, close: () => closeServer(server) };
    await closeServer(server);
  }
  throw new Error(`No port free on every loopback address but ${host}.`);
}
