import { randomBytes } from 'node:crypto';
import type { MasterKeys } from '../../domains/platform/index.js';
import type { Config } from '../config/config.js';
import { keyFileBeside, readOrCreateKeyFile } from '../system/keyFile.js';
import { localMasterKeys, parseMasterKey } from './localMasterKeys.js';

/**
 * The master keys a process encrypts secrets with. `AWP_SECRETS_KEY` (and the rotated-out
 * `AWP_SECRETS_PREVIOUS_KEYS`) when set. Without it the embedded profile keeps a generated key
 * in a file beside its data (mode 0600), so a first start just works; the distributed profile
 * refuses to start, since replicas must share one key and a file would not be shared.
 */
export async function openMasterKeys(config: Config): Promise<MasterKeys> {
  const previous = config.secretsPreviousKeys.map((key, index) =>
    parseMasterKey(key, `AWP_SECRETS_PREVIOUS_KEYS[${index}]`),
  );
  if (config.secretsKey !== undefined) {
    return localMasterKeys(parseMasterKey(config.secretsKey, 'AWP_SECRETS_KEY'), previous);
  }
  if (config.databaseUrl !== undefined) {
    throw new Error(
      'AWP_SECRETS_KEY is required with AWP_DATABASE_URL: every replica must encrypt tenant ' +
        'secrets with the same key (e.g. `openssl rand -base64 32`)',
    );
  }
  if (config.dataDir.startsWith('memory://')) return localMasterKeys(randomBytes(32), previous);
  return localMasterKeys(await keyFileContent(embeddedKeyFile(config.dataDir)), previous);
}

export function embeddedKeyFile(dataDir: string): string {
  return keyFileBeside(dataDir, 'secrets.key');
}

function keyFileContent(path: string): Promise<Buffer> {
  return readOrCreateKeyFile<Buffer>(path, {
    create: async () => randomBytes(32),
    format: (key) => `${key.toString('base64')}\n`,
    parse: (text) => parseMasterKey(text, path),
  });
}
