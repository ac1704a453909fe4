import type { FastifyInstance } from 'fastify';
import { clientInfo } from '../../http/client-info.js';
import { backupCodesSchema, body, errorResponses, passwordField } from '../../http/schemas.js';
import type { AppServices } from '../../services.js';

export function backupCodeRoutes(app: FastifyInstance, services: AppServices): void {
  app.post<{ Body: { password: string } }>(
    '/api/v1/me/backup-codes',
    {
      schema: {
        tags: ['two-factor'],
        summary: 'Generate ten new backup codes (password); every earlier code stops working',
        ...body({ password: passwordField }),
        response: {
          200: { type: 'object', required: ['backupCodes'], properties: { backupCodes: backupCodesSchema } },
          ...errorResponses(401, 403, 409, 429),
        },
      },
    },
    async (request) => {
      const session = await services.sessions.require(request);
      const backupCodes = await services.twoFactor.replaceBackupCodes(
        session.account,
        request.body.password,
        clientInfo(request),
      );
      return { backupCodes };
    },
  );
}
