// Two-factor state straight from the composition root (server/services.ts): every dependency is a
// constructor argument, so the services createServices() returns read the account's factors from
// the start, with nothing set up afterwards. On each backend, with real storage.
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { parseCommandLine } from '../../../../server/config.js';
import { KeyRing } from '../../../../server/crypto/key-ring.js';
import { buildOriginPolicy } from '../../../../server/http/origins.js';
import type { PasswordHasher } from '../../../../server/modules/accounts/password-hasher.js';
import { systemRandom } from '../../../../server/platform/random.js';
import { createServices, type AppServices } from '../../../../server/services.js';
import {
  addAccountRow,
  addSecurityKeyRow,
  describeEachBackend,
  openTestStorage,
  type TestStorage,
} from '../../../support/backends.js';
import { FakeClock } from '../../../support/fake-clock.js';

/** Two-factor reads no password: a hasher that is called fails the test. */
const noHashing: PasswordHasher = {
  hash: () => Promise.reject(new Error('no password is hashed here')),
  verify: () => Promise.reject(new Error('no password is checked here')),
  verifyDummy: () => Promise.reject(new Error('no password is checked here')),
};

describeEachBackend('two-factor state from construction', (backend) => {
  let opened: TestStorage;
  let services: AppServices;
  let userId: number;

  beforeEach(async () => {
    opened = await openTestStorage(backend);
    const parsed = parseCommandLine(['--data-dir', '/nonexistent'], {});
    if (parsed.kind !== 'run') throw new Error('unexpected command');
    const origin = buildOriginPolicy('http://localhost:7000', 7000, true);
    services = createServices({
      config: parsed.config,
      storage: opened.storage,
      keys: KeyRing.fromSecrets(randomBytes(32)),
      hasher: noHashing,
      clock: new FakeClock(),
      random: systemRandom,
      originPolicy: () => origin,
    });
    userId = await addAccountRow(opened.storage.repositories, 'alice');
  });

  afterEach(() => opened.close());

  it('reads an account with nothing but a security key as two-factor on', async () => {
    expect(await services.twoFactor.status(userId)).toEqual({
      enabled: false,
      totp: false,
      securityKeys: 0,
      backupCodesRemaining: 0,
    });
    await addSecurityKeyRow(opened.storage.repositories, userId, 'Office USB key');
    expect(await services.twoFactor.status(userId)).toEqual({
      enabled: true,
      totp: false,
      securityKeys: 1,
      backupCodesRemaining: 0,
    });
    expect(await services.twoFactor.methods(userId)).toEqual(['security_key']);
  });

  it('reads TOTP as on once enabled, not while its set-up is pending', async () => {
    const { totp } = opened.storage.repositories;
    await totp.savePending(userId, { sealed: Buffer.from('sealed secret'), keyId: 'k' }, 60_000);
    expect((await services.twoFactor.status(userId)).enabled).toBe(false);
    expect(await totp.enable(userId, 1_000, 1)).toBe(true);
    expect(await services.twoFactor.status(userId)).toMatchObject({ enabled: true, totp: true, securityKeys: 0 });
    expect(await services.twoFactor.methods(userId)).toEqual(['totp']);
  });
});
