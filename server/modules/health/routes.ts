import type { FastifyInstance } from 'fastify';

export function healthRoutes(app: FastifyInstance, version: string): void {
  app.get(
    '/api/v1/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness and version',
        response: {
          200: {
            type: 'object',
            required: ['status', 'version'],
            properties: { status: { type: 'string', enum: ['ok'] }, version: { type: 'string' } },
          },
        },
      },
    },
    async () => ({ status: 'ok', version }),
  );
}
