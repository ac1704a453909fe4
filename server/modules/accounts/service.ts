import { ApiError, errors } from '../../http/api-error.js';
import type { ClientInfo } from '../../http/client-info.js';
import type { Clock } from '../../platform/clock.js';
import type { TransactionRunner } from '../../db/transaction-runner.js';
import type { AttemptLimiter } from '../attempt-limits/service.js';
import type { SecurityEventLog } from '../security-events/service.js';
import { checkPassword, PASSWORD_MAX_CHARACTERS, PASSWORD_MIN_CHARACTERS } from './password-policy.js';
import type { PasswordHasher } from './password-hasher.js';
import type { Account, AccountRepository } from './repository.js';
import { isValidUsername, usernameKey } from './username.js';

export class AccountService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly repository: AccountRepository,
    private readonly hasher: PasswordHasher,
    private readonly limiter: AttemptLimiter,
    private readonly events: SecurityEventLog,
    private readonly clock: Clock,
    private readonly registrationOpen: boolean,
  ) {}

  async register(username: string, password: string, client: ClientInfo): Promise<Account> {
    if (!this.registrationOpen) {
      throw new ApiError(
        403,
        'registration_closed',
        'This server does not take new accounts. Ask your administrator for one.',
      );
    }
    if (!isValidUsername(username)) {
      throw new ApiError(
        400,
        'invalid_username',
        'A username is 3 to 64 letters, digits or the characters . _ @ + - with no spaces.',
      );
    }
    const checked = checkPassword(password);
    if (!checked.ok) {
      throw checked.problem === 'too_short'
        ? new ApiError(400, 'weak_password', `Choose a password of at least ${PASSWORD_MIN_CHARACTERS} characters.`)
        : new ApiError(400, 'password_too_long', `A password can be at most ${PASSWORD_MAX_CHARACTERS} characters.`);
    }
    const key = usernameKey(username);
    if (await this.repository.findByKey(key)) throw usernameTaken();
    const passwordHash = await this.hasher.hash(checked.normalized);
    return this.db.transaction(async () => {
      const account = await this.repository.create({
        username: username.normalize('NFKC'),
        usernameKey: key,
        passwordHash,
        createdAt: this.clock.now(),
      });
      // The unique index decides between two registrations racing for one name.
      if (!account) throw usernameTaken();
      await this.events.record(account.id, 'account_created', client);
      return account;
    });
  }

  findById(id: number): Promise<Account | null> {
    return this.repository.findById(id);
  }

  findByUsername(username: string): Promise<Account | null> {
    return this.repository.findByKey(usernameKey(username));
  }

  /**
   * DESIGN.md: sensitive changes ask for the password again, in the same request.
   * parse → limit → verify → record; a wrong password counts as a failed attempt.
   */
  async reauthenticate(account: Account, password: string, client: ClientInfo): Promise<void> {
    const checked = checkPassword(password);
    const valid = await this.limiter.serialize(account.usernameKey, async () => {
      await this.limiter.assertAllowed(account.usernameKey, client);
      if (checked.ok && (await this.hasher.verify(account.passwordHash, checked.normalized))) return true;
      await this.db.transaction(async () => {
        const outcome = await this.limiter.recordFailure(account.usernameKey, client);
        if (outcome.lockedNow) await this.events.record(account.id, 'locked_out', client);
      });
      return false;
    });
    if (valid) return;
    throw errors.invalidPassword();
  }
}

function usernameTaken(): ApiError {
  return new ApiError(409, 'username_taken', 'That username is taken. Choose another one.');
}
