// What other modules may use of two-factor; the rest is the module's own (eslint.config.js).
export type { SecondFactorMethod, SignOutOthers, TwoFactorService, TwoFactorStatus } from './service.js';
