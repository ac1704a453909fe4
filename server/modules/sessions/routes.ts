import type { FastifyInstance } from 'fastify';
import { clientInfo } from '../../http/client-info.js';
import { assertOriginForCookieAuth } from '../../http/request-guards.js';
import type { AppServices } from '../../services.js';

export function sessionRoutes(app: FastifyInstance, services: AppServices): void {
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
      const session = await services.sessions.authenticate(request);
      if (session?.via === 'cookie') assertOriginForCookieAuth(request);
      // The revocation and its event commit together: a failed write leaves the session as it
      // was, and the answer (503) does not clear the cookie of a session that still exists.
      if (session) {
        await services.db.transaction(async () => {
          await services.sessions.revoke(session);
          await services.events.record(session.userId, 'signed_out', clientInfo(request));
        });
      }
      services.sessions.clearCookie(reply);
      return reply.code(204).send();
    },
  );
}
