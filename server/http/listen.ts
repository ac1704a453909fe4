// Binding the port. On loopback the server holds every address `localhost` can mean, at one port:
// the public origin is http://localhost:PORT, and a browser (or the desktop window) may connect to
// any of those addresses first. An address left free would let another local program listen there
// at the same port and receive the password, the session cookie and WebAuthn for RP ID
// `localhost` (SECURITY.md "Another program on the same machine"). So the server starts only when
// it holds them all, and refuses to start when any is taken.
//
// Fastify's own `listen({ host: 'localhost' })` is not used: it binds only what the hosts file
// gives for `localhost` (often 127.0.0.1 alone, while browsers resolve `localhost` to ::1 too), and
// it ignores an error on its secondary addresses, so a taken ::1 would go unnoticed.
import { lookup } from 'node:dns/promises';
import type { Server, ServerOptions } from 'node:http';
import { isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { isLoopbackHost } from '../config.js';
import { http } from './node-http.js';

/** What browsers resolve `localhost` to whatever the hosts file says (RFC 6761 §6.3). */
const LOCALHOST_ADDRESSES = ['127.0.0.1', '::1'];
/** With port 0, a port taken on a secondary address is given back and another one picked. */
const FREE_PORT_ATTEMPTS = 5;

/** The addresses to bind for `host`: itself, or on loopback every address `localhost` can mean. */
export async function bindAddresses(host: string): Promise<string[]> {
  if (!isLoopbackHost(host)) return [host];
  const fromHostsFile = await lookup('localhost', { all: true }).then(
    (answers) => answers.map((answer) => answer.address),
    () => [],
  );
  const addresses = [...(isIP(host) ? [host] : []), ...LOCALHOST_ADDRESSES, ...fromHostsFile];
  // A hosts file that maps `localhost` elsewhere must not put the server on a network.
  return [...new Set(addresses.filter(isLoopbackHost))];
}

/** Where the server listens, and a closer for the servers beside app.server (Fastify closes that one). */
export interface Bound {
  port: number;
  addresses: string[];
  /** Stops the servers beside app.server accepting, and resolves once their connections have ended. */
  closeExtra(): Promise<void>;
  /** Closes those servers' connections now, requests in flight or not. */
  dropExtraConnections(): void;
}

/**
 * Listens on every address at one port: app.server takes the first, a mirror of it (the same
 * request handler, timeouts and client-error handling) takes each of the others. Any address that
 * cannot be bound fails the whole start with Node's own error (EADDRINUSE with `address` and
 * `port`), except an IPv6 address on a machine without IPv6, which nobody can bind either.
 * app.server is bound directly rather than through app.listen, which can't be called again after
 * a port 0 attempt is given back.
 */
export async function listenOnAll(app: FastifyInstance, host: string, port: number): Promise<Bound> {
  const addresses = await bindAddresses(host);
  await app.ready();
  for (let attempt = 1; ; attempt += 1) {
    const servers = [app.server, ...addresses.slice(1).map(() => mirrorServer(app.server, app.routing.bind(app)))];
    const held: Server[] = [];
    const heldAddresses: string[] = [];
    let bound = port;
    try {
      for (const [index, address] of addresses.entries()) {
        const server = servers[index]!;
        if (!(await bindOrSkip(server, address, bound, index === 0))) continue;
        held.push(server);
        heldAddresses.push(address);
        if (index === 0) bound = (server.address() as { port: number }).port;
      }
      const extra = held.filter((server) => server !== app.server);
      return {
        port: bound,
        addresses: heldAddresses,
        closeExtra: () => closeAll(extra),
        dropExtraConnections: () => {
          for (const server of extra) server.closeAllConnections();
        },
      };
    } catch (error) {
      await closeAll(held);
      const taken = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
      if (!(port === 0 && taken && attempt < FREE_PORT_ATTEMPTS)) throw error;
    }
  }
}

function mirrorServer(primary: Server, handler: FastifyInstance['routing']): Server {
  // What Node reads only when it creates a server: a missing Host left to the request guards
  // (the error shape of docs/api.md "Errors"), and timeouts checked every second rather than every thirty.
  // Node keeps both options on the server it made, untyped.
  const created = primary as Server & Pick<ServerOptions, 'requireHostHeader' | 'connectionsCheckingInterval'>;
  const server = http.createServer(
    {
      requireHostHeader: created.requireHostHeader,
      connectionsCheckingInterval: created.connectionsCheckingInterval,
    },
    handler,
  );
  server.keepAliveTimeout = primary.keepAliveTimeout;
  server.requestTimeout = primary.requestTimeout;
  server.headersTimeout = primary.headersTimeout;
  server.timeout = primary.timeout;
  server.maxRequestsPerSocket = primary.maxRequestsPerSocket;
  for (const listener of primary.listeners('clientError')) {
    server.on('clientError', listener as (...args: unknown[]) => void);
  }
  return server;
}

/** Binds, or answers false for a secondary IPv6 address on a machine that has no IPv6. */
function bindOrSkip(server: Server, address: string, port: number, required: boolean): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      const noIpv6 = isIP(address) === 6 && (error.code === 'EADDRNOTAVAIL' || error.code === 'EAFNOSUPPORT');
      if (noIpv6 && !required) resolve(false);
      else reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve(true);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host: address, port, ipv6Only: isIP(address) === 6 });
  });
}

function closeAll(servers: Server[]): Promise<void> {
  return Promise.all(
    servers.map(
      (server) => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve())),
    ),
  ).then(() => undefined);
}
