import {
  backupCodes,
  closedBody,
  endpoint,
  errorResponses,
  otherSessionsEnded,
  passwordField,
  signOutOtherSessionsField,
  type JsonOf,
} from './schema.js';

export const regenerateBackupCodes = endpoint({
  tags: ['two-factor'],
  summary: 'Generate ten new backup codes (password); every earlier code stops working',
  body: closedBody({ password: passwordField, signOutOtherSessions: signOutOtherSessionsField }, ['password']),
  response: {
    200: { type: 'object', required: ['backupCodes'], properties: { backupCodes, otherSessionsEnded } },
    ...errorResponses(401, 403, 409, 429),
  },
});

export type RegenerateBackupCodesBody = JsonOf<typeof regenerateBackupCodes.body>;
export type BackupCodes = JsonOf<(typeof regenerateBackupCodes.response)[200]>;
