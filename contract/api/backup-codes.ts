import { backupCodes, closedBody, endpoint, errorResponses, passwordField, type JsonOf } from './schema.js';

export const regenerateBackupCodes = endpoint({
  tags: ['two-factor'],
  summary: 'Generate ten new backup codes (password); every earlier code stops working',
  body: closedBody({ password: passwordField }),
  response: {
    200: { type: 'object', required: ['backupCodes'], properties: { backupCodes } },
    ...errorResponses(401, 403, 409, 429),
  },
});

export type BackupCodes = JsonOf<(typeof regenerateBackupCodes.response)[200]>;
