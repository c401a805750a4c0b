import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * An API key as its holder sees it: `awp_<id>_<secret>`. The id (public, 24 hex) finds the row;
 * the secret (32 random bytes, base64url) is stored only as its SHA-256. A slow password hash
 * would add nothing: 256 random bits cannot be guessed, and every request checks the key.
 */
export interface IssuedKey {
  keyId: string;
  /** The whole key, shown once. */
  key: string;
  secretHash: Buffer;
}

const keyPattern = /^awp_([0-9a-f]{24})_([A-Za-z0-9_-]{43})$/;

export function issueKey(): IssuedKey {
  const keyId = randomBytes(12).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { keyId, key: `awp_${keyId}_${secret}`, secretHash: hashSecret(secret) };
}

/** The id and secret of a well-formed key; undefined for anything else. */
export function splitKey(key: string): { keyId: string; secret: string } | undefined {
  const match = keyPattern.exec(key);
  return match ? { keyId: match[1]!, secret: match[2]! } : undefined;
}

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** Constant time: how much of a hash matched must not show in the response time. */
export function secretMatches(secret: string, storedHash: Buffer): boolean {
  const presented = hashSecret(secret);
  return presented.length === storedHash.length && timingSafeEqual(presented, storedHash);
}
