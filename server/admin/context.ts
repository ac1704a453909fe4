// What an admin command works with: the server's own services on the configured database, with
// its keys. Nothing is created (no key file, no schema change), and the database must be exactly
// this version's.
import { join } from 'node:path';
import type { ServerConfig } from '../config.js';
import { KeyRing } from '../crypto/key-ring.js';
import { loadSecretKey } from '../crypto/secret-key.js';
import { buildOriginPolicy } from '../http/origins.js';
import { createArgon2idHasher } from '../modules/accounts/password-hasher.js';
import { systemClock } from '../platform/clock.js';
import { systemRandom } from '../platform/random.js';
import { createServices, type AppServices } from '../services.js';
import { openStorage, type Storage } from '../storage.js';

export interface AdminContext {
  config: ServerConfig;
  storage: Storage;
  services: AppServices;
  close(): Promise<void>;
}

export async function openAdminContext(config: ServerConfig): Promise<AdminContext> {
  const load = (file: string) => loadSecretKey(file, undefined, { create: false });
  const current = load(config.secretKeyFile ?? join(config.dataDir, 'secret.key'));
  const previous = config.previousSecretKeyFiles.map(load);
  const keys = KeyRing.fromSecrets(current, previous);
  for (const key of [current, ...previous]) key.fill(0);
  const storage = await openStorage(config.database, () => undefined, { migrate: false });
  const origin = config.publicOrigin ?? `http://localhost:${config.port}`;
  const policy = buildOriginPolicy(origin, config.port, false);
  const services = createServices({
    config,
    storage,
    keys,
    hasher: await createArgon2idHasher(),
    clock: systemClock,
    random: systemRandom,
    originPolicy: () => policy,
  });
  return {
    config,
    storage,
    services,
    async close() {
      keys.wipe();
      await storage.close();
    },
  };
}
