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

export type CreateAccountBody = JsonOf<typeof createAccount.body>;
export type AccountCreated = JsonOf<(typeof createAccount.response)[201]>;
export type Me = JsonOf<(typeof me.response)[200]>;
