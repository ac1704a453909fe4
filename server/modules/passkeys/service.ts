// Passkey sign-in: no username, no password. A discoverable credential answers a challenge with
// user verification (fingerprint, face or PIN on the authenticator), which is possession and
// inherence at once — both factors (WebAuthn §6.2.3).
//
// Same order as every sign-in: parse → limit → verify → replay check → rotate session → event.
import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { TransactionRunner } from '../../db/transaction-runner.js';
import type { ClientInfo } from '../../http/client-info.js';
import type { AccountProfile, AccountService } from '../accounts/index.js';
import type { AttemptLimiter } from '../attempt-limits/index.js';
import type { SecurityEventLog } from '../security-events/index.js';
import { credentialRefused, type CredentialRefusal, type KeyAssertions } from '../security-keys/index.js';
import type { SessionManager } from '../sessions/index.js';
import type { SignedIn } from '../sign-in/index.js';

/**
 * Failures with a credential no account owns are counted under this key: the per-address limit
 * still applies, and no username can collide with it (usernames have no spaces or colons).
 */
export const UNKNOWN_PASSKEY_LIMIT_KEY = 'passkey: unknown credential';

type Outcome =
  { signedIn: true; account: AccountProfile; sessionToken: string } | { signedIn: false; reason: CredentialRefusal };

export class PasskeyService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly assertions: KeyAssertions,
    private readonly accounts: AccountService,
    private readonly limiter: AttemptLimiter,
    private readonly sessions: SessionManager,
    private readonly events: SecurityEventLog,
  ) {}

  /** Options without allowCredentials: the authenticator offers its own discoverable credentials. */
  options(): Promise<PublicKeyCredentialRequestOptionsJSON> {
    return this.assertions.passkeyOptions();
  }

  async signIn(response: AuthenticationResponseJSON, client: ClientInfo): Promise<SignedIn> {
    // parse: which account the credential claims to be (decided for real by the signature below)
    const claimedOwner = await this.assertions.claimedOwner(response);
    const account = claimedOwner === null ? null : await this.accounts.findProfile(claimedOwner);
    const limitKey = account?.usernameKey ?? UNKNOWN_PASSKEY_LIMIT_KEY;
    // limit: one judgement reserved for the account and the address before the verification
    const outcome = await this.limiter.judge(limitKey, client, (reservation) =>
      this.db.transaction(async (): Promise<Outcome> => {
        // verify + replay check
        const reason = await this.assertions.checkPasskey(response, account);
        if (reason) {
          const failure = await this.limiter.recordFailure(reservation, { hasAccount: account !== null });
          if (account) {
            await this.events.record(account.id, 'sign_in_failed', client);
            if (failure.lockedNow) await this.events.record(account.id, 'locked_out', client);
          }
          return { signedIn: false, reason };
        }
        const signedInAccount = account!;
        // rotate session → record event
        await this.limiter.recordSuccess(reservation);
        const sessionToken = await this.sessions.create(signedInAccount.id, client, 'passkey');
        await this.events.record(signedInAccount.id, 'signed_in', client);
        return { signedIn: true, account: signedInAccount, sessionToken };
      }),
    );
    if (!outcome.signedIn) throw credentialRefused(outcome.reason, 401);
    return { account: outcome.account, sessionToken: outcome.sessionToken };
  }
}
