import type { FastifyInstance } from 'fastify';
import { clientInfo } from '../../http/client-info.js';
import type { AppServices } from '../../services.js';

export function sessionRoutes(app: FastifyInstance, services: AppServices): void {
  // API.md: sign-out is always 204, so it is never refused for the shape of its request. In a
  // scope of its own, any body of any type (an empty JSON one, text, broken JSON) is left unread.
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    signOutRoute(scope, services);
  });
}

function signOutRoute(app: FastifyInstance, services: AppServices): void {
  app.delete(
    '/api/v1/session',
    {
      schema: {
        tags: ['sign-in'],
        summary: 'Sign out: revoke the session on the server and clear the cookie (always 204)',
        response: { 204: { type: 'null' } },
      },
    },
    async (request, reply) => {
      await services.sessions.signOut(request, clientInfo(request));
      services.sessions.clearCookie(reply);
      return reply.code(204).send();
    },
  );
}
