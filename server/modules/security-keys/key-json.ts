// A security key as the API shows it (contract/api/security-keys.ts).
import type { SecurityKey as KeyJson } from '../../../contract/api/security-keys.js';
import type { SecurityKey } from './repository.js';

export type { KeyJson };

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
