// Passkey sign-in: no username, no password. A discoverable credential answers a challenge with
// user verification (fingerprint, face or PIN on the authenticator), which is possession and
// inherence at once — both factors (WebAuthn §6.2.3).
//
// Same order as every sign-in: parse → limit → verify → replay check → rotate session → event.
import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { TransactionRunner } from '../../db/transaction-runner.js';
import type { ClientInfo } from '../../http/client-info.js';
import type { Clock } from '../../platform/clock.js';
import type { Account } from '../accounts/repository.js';
import type { AccountService } from '../accounts/service.js';
import type { AttemptLimiter } from '../attempt-limits/service.js';
import type { SecurityEventLog } from '../security-events/service.js';
import type { SessionManager } from '../sessions/service.js';
import type { SignedIn } from '../sign-in/service.js';
import { CHALLENGE_LIFETIME_MS, type ChallengeStore } from '../security-keys/challenges.js';
import { credentialRefused, type CredentialRefusal } from '../security-keys/refusals.js';
import type { SecurityKeyRepository } from '../security-keys/repository.js';
import {
  answeredChallenge,
  authenticationOptions,
  verifyAssertion,
  type RelyingParty,
} from '../security-keys/webauthn.js';

/**
 * Failures with a credential no account owns are counted under this key: the per-address limit
 * still applies, and no username can collide with it (usernames have no spaces or colons).
 */
export const UNKNOWN_PASSKEY_LIMIT_KEY = 'passkey: unknown credential';

type Outcome =
  { signedIn: true; account: Account; sessionToken: string } | { signedIn: false; reason: CredentialRefusal };

export class PasskeyService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly keys: SecurityKeyRepository,
    private readonly challenges: ChallengeStore,
    private readonly accounts: AccountService,
    private readonly limiter: AttemptLimiter,
    private readonly sessions: SessionManager,
    private readonly events: SecurityEventLog,
    private readonly relyingParty: () => RelyingParty,
    private readonly clock: Clock,
  ) {}

  /** Options without allowCredentials: the authenticator offers its own discoverable credentials. */
  async options(): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const issued = this.challenges.issuePasskey();
    return authenticationOptions({
      rp: this.relyingParty(),
      challenge: issued.bytes,
      timeoutMs: CHALLENGE_LIFETIME_MS,
      allow: [],
      userVerification: 'required',
    });
  }

  async signIn(response: AuthenticationResponseJSON, client: ClientInfo): Promise<SignedIn> {
    // parse: which account the credential claims to be (decided for real by the signature below)
    const claimed = await this.keys.findByCredentialId(response.id);
    const account = claimed ? await this.accounts.findById(claimed.userId) : null;
    const limitKey = account?.usernameKey ?? UNKNOWN_PASSKEY_LIMIT_KEY;
    // limit: one judgement reserved for the account and the address before the verification
    const outcome = await this.limiter.judge(limitKey, client, (reservation) =>
      this.db.transaction(async (): Promise<Outcome> => {
        // verify + replay check
        const reason = await this.check(response, account);
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
        const sessionToken = await this.sessions.create(signedInAccount.id);
        await this.events.record(signedInAccount.id, 'signed_in', client);
        return { signedIn: true, account: signedInAccount, sessionToken };
      }),
    );
    if (!outcome.signedIn) throw credentialRefused(outcome.reason, 401);
    return { account: outcome.account, sessionToken: outcome.sessionToken };
  }

  /** Null when the passkey proved both factors; else why not. */
  private async check(
    response: AuthenticationResponseJSON,
    account: Account | null,
  ): Promise<CredentialRefusal | null> {
    const challenge = answeredChallenge(response);
    if (challenge === null) return 'malformed';
    const taken = await this.challenges.checkPasskey(challenge);
    if (!taken.ok) return taken.reason;
    // Read again inside the transaction: the counter compared below is the current one.
    const key = await this.keys.findByCredentialId(response.id);
    if (!key || !account || key.userId !== account.id) return 'unknown_passkey';
    // Only a key registered as a passkey (user verification, discoverable) signs in on its own:
    // the key list's `passkey` says which, and must stay true (SECURITY.md).
    if (!key.passkeyCapable) return 'not_a_passkey';
    const userHandle = await this.keys.findUserHandle(account.id);
    if (!userHandle) return 'unknown_passkey';
    const verified = await verifyAssertion({
      rp: this.relyingParty(),
      response,
      expectedChallenge: taken.challenge,
      stored: key,
      requireUserVerification: true,
      userHandle: { value: userHandle, required: true },
    });
    if (!verified.ok) return verified.reason;
    // replay check: the challenge is spent only by an answer that verified, so a failed answer
    // leaves no row behind (SECURITY.md); of racing answers one spends it.
    if (!(await this.challenges.spendPasskey(challenge))) return 'challenge_used';
    const recorded = await this.keys.recordUse(key.id, {
      newCounter: verified.newCounter,
      backupState: verified.backupState,
      usedAt: this.clock.now(),
    });
    return recorded ? null : 'counter_regression';
  }
}
