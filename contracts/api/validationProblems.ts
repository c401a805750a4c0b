import { ValidateError } from '@tsoa/runtime';
import type { FieldErrors } from '@tsoa/runtime';
import type { Middleware } from 'koa';
import { AwpError } from '../errors.js';
import type { FieldViolation } from '../errors.js';

/**
 * Where a failure is, from tsoa's key for it. tsoa names the fields of an object parameter (a
 * body, `@Queries()`) `<parameter>.<path>` (`tenant.tier`), and any other parameter by its name
 * (`accountId`). Controllers name a body for what the request carries (`tenant`, `workflow`,
 * `secret`): that name says what was invalid, and the field is the path callers sent (`tier`,
 * or `(root)` for the body itself). Array items, `$0` in tsoa's keys, are `0` as in JSON paths.
 */
export function violationSite(
  key: string,
  objectParameters: ReadonlySet<string>,
): { subject: string; field: string } {
  const path = key.replace(/(^|\.)\$(\d+)(?=\.|$)/g, '$1$2');
  const [head = '', ...rest] = path.split('.');
  if (!objectParameters.has(head)) return { subject: 'request', field: path };
  return { subject: wordsOf(head), field: rest.length === 0 ? '(root)' : rest.join('.') };
}

/** `tierChange` → `tier change`; a leading `_` (a parameter the action ignores) is dropped. */
function wordsOf(parameter: string): string {
  return parameter.replace(/^_+/, '').replace(/[A-Z]/g, (upper) => ` ${upper.toLowerCase()}`);
}

/**
 * tsoa's own wording for the checks it makes without a message from our JSDoc, rewritten as
 * sentences about the field (STYLE.md: never a validator dump). Messages our JSDoc gives
 * (`@minimum limit 1 must be at least 1`) pass through unchanged.
 */
const rewrites: Array<[RegExp, (match: RegExpMatchArray) => string]> = [
  [/^'[^']*' is required$/, () => 'is required'],
  [/^"[^"]*" is an excess property/, () => 'is not a property of this request'],
  [/^should be one of the following; \[(.*)\]$/, (m) => oneOf(m[1])],
  [/^invalid (integer|long) number$/, () => 'must be a whole number'],
  [/^invalid (float|double) number$/, () => 'must be a number'],
  [/^invalid string value$/, () => 'must be a string'],
  [/^invalid boolean value$/, () => 'must be true or false'],
  [/^invalid object$/, () => 'must be a JSON object'],
  [/^invalid array$/, () => 'must be an array'],
  [/^Could not match the union/, () => 'is none of the allowed forms'],
];

function oneOf(list = ''): string {
  const values = list.replaceAll("'", '').split(',');
  return values.length === 1 ? `must be ${values[0]}` : `must be one of ${values.join(', ')}`;
}

/** The sentence for one of tsoa's messages. */
export function sentenceFor(message: string): string {
  for (const [pattern, rewrite] of rewrites) {
    const match = message.match(pattern);
    if (match) return rewrite(match);
  }
  return message;
}

/**
 * The platform's `validation` error for tsoa's field errors: every violation, and a detail
 * naming the first (`invalid tenant: 'tier' must be one of free, pro, enterprise`).
 */
export function validationErrorOf(
  fields: FieldErrors,
  objectParameters: ReadonlySet<string>,
): AwpError {
  const sites = Object.entries(fields).map(([key, { message }]) => ({
    ...violationSite(key, objectParameters),
    message: sentenceFor(message),
  }));
  const violations: FieldViolation[] = sites.map(({ field, message }) => ({ field, message }));
  const first = sites[0] ?? { subject: 'request', field: '(root)', message: 'is invalid' };
  return new AwpError('validation', `invalid ${first.subject}: '${first.field}' ${first.message}`, {
    field: first.field,
    violations,
  });
}

/**
 * Turns tsoa's ValidateError into the platform's `validation` error, so the gateway answers it
 * in the one problem+json format (`field`, `errors`), as it does every other 400. Mounted on
 * each domain's API router, around its generated routes, with their `objectParameters`.
 */
export function validationProblems(objectParameters: ReadonlySet<string>): Middleware {
  return async function validationProblemsMiddleware(_ctx, next) {
    try {
      await next();
    } catch (error) {
      if (!(error instanceof ValidateError)) throw error;
      throw validationErrorOf(error.fields, objectParameters);
    }
  };
}
