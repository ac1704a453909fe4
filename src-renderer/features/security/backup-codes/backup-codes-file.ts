import { localIsoDate } from '../../../lib/time.js';

export const BACKUP_CODES_FILE_NAME = 'latchkey-backup-codes.txt';

/** The text of the Download file: the account, the date, the codes, and how to use them. */
export function backupCodesFileText({
  username,
  codes,
  createdAt,
  origin,
}: {
  username: string;
  codes: readonly string[];
  createdAt: Date;
  origin: string;
}): string {
  return [
    'Latchkey backup codes',
    '',
    `Account: ${username}`,
    `Server: ${origin}`,
    `Created: ${localIsoDate(createdAt)}`,
    '',
    ...codes.map((code, index) => `${String(index + 1).padStart(2, ' ')}. ${code}`),
    '',
    'Each code works once: when Latchkey asks for a verification code and you cannot use your authenticator app or security key, enter one of these instead.',
    '',
  ].join('\n');
}
