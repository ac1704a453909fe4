import type { FastifyInstance } from 'fastify';
import { clientInfo } from '../../http/client-info.js';
import {
  backupCodesSchema,
  body,
  codeField,
  errorResponses,
  passwordField,
  twoFactorSchema,
} from '../../http/schemas.js';
import type { AppServices } from '../../services.js';

export function totpRoutes(app: FastifyInstance, services: AppServices): void {
  app.post<{ Body: { password: string } }>(
    '/api/v1/me/totp/setup',
    {
      schema: {
        tags: ['two-factor'],
        summary: 'Start authenticator-app set-up (password): a new secret, its key URI and QR code',
        ...body({ password: passwordField }),
        response: {
          200: {
            type: 'object',
            required: ['secret', 'otpauthUri', 'qrCodeSvg', 'expiresAt'],
            properties: {
              secret: { type: 'string' },
              otpauthUri: { type: 'string' },
              qrCodeSvg: { type: 'string' },
              expiresAt: { type: 'string', format: 'date-time' },
            },
          },
          ...errorResponses(401, 403, 409, 429),
        },
      },
    },
    async (request) => {
      const session = await services.sessions.require(request);
      const setup = await services.totp.beginSetup(session.account, request.body.password, clientInfo(request));
      return { ...setup, expiresAt: new Date(setup.expiresAt).toISOString() };
    },
  );

  app.post<{ Body: { code: string } }>(
    '/api/v1/me/totp/enable',
    {
      schema: {
        tags: ['two-factor'],
        summary: 'Turn authenticator-app codes on with a code from the pending set-up',
        ...body({ code: codeField }),
        response: {
          200: {
            type: 'object',
            required: ['backupCodes'],
            properties: { backupCodes: { anyOf: [backupCodesSchema, { type: 'null' }] } },
          },
          ...errorResponses(401, 403, 409),
        },
      },
    },
    async (request) => {
      const session = await services.sessions.require(request);
      return { backupCodes: await services.totp.enable(session.account, request.body.code, clientInfo(request)) };
    },
  );

  app.post<{ Body: { password: string } }>(
    '/api/v1/me/totp/disable',
    {
      schema: {
        tags: ['two-factor'],
        summary: 'Turn authenticator-app codes off (password)',
        ...body({ password: passwordField }),
        response: {
          200: { type: 'object', required: ['twoFactor'], properties: { twoFactor: twoFactorSchema } },
          ...errorResponses(401, 403, 409, 429),
        },
      },
    },
    async (request) => {
      const session = await services.sessions.require(request);
      return { twoFactor: await services.totp.disable(session.account, request.body.password, clientInfo(request)) };
    },
  );
}
