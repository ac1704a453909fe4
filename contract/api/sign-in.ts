import { SECOND_FACTOR_METHODS } from '../values.js';
import {
  closedBody,
  codeField,
  dateTime,
  endpoint,
  errorResponses,
  passwordField,
  signedIn,
  ticketField,
  usernameField,
  type JsonOf,
} from './schema.js';

const secondFactorRequired = {
  type: 'object',
  required: ['status', 'ticket', 'methods', 'expiresAt'],
  properties: {
    status: { type: 'string', enum: ['second_factor_required'] },
    ticket: { type: 'string' },
    methods: { type: 'array', items: { type: 'string', enum: SECOND_FACTOR_METHODS } },
    expiresAt: dateTime,
  },
} as const;

export const signIn = endpoint({
  tags: ['sign-in'],
  summary: 'Sign in with username and password; may ask for a second factor',
  body: closedBody({ username: usernameField, password: passwordField }),
  response: {
    200: { oneOf: [signedIn, secondFactorRequired] },
    ...errorResponses(401, 429),
  },
});

export const signInWithTotp = endpoint({
  tags: ['sign-in'],
  summary: 'Complete sign-in with a 6-digit authenticator-app code',
  body: closedBody({ ticket: ticketField, code: codeField }),
  response: { 200: signedIn, ...errorResponses(401, 429) },
});

export const signInWithBackupCode = endpoint({
  tags: ['sign-in'],
  summary: 'Complete sign-in with a single-use backup code',
  body: closedBody({ ticket: ticketField, code: codeField }),
  response: {
    200: {
      type: 'object',
      required: ['status', 'username', 'backupCodesRemaining'],
      properties: {
        status: { type: 'string', enum: ['signed_in'] },
        username: { type: 'string' },
        backupCodesRemaining: { type: 'integer' },
      },
    },
    ...errorResponses(401, 429),
  },
});

export type SignInBody = JsonOf<typeof signIn.body>;
export type SignInResult = JsonOf<(typeof signIn.response)[200]>;
export type SecondFactorRequired = JsonOf<typeof secondFactorRequired>;
export type CodeBody = JsonOf<typeof signInWithTotp.body>;
export type SignedInWithBackupCode = JsonOf<(typeof signInWithBackupCode.response)[200]>;
