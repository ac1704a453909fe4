import {
  closedBody,
  codeField,
  dateTime,
  endpoint,
  errorResponses,
  newBackupCodes,
  otherSessionsEnded,
  passwordField,
  signOutOtherSessionsField,
  twoFactorStatus,
  type JsonOf,
} from './schema.js';

export const beginTotpSetup = endpoint({
  tags: ['two-factor'],
  summary: 'Start authenticator-app set-up (password): a new secret, its key URI and QR code',
  body: closedBody({ password: passwordField }),
  response: {
    200: {
      type: 'object',
      required: ['secret', 'otpauthUri', 'qrCodeSvg', 'expiresAt'],
      properties: {
        secret: { type: 'string' },
        otpauthUri: { type: 'string' },
        qrCodeSvg: { type: 'string' },
        expiresAt: dateTime,
      },
    },
    ...errorResponses(401, 403, 409, 429),
  },
});

export const enableTotp = endpoint({
  tags: ['two-factor'],
  summary: 'Turn authenticator-app codes on with a code from the pending set-up',
  description:
    "A code right for a time within ten minutes of now, but outside the accepted window, is 401 `clock_drift` with `error.driftSeconds` (negative: the phone's clock is behind); it counts as a wrong code.",
  body: closedBody({ code: codeField }),
  response: {
    200: { type: 'object', required: ['backupCodes'], properties: { backupCodes: newBackupCodes } },
    ...errorResponses(401, 403, 409),
  },
});

export const disableTotp = endpoint({
  tags: ['two-factor'],
  summary: 'Turn authenticator-app codes off (password), and optionally sign out everywhere else',
  body: closedBody({ password: passwordField, signOutOtherSessions: signOutOtherSessionsField }, ['password']),
  response: {
    200: {
      type: 'object',
      required: ['twoFactor'],
      properties: { twoFactor: twoFactorStatus, otherSessionsEnded },
    },
    ...errorResponses(401, 403, 409, 429),
  },
});

export type PasswordBody = JsonOf<typeof beginTotpSetup.body>;
export type DisableTotpBody = JsonOf<typeof disableTotp.body>;
export type EnableTotpBody = JsonOf<typeof enableTotp.body>;
export type TotpSetup = JsonOf<(typeof beginTotpSetup.response)[200]>;
export type TotpEnabled = JsonOf<(typeof enableTotp.response)[200]>;
export type TotpDisabled = JsonOf<(typeof disableTotp.response)[200]>;
