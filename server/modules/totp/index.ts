// What other modules may use of TOTP; the rest is the module's own (eslint.config.js).
export type { TotpRepository } from './repository.js';
export type { TotpService } from './service.js';
