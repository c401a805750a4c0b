import type { SecretStore } from '../ports/secretStore.js';

/** Secrets given up front (a `--secrets-file`, a test): the same for every account. */
export function staticSecretStore(secrets: Readonly<Record<string, unknown>>): SecretStore {
  return {
    read(_accountId, names) {
      const found: Record<string, unknown> = {};
      for (const name of names) if (name in secrets) found[name] = secrets[name];
      return Promise.resolve(found);
    },
  };
}
