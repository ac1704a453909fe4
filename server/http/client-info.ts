import type { FastifyRequest } from 'fastify';
import { isLoopbackHost } from '../config.js';

/** Who is asking, as recorded in security events and used by the per-address limit. */
export interface ClientInfo {
  /** request.ip: the socket address, or X-Forwarded-For when --trust-proxy is set. */
  ip: string;
  userAgent: string | null;
  isLoopback: boolean;
}

export function clientInfo(request: FastifyRequest): ClientInfo {
  const ip = request.ip.replace(/^::ffff:/, '');
  const userAgent = request.headers['user-agent'];
  return {
    ip,
    userAgent: userAgent === undefined ? null : userAgent.slice(0, 256),
    isLoopback: isLoopbackHost(ip),
  };
}
