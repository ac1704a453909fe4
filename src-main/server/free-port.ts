import { createServer } from 'node:net';

/**
 * A TCP port free on 127.0.0.1 right now: `preferred` when it is free (a stable port keeps the
 * User Center's origin, and so its local storage, the same between starts), else one the OS picks.
 */
export async function findFreePort(preferred?: number): Promise<number> {
  if (preferred !== undefined && preferred > 0) {
    const port = await tryListen(preferred);
    if (port !== null) return port;
  }
  const port = await tryListen(0);
  if (port === null) throw new Error('No free TCP port on 127.0.0.1.');
  return port;
}

function tryListen(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(null));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : null;
      server.close(() => resolve(bound));
    });
  });
}
