// The API's bodies as the User Center reads them: the types the contract's schemas describe
// (contract/api/, docs/api.md), imported as types only, so no schema reaches the page bundle.
// Answers may gain fields; the User Center reads only what these name.
export type {
  AccountCreated,
  ChangePasswordBody,
  CreateAccountBody,
  Me,
  PasswordChanged,
} from '../../contract/api/accounts.js';
export type { BackupCodes, RegenerateBackupCodesBody } from '../../contract/api/backup-codes.js';
export type { Health } from '../../contract/api/health.js';
export type { SignedIn, TwoFactorStatus } from '../../contract/api/schema.js';
export type { SecurityEvent, SecurityEvents } from '../../contract/api/security-events.js';
export type {
  AddedSecurityKey,
  RemoveSecurityKeyBody,
  RenamedSecurityKey,
  RenameSecurityKeyBody,
  SecurityKey,
  SecurityKeyOptionsBody,
  SecurityKeySignInOptionsBody,
  SecurityKeys,
  SecurityKeysSignedOut,
  TestedSecurityKey,
  TestSecurityKeyBody,
} from '../../contract/api/security-keys.js';
export type { OtherSessionsEnded, Session, Sessions } from '../../contract/api/sessions.js';
export type {
  CodeBody,
  SecondFactorRequired,
  SignedInWithBackupCode,
  SignInBody,
  SignInResult,
} from '../../contract/api/sign-in.js';
export type {
  DisableTotpBody,
  EnableTotpBody,
  PasswordBody,
  TotpDisabled,
  TotpEnabled,
  TotpSetup,
} from '../../contract/api/totp.js';
export type { ErrorBody, ErrorCode } from '../../contract/errors.js';
export type { SecondFactorMethod, SecurityEventType, SecurityKeyType, SignInMethod } from '../../contract/values.js';
