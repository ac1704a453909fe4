export const SECURITY_EVENT_TYPES = [
  'account_created',
  'signed_in',
  'sign_in_failed',
  'second_factor_failed',
  'locked_out',
  'totp_enabled',
  'totp_disabled',
  'backup_codes_generated',
  'backup_code_used',
  'security_key_added',
  'security_key_renamed',
  'security_key_removed',
  'signed_out',
  'password_confirmation_failed',
] as const;

export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];

export interface SecurityEvent {
  type: SecurityEventType;
  at: number;
  ip: string | null;
  userAgent: string | null;
}

export interface SecurityEventRepository {
  add(userId: number, event: SecurityEvent): Promise<void>;
  /** Newest first. */
  listRecent(userId: number, limit: number): Promise<SecurityEvent[]>;
}
