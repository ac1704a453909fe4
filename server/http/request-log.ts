// What the log keeps of requests (docs/deployment.md "Logs"). Fastify's own request log — two
// lines for every request at info — is off: it cost GET /api/v1/me about a quarter of its
// throughput (docs/performance.md). In its place, one line for what an operator needs:
//
// - every sign-in's outcome, at info: the route, the status, `signed_in`,
//   `second_factor_required` or the error code, the client address and the time taken — never a
//   body, a password, a code, a ticket or a token;
// - a request that took at least --slow-request-ms, at info;
// - every request, at debug (as Fastify's own lines did at info);
// - errors as before: the error handler logs every 5xx with its cause (error-handler.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';

/** A sign-in step: a POST to /api/v1/session or a step below it, but not a challenge's options. */
export function isSignInRoute(route: Pick<RouteOptions, 'method' | 'url'>): boolean {
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  return (
    methods.includes('POST') &&
    (route.url === '/api/v1/session' || route.url.startsWith('/api/v1/session/')) &&
    !route.url.endsWith('/options')
  );
}

/** What a sign-in's answer says, read before it is serialised: its status or its error code, nothing else. */
function outcomeOf(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const body = payload as { status?: unknown; error?: { code?: unknown } };
  const outcome = body.status ?? body.error?.code;
  return typeof outcome === 'string' ? outcome : undefined;
}

const signInOutcomes = new WeakMap<FastifyRequest, string>();

/** Call before any route is added. */
export function installRequestLog(app: FastifyInstance, slowRequestMs: number): void {
  app.addHook('onRoute', (route) => {
    if (!isSignInRoute(route)) return;
    // Only the sign-in routes read their answer: the object the route or the error handler
    // sends, before it is serialised (no parsing of what was).
    const noteOutcome = async (request: FastifyRequest, _reply: FastifyReply, payload: unknown) => {
      const outcome = outcomeOf(payload);
      if (outcome !== undefined) signInOutcomes.set(request, outcome);
      return payload;
    };
    route.preSerialization = [...toArray(route.preSerialization), noteOutcome] as RouteOptions['preSerialization'];
  });
  app.addHook('onResponse', async (request, reply) => {
    const ms = Math.round(reply.elapsedTime);
    const outcome = signInOutcomes.get(request);
    if (outcome !== undefined) {
      request.log.info(
        { route: request.routeOptions.url, statusCode: reply.statusCode, outcome, ip: request.ip, ms },
        'sign-in',
      );
    } else if (ms >= slowRequestMs) {
      request.log.info(
        { method: request.method, route: request.routeOptions.url, statusCode: reply.statusCode, ms },
        'slow request',
      );
    } else {
      request.log.debug(
        { method: request.method, route: request.routeOptions.url, statusCode: reply.statusCode, ms },
        'request',
      );
    }
  });
}

function toArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
