// Hooks that run before any route: headers that must appear once, the Host check (DNS-rebinding
// defence), the Origin check for state-changing requests, and the security headers that every
// response carries.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errors } from './api-error.js';
import { sendError } from './error-handler.js';
import type { OriginPolicy } from './origins.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Answers whatever Host the request names: the load balancer's health probes, which may name
     * the instance's own address and which carry nothing a rebinding page could use.
     */
    anyHost?: boolean;
  }
}

// The User Center loads only its own scripts and styles; the QR code is an inline SVG image.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * docs/api.md "Headers". `no-store` is every answer's default, errors included: only the User
 * Center's own routes (server/ui.ts) replace it, with the caching their files allow. Deciding by
 * the route rather than the URL means no spelling of a path (`/%61pi/…`, an absolute-form target)
 * can leave an API answer cacheable.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

/** Also called for errors Fastify meets before any hook runs. */
export function setSecurityHeaders(reply: FastifyReply): void {
  reply.headers(SECURITY_HEADERS);
}

/**
 * Headers that must appear once. Node keeps the first of a repeated Host, Authorization or
 * Content-Type and joins repeated Origin and Cookie lines; either way two parties could read one
 * request two ways, so a repeat is refused instead (RFC 9110 §5.3, RFC 6265 §5.4).
 */
const SINGLE_VALUE_HEADERS = new Map(
  ['Host', 'Origin', 'Content-Type', 'Content-Length', 'Authorization', 'Cookie', 'Transfer-Encoding'].map((name) => [
    name.toLowerCase(),
    name,
  ]),
);

function repeatedHeader(rawHeaders: string[]): string | null {
  const seen = new Set<string>();
  for (let index = 0; index < rawHeaders.length; index += 2) {
    const name = rawHeaders[index]!.toLowerCase();
    const single = SINGLE_VALUE_HEADERS.get(name);
    if (single === undefined) continue;
    if (seen.has(name)) return single;
    seen.add(name);
  }
  return null;
}

/**
 * The host the request names: the authority of an absolute-form target, which RFC 9112 §3.2.2
 * says replaces Host, or else the Host header. Lower case; '' when there is none.
 */
function requestedHost(request: FastifyRequest): string {
  const target = request.raw.url ?? '';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
    try {
      return new URL(target).host.toLowerCase();
    } catch {
      return '';
    }
  }
  return (request.headers.host ?? '').toLowerCase();
}

export function installRequestGuards(app: FastifyInstance, policy: () => OriginPolicy): void {
  app.addHook('onRequest', async (request, reply) => {
    setSecurityHeaders(reply);

    const repeated = repeatedHeader(request.raw.rawHeaders);
    if (repeated !== null) return sendError(reply, errors.duplicateHeader(repeated));
    // RFC 9112 §3.2: an HTTP/1.1 request without Host is malformed (node leaves it to us, so
    // that the answer has the shape of docs/api.md "Errors"); an HTTP/1.0 one is for some other server.
    if (request.headers.host === undefined && request.raw.httpVersion === '1.1') {
      return sendError(reply, errors.missingHost());
    }
    const current = policy();
    if (!current.acceptedHosts.has(requestedHost(request)) && request.routeOptions.config.anyHost !== true) {
      return sendError(reply, errors.misdirected());
    }
    const origin = request.headers.origin;
    if (origin !== undefined && STATE_CHANGING.has(request.method) && !current.acceptedOrigins.has(origin)) {
      return sendError(reply, errors.originMismatch());
    }
  });
}

/** docs/api.md "Origin check": a state-changing request authenticated by the cookie must carry an Origin. */
export function assertOriginForCookieAuth(request: FastifyRequest): void {
  if (STATE_CHANGING.has(request.method) && request.headers.origin === undefined) throw errors.originMismatch();
}
