import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../services.js';
import { errorResponses, noBody } from '../../http/schemas.js';
import { SECURITY_EVENT_TYPES } from './repository.js';

export function securityEventRoutes(app: FastifyInstance, services: AppServices): void {
  app.get(
    '/api/v1/me/events',
    {
      schema: {
        tags: ['security events'],
        summary: "The account's recent security events, newest first",
        ...noBody,
        response: {
          200: {
            type: 'object',
            required: ['events'],
            properties: {
              events: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['type', 'at', 'ip', 'userAgent'],
                  properties: {
                    type: { type: 'string', enum: [...SECURITY_EVENT_TYPES] },
                    at: { type: 'string', format: 'date-time' },
                    ip: { type: ['string', 'null'] },
                    userAgent: { type: ['string', 'null'] },
                  },
                },
              },
            },
          },
          ...errorResponses(401),
        },
      },
    },
    async (request) => {
      const session = await services.sessions.require(request);
      const events = await services.events.list(session.userId);
      return { events: events.map((event) => ({ ...event, at: new Date(event.at).toISOString() })) };
    },
  );
}
