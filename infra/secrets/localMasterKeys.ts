import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { MasterKeys } from '../../domains/platform/index.js';

const algorithm = 'aes-256-gcm';

/**
 * Master keys held by this process (from `AWP_SECRETS_KEY`): AES-256-GCM key wrapping with
 * the context as additional data. The first key wraps; all of them unwrap, so a rotated-out key
 * stays usable until `awp admin secrets rewrap` has moved every data key off it.
 */
export function localMasterKeys(current: Buffer, previous: readonly Buffer[] = []): MasterKeys {
  const byId = new Map<string, Buffer>();
  for (const key of [current, ...previous]) {
    if (key.length !== 32) throw new Error('a master key is 32 bytes');
    byId.set(keyIdOf(key), key);
  }
  const currentKeyId = keyIdOf(current);
  return {
    currentKeyId,
    async wrap(dataKey, context) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv(algorithm, current, nonce);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
      return { keyId: currentKeyId, wrapped: Buffer.concat([nonce, body, cipher.getAuthTag()]) };
    },
    async unwrap(keyId, wrapped, context) {
      const key = byId.get(keyId);
      if (!key) {
        throw new Error(
          `master key '${keyId}' is not configured (AWP_SECRETS_KEY, AWP_SECRETS_PREVIOUS_KEYS)`,
        );
      }
      const decipher = createDecipheriv(algorithm, key, wrapped.subarray(0, 12));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(wrapped.subarray(-16));
      return Buffer.concat([decipher.update(wrapped.subarray(12, -16)), decipher.final()]);
    },
  };
}

/**
 * A name for a key that gives nothing away: 64 bits of its SHA-256. Stored with each secret so
 * an operator can tell which key a value needs.
 */
export function keyIdOf(key: Buffer): string {
  return `local:${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

/**
 * A key as an operator writes it: 32 bytes in base64 (`openssl rand -base64 32`), base64url or
 * hex. The value is never echoed in the error.
 */
export function parseMasterKey(text: string, variable: string): Buffer {
  const trimmed = text.trim();
  const bytes = /^[0-9a-f]{64}$/i.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, /[-_]/.test(trimmed) ? 'base64url' : 'base64');
  if (bytes.length !== 32 || !/^[A-Za-z0-9+/=_-]+$/.test(trimmed)) {
    throw new Error(
      `${variable} must be 32 random bytes in base64 or hex (e.g. \`openssl rand -base64 32\`)`,
    );
  }
  return bytes;
}
