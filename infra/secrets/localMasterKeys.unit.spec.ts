import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  openSecret,
  rewrapSecret,
  sealSecret,
  sealingContext,
} from '../../domains/platform/secrets/secretSealing.js';
import { keyIdOf, localMasterKeys, parseMasterKey } from './localMasterKeys.js';

const oldKey = randomBytes(32);
const newKey = randomBytes(32);
const context = sealingContext('acme', 'stripe');
const value = { apiKey: 'sk_live_0123456789', region: 'eu' };

describe('sealing a secret (AES-256-GCM, data key wrapped by the master key)', () => {
  it('opens to the value it sealed, and the stored bytes do not hold it', async () => {
    const keys = localMasterKeys(oldKey);
    const sealed = await sealSecret(value, keys, context);
    expect(sealed.keyId).toBe(keyIdOf(oldKey));
    const stored = Buffer.concat([sealed.wrappedKey, sealed.nonce, sealed.ciphertext]);
    expect(stored.includes(Buffer.from('sk_live_0123456789'))).toBe(false);
    expect(await openSecret(sealed, keys, context)).toEqual(value);
  });

  it('gives a different ciphertext each time for the same value', async () => {
    const keys = localMasterKeys(oldKey);
    const [a, b] = await Promise.all([
      sealSecret(value, keys, context),
      sealSecret(value, keys, context),
    ]);
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
    expect(a.nonce.equals(b.nonce)).toBe(false);
  });

  it('refuses a value moved to another account or name', async () => {
    const keys = localMasterKeys(oldKey);
    const sealed = await sealSecret(value, keys, context);
    await expect(openSecret(sealed, keys, sealingContext('globex', 'stripe'))).rejects.toThrow();
    await expect(openSecret(sealed, keys, sealingContext('acme', 'paypal'))).rejects.toThrow();
  });

  it('refuses a ciphertext, nonce or wrapped key with one bit flipped', async () => {
    const keys = localMasterKeys(oldKey);
    const sealed = await sealSecret(value, keys, context);
    for (const field of ['ciphertext', 'nonce', 'wrappedKey'] as const) {
      const altered = Buffer.from(sealed[field]);
      altered[altered.length - 1] = (altered.at(-1) ?? 0) ^ 1;
      await expect(openSecret({ ...sealed, [field]: altered }, keys, context)).rejects.toThrow();
    }
  });

  it('re-wraps under a new master key without changing the ciphertext', async () => {
    const sealed = await sealSecret(value, localMasterKeys(oldKey), context);
    const rotated = localMasterKeys(newKey, [oldKey]);
    const rewrapped = await rewrapSecret(sealed, rotated, context);
    expect(rewrapped.keyId).toBe(keyIdOf(newKey));
    expect(rewrapped.ciphertext.equals(sealed.ciphertext)).toBe(true);
    // Once the old key is retired, only the re-wrapped copy still opens.
    const retired = localMasterKeys(newKey);
    expect(await openSecret(rewrapped, retired, context)).toEqual(value);
    await expect(openSecret(sealed, retired, context)).rejects.toThrow(
      `master key '${keyIdOf(oldKey)}' is not configured`,
    );
  });
});

describe('reading a master key from the configuration', () => {
  it('takes 32 bytes as base64, base64url or hex', () => {
    const key = randomBytes(32);
    expect(parseMasterKey(key.toString('base64'), 'K').equals(key)).toBe(true);
    expect(parseMasterKey(` ${key.toString('base64url')}\n`, 'K').equals(key)).toBe(true);
    expect(parseMasterKey(key.toString('hex'), 'K').equals(key)).toBe(true);
  });

  it('refuses anything else without echoing it', () => {
    for (const bad of ['short', randomBytes(16).toString('base64'), 'not base64 at all!!']) {
      let message = '';
      try {
        parseMasterKey(bad, 'AWP_SECRETS_KEY');
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toContain('AWP_SECRETS_KEY must be 32 random bytes');
      expect(message).not.toContain(bad);
    }
  });

  it('names a key by a fingerprint that does not reveal it', () => {
    const key = randomBytes(32);
    expect(keyIdOf(key)).toMatch(/^local:[0-9a-f]{16}$/);
    expect(keyIdOf(key)).not.toContain(key.toString('hex').slice(0, 8));
  });
});
