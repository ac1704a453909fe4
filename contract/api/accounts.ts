import {
  closedBody,
  endpoint,
  errorResponses,
  passwordField,
  twoFactorStatus,
  usernameField,
  type JsonOf,
} from './schema.js';

export const createAccount = endpoint({
  tags: ['accounts'],
  summary: 'Create an account',
  body: closedBody({ username: usernameField, password: passwordField }),
  response: {
    201: { type: 'object', required: ['username'], properties: { username: { type: 'string' } } },
    ...errorResponses(403, 409),
  },
});

export const me = endpoint({
  tags: ['accounts'],
  summary: 'The signed-in account and its two-factor state',
  response: {
    200: {
      type: 'object',
      required: ['username', 'twoFactor'],
      properties: { username: { type: 'string' }, twoFactor: twoFactorStatus },
    },
    ...errorResponses(401),
  },
});

export const changePassword = endpoint({
  tags: ['accounts'],
  summary: 'Change the password (password): the registration rules apply; every other session ends',
  body: closedBody({ password: passwordField, newPassword: passwordField }),
  response: {
    200: {
      type: 'object',
      required: ['otherSessionsEnded'],
      properties: { otherSessionsEnded: { type: 'integer', minimum: 0 } },
    },
    ...errorResponses(401, 403, 429),
  },
});

export type ChangePasswordBody = JsonOf<typeof changePassword.body>;
export type PasswordChanged = JsonOf<(typeof changePassword.response)[200]>;
export type CreateAccountBody = JsonOf<typeof createAccount.body>;
export type AccountCreated = JsonOf<(typeof createAccount.response)[201]>;
export type Me = JsonOf<(typeof me.response)[200]>;
