import type { FastifyInstance } from 'fastify';

export interface HealthInfo {
  /** Whether POST /api/v1/accounts is open: the User Center offers "Create account" only then. */
  registrationOpen: boolean;
}

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
}
