import type { ErrorCode, FieldViolation } from '../contracts/index.js';
import { AwpError, isAwpError } from '../contracts/index.js';

/** RFC 9457 problem details, as every AWP error response carries them. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  field?: string;
  errors?: readonly FieldViolation[];
  [extension: string]: unknown;
}

const problemBase = 'https://awp.dev/problems/';

/** The one table from error codes to HTTP (STYLE.md: mapped once, at the edge). */
const byCode: Record<ErrorCode, { status: number; title: string }> = {
  validation: { status: 400, title: 'Invalid request' },
  unauthorized: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict' },
  illegal_state: { status: 409, title: 'Illegal state' },
  quota_exceeded: { status: 429, title: 'Quota exceeded' },
  unavailable: { status: 503, title: 'Service unavailable' },
  internal: { status: 500, title: 'Internal error' },
};

/** Errors raised by Koa and its body parser carry an HTTP status of their own. */
const byHttpStatus: Record<number, { slug: string; title: string }> = {
  400: { slug: 'validation', title: 'Invalid request' },
  404: { slug: 'not_found', title: 'Not found' },
  405: { slug: 'method_not_allowed', title: 'Method not allowed' },
  413: { slug: 'payload_too_large', title: 'Payload too large' },
  415: { slug: 'unsupported_media_type', title: 'Unsupported media type' },
  501: { slug: 'not_implemented', title: 'Not implemented' },
};

export function problemFor(error: unknown): ProblemDetails {
  if (isAwpError(error)) {
    const { status, title } = byCode[error.code];
    return {
      type: `${problemBase}${error.code}`,
      title,
      status,
      // An internal error's message may hold implementation details: never echo it.
      detail: error.code === 'internal' ? 'an unexpected error occurred' : error.message,
      ...(error.details.field ? { field: error.details.field } : {}),
      ...(error.details.violations ? { errors: error.details.violations } : {}),
    };
  }
  const http = error as { status?: number; expose?: boolean; message?: string; type?: string };
  const known = http.status !== undefined ? byHttpStatus[http.status] : undefined;
  if (known && http.expose) {
    return {
      type: `${problemBase}${known.slug}`,
      title: known.title,
      status: http.status as number,
      detail: describeHttpError(http),
    };
  }
  return {
    type: `${problemBase}internal`,
    title: 'Internal error',
    status: 500,
    detail: 'an unexpected error occurred',
  };
}

function describeHttpError(error: { status?: number; message?: string; type?: string }): string {
  if (error.type === 'entity.too.large') return 'request body exceeds the configured size limit';
  return error.message ?? 'request failed';
}

export function notFoundProblem(method: string, path: string): ProblemDetails {
  return {
    type: `${problemBase}not_found`,
    title: 'Not found',
    status: 404,
    detail: `no route for ${method} ${path}`,
  };
}

/**
 * The inverse of `problemFor`, for a call to another AWP service: the error its problem+json
 * describes, with `what` saying which call failed. The code comes from the problem's `type`
 * (or, failing that, its status); a server error over there is `unavailable` here, since this
 * side can only wait and retry.
 */
export function errorFromProblem(what: string, status: number, body: unknown): AwpError {
  const problem = (
    typeof body === 'object' && body !== null ? body : {}
  ) as Partial<ProblemDetails>;
  const slug =
    typeof problem.type === 'string' && problem.type.startsWith(problemBase)
      ? problem.type.slice(problemBase.length)
      : undefined;
  const named = Object.keys(byCode).find((code) => code === slug) as ErrorCode | undefined;
  const code: ErrorCode =
    status >= 500
      ? 'unavailable'
      : (named ??
        (Object.keys(byCode) as ErrorCode[]).find((each) => byCode[each].status === status) ??
        'validation');
  const why =
    typeof problem.detail === 'string'
      ? problem.detail
      : typeof problem.title === 'string'
        ? problem.title
        : `status ${status}`;
  return new AwpError(code, `${what}: ${why}`, {
    ...(status === 429 || status >= 500 ? { retryable: true } : {}),
    ...(typeof problem.field === 'string' ? { field: problem.field } : {}),
    ...(Array.isArray(problem.errors) ? { violations: problem.errors } : {}),
  });
}
