// Response bodies of the Latchkey HTTP API (shared/API.md is the contract). Responses may gain
// fields; the User Center reads only what it names here.

export interface TwoFactorStatus {
  enabled: boolean;
  totp: boolean;
  securityKeys: number;
  backupCodesRemaining: number;
}

export interface Me {
  username: string;
  twoFactor: TwoFactorStatus;
}

export interface Health {
  status: 'ok';
  version: string;
  /** Added by the User Center issue; an older server leaves it out (then: assume closed). */
  registrationOpen?: boolean;
}

export type SecondFactorMethod = 'totp' | 'backup_code' | 'security_key';

export interface SignedIn {
  status: 'signed_in';
  username: string;
  /** Only after signing in with a backup code. */
  backupCodesRemaining?: number;
}

export interface SecondFactorRequired {
  status: 'second_factor_required';
  ticket: string;
  methods: SecondFactorMethod[];
  expiresAt: string;
}

export type SignInResult = SignedIn | SecondFactorRequired;

export interface TotpSetup {
  secret: string;
  otpauthUri: string;
  qrCodeSvg: string;
  expiresAt: string;
}

export interface SecurityEvent {
  type: string;
  at: string;
  ip: string | null;
  userAgent: string | null;
}

/** What kind of authenticator a key is, as the server recorded it at registration. */
export type SecurityKeyType = 'usb' | 'platform' | 'other';

export interface SecurityKey {
  id: string;
  name: string;
  type: SecurityKeyType;
  createdAt: string;
  lastUsedAt: string | null;
  /** Registered with user verification as a discoverable credential: it can sign in on its own. */
  passkey?: boolean;
}

export interface AddedSecurityKey {
  key: SecurityKey;
  /** Ten codes when this key turned two-factor on; null when it was already on. */
  backupCodes: string[] | null;
}
