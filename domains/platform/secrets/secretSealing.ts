import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { MasterKeys } from './ports/masterKeys.js';

/** A secret value as stored: AES-256-GCM under a data key that the master key wraps. */
export interface SealedSecret {
  keyId: string;
  wrappedKey: Buffer;
  nonce: Buffer;
  /** Ciphertext followed by the 16-byte authentication tag. */
  ciphertext: Buffer;
}

const algorithm = 'aes-256-gcm';
const tagBytes = 16;

/**
 * What the ciphertext is bound to (GCM additional data): a row copied to another tenant or
 * renamed no longer decrypts. The version is left out on purpose, so re-wrapping the data key
 * under a new master key keeps the value's ciphertext as it is.
 */
export function sealingContext(accountId: string, name: string): string {
  return `awp-secret\u0000${accountId}\u0000${name}`;
}

export async function sealSecret(
  value: unknown,
  keys: MasterKeys,
  context: string,
): Promise<SealedSecret> {
  const dataKey = randomBytes(32);
  // A fresh key per value makes a random 96-bit nonce safe: it is never reused under a key.
  const nonce = randomBytes(12);
  const cipher = createCipheriv(algorithm, dataKey, nonce, { authTagLength: tagBytes });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  const { keyId, wrapped } = await keys.wrap(dataKey, context);
  dataKey.fill(0);
  return {
    keyId,
    wrappedKey: wrapped,
    nonce,
    ciphertext: Buffer.concat([body, cipher.getAuthTag()]),
  };
}

/** The value back; throws when any byte of the row or its context differs from the sealed one. */
export async function openSecret(
  sealed: SealedSecret,
  keys: MasterKeys,
  context: string,
): Promise<unknown> {
  const dataKey = await keys.unwrap(sealed.keyId, sealed.wrappedKey, context);
  try {
    const decipher = createDecipheriv(algorithm, dataKey, sealed.nonce, {
      authTagLength: tagBytes,
    });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(sealed.ciphertext.subarray(-tagBytes));
    const plain = Buffer.concat([
      decipher.update(sealed.ciphertext.subarray(0, -tagBytes)),
      decipher.final(),
    ]);
    return JSON.parse(plain.toString('utf8'));
  } finally {
    dataKey.fill(0);
  }
}

/** The same value with its data key wrapped under the current master key. */
export async function rewrapSecret(
  sealed: SealedSecret,
  keys: MasterKeys,
  context: string,
): Promise<SealedSecret> {
  const dataKey = await keys.unwrap(sealed.keyId, sealed.wrappedKey, context);
  try {
    const { keyId, wrapped } = await keys.wrap(dataKey, context);
    return { ...sealed, keyId, wrappedKey: wrapped };
  } finally {
    dataKey.fill(0);
  }
}
