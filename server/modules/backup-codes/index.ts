// What other modules may use of backup codes; the rest is the module's own (eslint.config.js).
export type { BackupCodeService } from './service.js';
