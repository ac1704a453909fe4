// docs/api.md "Backup codes": ten codes, each two groups of five lowercase letters and digits joined
// by a dash. The alphabet has 32 symbols (no l, o, 0 or 1, which people misread), so each of the
// ten symbols carries 5 bits: 50 bits a code, drawn without modulo bias (256 = 8 × 32).
import { BACKUP_CODE_COUNT } from '../../../contract/values.js';
import type { Random } from '../../platform/random.js';

export const BACKUP_CODE_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
export { BACKUP_CODE_COUNT };
const SYMBOLS = 10;

export function newBackupCode(random: Random): string {
  const bytes = random.bytes(SYMBOLS);
  const symbols = [...bytes].map((byte) => BACKUP_CODE_ALPHABET[byte & 31]).join('');
  return `${symbols.slice(0, 5)}-${symbols.slice(5)}`;
}

/**
 * The canonical form that is hashed: spaces and dashes removed, lower case (docs/api.md "POST
 * /api/v1/session/backup-code": "accepted with surrounding or inner spaces and dashes; backup codes
 * in any letter case"). Null when the input cannot be a backup code at all.
 */
export function normalizeBackupCode(input: string): string | null {
  const compact = input.replace(/[\s-]/g, '').toLowerCase();
  return /^[a-z0-9]{10}$/.test(compact) ? compact : null;
}
