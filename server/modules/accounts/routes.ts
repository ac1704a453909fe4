import type { FastifyInstance } from 'fastify';
import { clientInfo } from '../../http/client-info.js';
import { body, errorResponses, passwordField, twoFactorSchema } from '../../http/schemas.js';
import type { AppServices } from '../../services.js';

export function accountRoutes(app: FastifyInstance, services: AppServices): void {
  app.post<{ Body: { username: string; password: string } }>(
    '/api/v1/accounts',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Create an account',
        ...body({ username: { type: 'string', maxLength: 256 }, password: passwordField }),
        response: {
          201: { type: 'object', required: ['username'], properties: { username: { type: 'string' } } },
          ...errorResponses(403, 409),
        },
      },
    },
    async (request, reply) => {
      const account = await services.accounts.register(
        request.body.username,
        request.body.password,
        clientInfo(request),
      );
      return reply.code(201).send({ username: account.username });
    },
  );

  app.get(
    '/api/v1/me',
    {
      schema: {
        tags: ['accounts'],
        summary: 'The signed-in account and its two-factor state',
        response: {
          200: {
            type: 'object',
            required: ['username', 'twoFactor'],
            properties: {
              username: { type: 'string' },
              twoFactor: twoFactorSchema,
            },
          },
          ...errorResponses(401),
        },
      },
    },
    async (request) => {
      const session = await services.sessions.require(request);
      return { username: session.account.username, twoFactor: await services.twoFactor.status(session.userId) };
    },
  );
}
