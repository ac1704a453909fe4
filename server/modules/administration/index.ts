// What other modules may use of administration; the rest is the module's own (eslint.config.js).
export type { AccountOverview, AccountDetails, AdministrationService } from './service.js';
