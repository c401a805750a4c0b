/**
 * The key-encryption keys (a KMS, or the operator's `AWP_SECRETS_KEY`). Each secret value is
 * encrypted under its own data key; only that 32-byte data key goes through here, so a hosted
 * KMS sees no secret and rotation re-wraps data keys without touching values.
 */
export interface MasterKeys {
  /** The key new data keys are wrapped under. */
  readonly currentKeyId: string;
  /** `context` is bound to the result: unwrapping with another context fails. */
  wrap(dataKey: Buffer, context: string): Promise<{ keyId: string; wrapped: Buffer }>;
  /** Throws when `keyId` is unknown (retired) or the wrapped key was altered. */
  unwrap(keyId: string, wrapped: Buffer, context: string): Promise<Buffer>;
}
