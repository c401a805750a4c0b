import { AwpError } from '../errors.js';
import type { ErrorCode } from '../errors.js';

/**
 * An error of the Confluent Schema Registry protocol. Clients read `error_code`, so the registry
 * answers with these codes and Confluent's messages rather than problem+json; the AWP `code` is
 * kept so the error still maps sensibly if it ever escapes the registry's router.
 */
export class SchemaRegistryError extends AwpError {
  override name = 'SchemaRegistryError';
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(awpCodeFor(statusOf(errorCode)), message);
  }

  /** Confluent's five-digit codes start with the HTTP status (40401 → 404); 409 stands alone. */
  get httpStatus(): number {
    return statusOf(this.errorCode);
  }
}

function statusOf(errorCode: number): number {
  return errorCode >= 10_000 ? Math.floor(errorCode / 100) : errorCode;
}

function awpCodeFor(status: number): ErrorCode {
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 422) return 'validation';
  return 'internal';
}

export const subjectNotFound = (subject: string) =>
  new SchemaRegistryError(40401, `Subject '${subject}' not found.`);

export const versionNotFound = (version: number) =>
  new SchemaRegistryError(40402, `Version ${version} not found.`);

export const schemaNotFound = (id?: string | number) =>
  new SchemaRegistryError(40403, id === undefined ? 'Schema not found' : `Schema ${id} not found`);

export const subjectCompatibilityNotConfigured = (subject: string) =>
  new SchemaRegistryError(
    40408,
    `Subject '${subject}' does not have subject-level compatibility configured`,
  );

export const incompatibleSchema = (message: string) => new SchemaRegistryError(409, message);

export const invalidSchema = (message: string) => new SchemaRegistryError(42201, message);

export const invalidVersion = (version: string) =>
  new SchemaRegistryError(
    42202,
    `The specified version '${version}' is not a valid version id. ` +
      'Allowed values are between [1, 2^31-1] and the string "latest"',
  );

export const invalidCompatibilityLevel = () =>
  new SchemaRegistryError(
    42203,
    'Invalid compatibility level. Valid values are none, backward, forward, full, ' +
      'backward_transitive, forward_transitive, and full_transitive',
  );
