// Hooks that run before any route: the Host check (DNS-rebinding defence), the Origin check for
// state-changing requests, and the security headers that every response carries.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errors } from './api-error.js';
import { sendError } from './error-handler.js';
import type { OriginPolicy } from './origins.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

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

/** API.md "Every response": also called for errors Fastify meets before any hook runs. */
export function setSecurityHeaders(request: FastifyRequest, reply: FastifyReply): void {
  reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('x-frame-options', 'DENY');
  reply.header('cross-origin-opener-policy', 'same-origin');
  reply.header('cross-origin-resource-policy', 'same-origin');
  if ((request.url ?? '').startsWith('/api/')) reply.header('cache-control', 'no-store');
}

export function installRequestGuards(app: FastifyInstance, policy: () => OriginPolicy): void {
  app.addHook('onRequest', async (request, reply) => {
    setSecurityHeaders(request, reply);

    const current = policy();
    const host = (request.headers.host ?? '').toLowerCase();
    if (!current.acceptedHosts.has(host)) return sendError(reply, errors.misdirected());
    const origin = request.headers.origin;
    if (origin !== undefined && STATE_CHANGING.has(request.method) && !current.acceptedOrigins.has(origin)) {
      return sendError(reply, errors.originMismatch());
    }
  });
}

/** API.md: a state-changing request authenticated by the cookie must carry an Origin. */
export function assertOriginForCookieAuth(request: FastifyRequest): void {
  if (STATE_CHANGING.has(request.method) && request.headers.origin === undefined) throw errors.originMismatch();
}
