// A load balancer in front of several server instances, as docs/deployment.md "Two instances
// behind a reverse proxy" sets nginx up, reduced to what the browser tests need: it listens on
// loopback at one address (both 127.0.0.1 and ::1, so `localhost` reaches it whichever the browser
// tries), sends each request to the next instance in turn (per request, not per connection or per
// client: no sticky sessions), passes Host through, appends the peer to X-Forwarded-For, and counts
// and logs which instance answered what, so a test can prove every instance took part.
import {
  createServer,
  request as upstreamRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { hasIpv6Loopback, isFreeOnLoopback } from '../../support/foreign-listener.js';
import type { PortRange } from './latchkey-server.js';

export interface ProxiedRequest {
  method: string;
  path: string;
  /** Index of the instance it went to. */
  upstream: number;
  /** The instance's status code; 0 until it answers, 502 if it never does. */
  status: number;
}

export interface RoundRobinProxy {
  /** http://localhost:PORT: the one address people (and the instances' --public-origin) use. */
  origin: string;
  port: number;
  /** Sends requests from now on to these instance ports, in turn (until then: 503). */
  forwardTo(ports: number[]): void;
  /** Requests each instance answered, by index. */
  readonly answered: readonly number[];
  /** Requests no instance answered (connection refused or reset): 502 to the browser. */
  readonly failed: number;
  /** Every forwarded request, in the order they arrived. */
  readonly log: readonly ProxiedRequest[];
  close(): Promise<void>;
}

/** RFC 9110 §7.6.1: these concern one connection and are not forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function endToEnd<T extends Record<string, unknown>>(headers: T): T {
  const kept = { ...headers };
  for (const name of Object.keys(kept)) if (HOP_BY_HOP.has(name.toLowerCase())) delete kept[name];
  return kept;
}

/** The peer as nginx's $remote_addr gives it: an IPv4 address without its IPv6 mapping. */
function peerAddress(request: IncomingMessage): string {
  return (request.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
}

export async function startRoundRobinProxy(ports: PortRange): Promise<RoundRobinProxy> {
  let upstreams: number[] = [];
  let turn = 0;
  const answered: number[] = [];
  const log: ProxiedRequest[] = [];
  let failed = 0;

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    if (upstreams.length === 0) {
      response.writeHead(503, { 'content-type': 'text/plain' }).end('No instance to forward to yet.\n');
      return;
    }
    const upstream = turn++ % upstreams.length;
    const entry: ProxiedRequest = { method: request.method ?? '', path: request.url ?? '', upstream, status: 0 };
    log.push(entry);
    const forwardedFor = request.headers['x-forwarded-for'];
    const headers = {
      ...endToEnd(request.headers),
      'x-forwarded-for': forwardedFor ? `${forwardedFor}, ${peerAddress(request)}` : peerAddress(request),
    };
    // A fresh connection per request (agent: false): no idle connection that the instance may
    // close just as the proxy reuses it, which would fail a request for the proxy's sake.
    const outgoing = upstreamRequest(
      {
        host: '127.0.0.1',
        port: upstreams[upstream],
        method: request.method,
        path: request.url,
        headers,
        agent: false,
      },
      (reply) => {
        entry.status = reply.statusCode ?? 502;
        answered[upstream] = (answered[upstream] ?? 0) + 1;
        response.writeHead(entry.status, endToEnd(reply.headers));
        reply.pipe(response);
      },
    );
    outgoing.on('error', (error) => {
      failed += 1;
      entry.status = 502;
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(`Instance ${upstream} did not answer: ${error.message}\n`);
    });
    request.pipe(outgoing);
  };

  const withIpv6 = await hasIpv6Loopback();
  const servers: Server[] = [];
  let port = 0;
  for (let candidate = ports.first; candidate <= ports.last && port === 0; candidate++) {
    if (!(await isFreeOnLoopback(candidate))) continue;
    try {
      for (const host of withIpv6 ? ['127.0.0.1', '::1'] : ['127.0.0.1']) {
        servers.push(await listen(createServer(handle), host, candidate));
      }
      port = candidate;
    } catch {
      // Taken between the check and the listen: close what was opened and try the next port.
      await Promise.all(servers.splice(0).map(closeServer));
    }
  }
  if (port === 0) throw new Error(`No port free on loopback in ${ports.first}-${ports.last} for the proxy.`);

  return {
    origin: `http://localhost:${port}`,
    port,
    forwardTo(to) {
      upstreams = [...to];
      answered.splice(0, answered.length, ...to.map(() => 0));
    },
    get answered() {
      return answered;
    },
    get failed() {
      return failed;
    },
    get log() {
      return log;
    },
    close: () => Promise.all(servers.map(closeServer)).then(() => undefined),
  };
}

function listen(server: Server, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, ipv6Only: host === '::1' }, () => resolve(server));
  });
}

function closeServer(server: Server): Promise<void> {
  // Browsers hold idle keep-alive connections open; end them so close() returns.
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
