// JSON Schema building blocks shared by the routes. Every body schema is closed
// (additionalProperties: false): API.md says an unknown field is 400 invalid_request.
import { ERROR_CODES } from './api-error.js';

type JsonSchema = Record<string, unknown>;

export function body(properties: Record<string, JsonSchema>, required: string[] = Object.keys(properties)) {
  return { body: { type: 'object', additionalProperties: false, required, properties } };
}

/** Routes that take no body still refuse one that carries fields. */
export const noBody = {};

export const passwordField: JsonSchema = {
  type: 'string',
  description: '8 to 128 characters after NFC normalisation',
};

export const codeField: JsonSchema = {
  type: 'string',
  maxLength: 64,
  description: 'spaces and dashes are ignored',
};

export const ticketField: JsonSchema = { type: 'string', maxLength: 128 };

const errorSchema: JsonSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string', enum: [...ERROR_CODES] }, message: { type: 'string' } },
    },
  },
};

/** The error bodies a route can answer with, for the OpenAPI document (any may answer 400 and 503). */
export function errorResponses(...statuses: number[]): Record<number, JsonSchema> {
  return Object.fromEntries([...new Set([400, ...statuses, 503])].map((status) => [status, errorSchema]));
}

export const twoFactorSchema: JsonSchema = {
  type: 'object',
  required: ['enabled', 'totp', 'securityKeys', 'backupCodesRemaining'],
  properties: {
    enabled: { type: 'boolean' },
    totp: { type: 'boolean' },
    securityKeys: { type: 'integer' },
    backupCodesRemaining: { type: 'integer' },
  },
};

export const signedInSchema: JsonSchema = {
  type: 'object',
  required: ['status', 'username'],
  properties: { status: { type: 'string', enum: ['signed_in'] }, username: { type: 'string' } },
};

export const backupCodesSchema: JsonSchema = {
  type: 'array',
  minItems: 10,
  maxItems: 10,
  items: { type: 'string', pattern: '^[a-z0-9]{5}-[a-z0-9]{5}$' },
};
