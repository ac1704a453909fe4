// JSON Schemas of the WebAuthn bodies. The credential objects are checked loosely (the fields
// the library reads, and their types): their contents are the library's to verify, and browsers
// may add fields the spec defines later. A wrong shape is 400 invalid_request, never a 5xx.
import type { SecurityKey } from './repository.js';

type JsonSchema = Record<string, unknown>;

const base64url = (maxLength: number): JsonSchema => ({ type: 'string', maxLength, description: 'base64url' });

const credentialEnvelope = {
  id: base64url(1024),
  rawId: base64url(1024),
  type: { type: 'string', maxLength: 32 },
  authenticatorAttachment: { type: ['string', 'null'], maxLength: 32 },
  clientExtensionResults: { type: 'object' },
};

export const registrationCredentialSchema: JsonSchema = {
  type: 'object',
  description: 'RegistrationResponseJSON (WebAuthn L3 §5.1), e.g. PublicKeyCredential.toJSON() after create()',
  required: ['id', 'rawId', 'type', 'response'],
  properties: {
    ...credentialEnvelope,
    response: {
      type: 'object',
      required: ['clientDataJSON', 'attestationObject'],
      properties: {
        clientDataJSON: base64url(8192),
        attestationObject: base64url(32768),
        authenticatorData: base64url(16384),
        transports: { type: 'array', maxItems: 16, items: { type: 'string', maxLength: 32 } },
        publicKeyAlgorithm: { type: 'integer' },
        publicKey: base64url(8192),
      },
    },
  },
};

export const authenticationCredentialSchema: JsonSchema = {
  type: 'object',
  description: 'AuthenticationResponseJSON (WebAuthn L3 §5.1), e.g. PublicKeyCredential.toJSON() after get()',
  required: ['id', 'rawId', 'type', 'response'],
  properties: {
    ...credentialEnvelope,
    response: {
      type: 'object',
      required: ['clientDataJSON', 'authenticatorData', 'signature'],
      properties: {
        clientDataJSON: base64url(8192),
        authenticatorData: base64url(16384),
        signature: base64url(8192),
        userHandle: { type: ['string', 'null'], maxLength: 256 },
      },
    },
  },
};

const descriptorList: JsonSchema = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      type: { type: 'string' },
      transports: { type: 'array', items: { type: 'string' } },
    },
  },
};

const passthrough = { type: 'object', additionalProperties: true };

export const creationOptionsSchema: JsonSchema = {
  type: 'object',
  required: ['options'],
  properties: {
    options: {
      type: 'object',
      description: 'PublicKeyCredentialCreationOptionsJSON: pass to PublicKeyCredential.parseCreationOptionsFromJSON()',
      additionalProperties: true,
      properties: {
        challenge: { type: 'string' },
        rp: passthrough,
        user: passthrough,
        pubKeyCredParams: { type: 'array', items: passthrough },
        timeout: { type: 'integer' },
        attestation: { type: 'string' },
        excludeCredentials: descriptorList,
        authenticatorSelection: passthrough,
        hints: { type: 'array', items: { type: 'string' } },
        extensions: passthrough,
      },
    },
  },
};

export const requestOptionsSchema: JsonSchema = {
  type: 'object',
  required: ['options'],
  properties: {
    options: {
      type: 'object',
      description: 'PublicKeyCredentialRequestOptionsJSON: pass to PublicKeyCredential.parseRequestOptionsFromJSON()',
      additionalProperties: true,
      properties: {
        challenge: { type: 'string' },
        rpId: { type: 'string' },
        timeout: { type: 'integer' },
        userVerification: { type: 'string' },
        allowCredentials: descriptorList,
        extensions: passthrough,
      },
    },
  },
};

export const keyNameField: JsonSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 256,
  description: '1 to 64 characters after trimming',
};

export const keySchema: JsonSchema = {
  type: 'object',
  required: ['id', 'name', 'type', 'createdAt', 'lastUsedAt', 'passkey'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    type: { type: 'string', enum: ['usb', 'platform', 'other'] },
    createdAt: { type: 'string', format: 'date-time' },
    lastUsedAt: { type: ['string', 'null'], format: 'date-time' },
    passkey: {
      type: 'boolean',
      description: 'registered with user verification as a discoverable credential: it can sign in on its own',
    },
  },
};

export interface KeyJson {
  id: string;
  name: string;
  type: SecurityKey['type'];
  createdAt: string;
  lastUsedAt: string | null;
  passkey: boolean;
}

export function keyJson(key: SecurityKey): KeyJson {
  return {
    id: String(key.id),
    name: key.name,
    type: key.type,
    createdAt: new Date(key.createdAt).toISOString(),
    lastUsedAt: key.lastUsedAt === null ? null : new Date(key.lastUsedAt).toISOString(),
    passkey: key.passkeyCapable,
  };
}
