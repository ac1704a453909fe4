// The WebAuthn bodies and answers. The credential objects are checked loosely (the fields the
// library reads, and their types): their contents are the server's WebAuthn library's to verify,
// and browsers may add fields the spec defines later. A wrong shape is 400 invalid_request, never
// a 5xx.

const base64url = <const N extends number>(maxLength: N) =>
  ({ type: 'string', maxLength, description: 'base64url' }) as const;

const credentialEnvelope = {
  id: base64url(1024),
  rawId: base64url(1024),
  type: { type: 'string', maxLength: 32 },
  authenticatorAttachment: { type: ['string', 'null'], maxLength: 32 },
  clientExtensionResults: { type: 'object' },
} as const;

export const registrationCredential = {
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
} as const;

export const authenticationCredential = {
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
} as const;

const descriptorList = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      type: { type: 'string' },
      transports: { type: 'array', items: { type: 'string' } },
    },
  },
} as const;

const passthrough = { type: 'object', additionalProperties: true } as const;

export const creationOptions = {
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
} as const;

export const requestOptions = {
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
} as const;
