import type { FastifyRequest } from 'fastify';
import ipaddr from 'ipaddr.js';
import { isLoopbackHost } from '../config.js';

/** Who is asking, as recorded in security events and used by the per-address limit. */
export interface ClientInfo {
  /** request.ip: the socket address, or X-Forwarded-For when --trust-proxy is set. */
  ip: string;
  userAgent: string | null;
  isLoopback: boolean;
  /**
   * What the per-address limit counts against: the IPv4 address, or the /64 an IPv6 address is
   * in (one subscriber's network: RFC 6177, SECURITY.md); null for loopback, which is exempt.
   */
  addressBucket: string | null;
}

export function clientInfo(request: FastifyRequest): ClientInfo {
  const ip = request.ip.replace(/^::ffff:/, '');
  const userAgent = request.headers['user-agent'];
  const isLoopback = isLoopbackHost(ip);
  return {
    ip,
    userAgent: userAgent === undefined ? null : userAgent.slice(0, 256),
    isLoopback,
    addressBucket: isLoopback ? null : addressBucket(ip),
  };
}

export function addressBucket(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  // process(): an IPv4-mapped IPv6 address is its IPv4 address.
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') return address.toString();
  const prefix = (address as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16));
  return `${prefix.join(':')}::/64`;
}
