/**
 * The one error family of AWP. Codes travel over HTTP and Kafka alike, so they are not HTTP
 * statuses; the gateway maps them to problem details in exactly one table.
 */
export type ErrorCode =
  | 'validation'
  | 'not_found'
  | 'conflict'
  | 'forbidden'
  | 'unauthorized'
  | 'quota_exceeded'
  | 'illegal_state'
  | 'unavailable'
  | 'internal';

export interface AwpErrorDetails {
  retryable?: boolean;
  cause?: unknown;
  /** JSON path of the offending field, for validation errors (e.g. `tier`). */
  field?: string;
  /** Every invalid field, when a request had several. */
  violations?: readonly FieldViolation[];
}

export interface FieldViolation {
  field: string;
  message: string;
  /** Where in a submitted document (a workflow's YAML), 1-based, when the field is one. */
  line?: number;
  column?: number;
  /** A stable code for scripts, e.g. `schema-enum` or `then-target-missing`. */
  code?: string;
}

export class AwpError extends Error {
  override name = 'AwpError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: AwpErrorDetails = {},
  ) {
    super(message, { cause: details.cause });
  }

  get retryable(): boolean {
    return this.details.retryable ?? this.code === 'unavailable';
  }
}

/** Optimistic-concurrency failure of an append: someone else wrote the stream first. */
export class StreamVersionConflict extends AwpError {
  override name = 'StreamVersionConflict';
  constructor(
    readonly streamId: string,
    readonly expected: string,
    readonly actual: number,
  ) {
    super('conflict', `stream '${streamId}' is at version ${actual}, expected ${expected}`, {
      retryable: true,
    });
  }
}

export function isAwpError(error: unknown): error is AwpError {
  return error instanceof AwpError;
}
