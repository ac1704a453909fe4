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
import { wrongSetupCode } from './service.js';

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
      await services.accounts.reauthenticate(session.account, request.body.password, clientInfo(request));
      const setup = await services.totp.beginSetup(session.account);
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
      const client = clientInfo(request);
      const outcome = await services.db.transaction(async () => {
        // Read-then-change of the account's factors: one such change per account at a time.
        await services.db.lockAccount(session.userId);
        const before = await services.twoFactor.status(session.userId);
        const enabled = await services.totp.enable(session.userId, request.body.code);
        if (!enabled.enabled) {
          // Committed with the spent attempt: the owner sees every wrong code in the activity.
          await services.events.record(session.userId, 'second_factor_failed', client);
          return enabled;
        }
        const backupCodes = await services.twoFactor.afterFactorAdded(session.userId, before);
        await services.events.record(session.userId, 'totp_enabled', client);
        if (backupCodes) await services.events.record(session.userId, 'backup_codes_generated', client);
        return { enabled: true as const, backupCodes };
      });
      if (!outcome.enabled) throw wrongSetupCode(outcome.attemptsLeft);
      return { backupCodes: outcome.backupCodes };
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
      const client = clientInfo(request);
      await services.accounts.reauthenticate(session.account, request.body.password, client);
      return services.db.transaction(async () => {
        await services.db.lockAccount(session.userId);
        await services.totp.disable(session.userId);
        await services.twoFactor.afterFactorRemoved(session.userId);
        await services.events.record(session.userId, 'totp_disabled', client);
        return { twoFactor: await services.twoFactor.status(session.userId) };
      });
    },
  );
}
