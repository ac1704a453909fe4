// Health for people and for load balancers (docs/deployment.md "Two instances behind a reverse
// proxy"). /api/v1/health is the User Center's: the version and whether registration is open.
// /api/v1/health/live says the process answers; /api/v1/health/ready says whether to send it
// requests: not while it stops, nor while its database does not answer. The probes carry nothing
// but that, so they answer whatever Host a load balancer sends (request-guards.ts).
import type { FastifyInstance } from 'fastify';

export interface HealthInfo {
  /** Whether POST /api/v1/accounts is open: the User Center offers "Create account" only then. */
  registrationOpen: boolean;
  /** null while the server should be sent requests; else why not. */
  unreadiness(): Promise<Unreadiness | null>;
}

export const UNREADINESS = ['stopping', 'database_unreachable'] as const;
export type Unreadiness = (typeof UNREADINESS)[number];

const ok = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string', enum: ['ok'] } },
} as const;

export function healthRoutes(app: FastifyInstance, version: string, info: HealthInfo): void {
  app.get(
    '/api/v1/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness, version, and whether registration is open',
        response: {
          200: {
            type: 'object',
            required: ['status', 'version', 'registrationOpen'],
            properties: {
              status: { type: 'string', enum: ['ok'] },
              version: { type: 'string' },
              registrationOpen: { type: 'boolean' },
            },
          },
        },
      },
    },
    async () => ({ status: 'ok', version, registrationOpen: info.registrationOpen }),
  );

  app.get(
    '/api/v1/health/live',
    {
      config: { anyHost: true },
      schema: { tags: ['health'], summary: 'For a load balancer: the process answers', response: { 200: ok } },
    },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/api/v1/health/ready',
    {
      config: { anyHost: true },
      schema: {
        tags: ['health'],
        summary: 'For a load balancer: send this instance requests (its database answers, it is not stopping)',
        response: {
          200: ok,
          503: {
            type: 'object',
            required: ['status', 'reason'],
            properties: {
              status: { type: 'string', enum: ['unavailable'] },
              reason: { type: 'string', enum: [...UNREADINESS] },
            },
          },
        },
      },
    },
    async (_request, reply) => {
      const reason = await info.unreadiness();
      if (reason === null) return { status: 'ok' };
      return reply.code(503).send({ status: 'unavailable', reason });
    },
  );
}
