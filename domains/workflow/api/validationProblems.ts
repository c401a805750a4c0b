import { ValidateError } from '@tsoa/runtime';
import type { FieldErrors } from '@tsoa/runtime';
import type { Middleware } from 'koa';
import { AwpError } from '../../../contracts/index.js';
import type { FieldViolation } from '../../../contracts/index.js';

/**
 * tsoa names a body field `<parameter>.<path>` (`body.document`) and the body itself by the
 * parameter's name; callers know neither, so the body is `(root)` as elsewhere in the API.
 */
const bodyParameters = new Set(['body', 'event', '_body']);

function fieldOf(key: string): string {
  const [head, ...rest] = key.split('.');
  if (head === undefined || !bodyParameters.has(head)) return key;
  return rest.length === 0 ? '(root)' : rest.join('.');
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

function sentenceFor(message: string): string {
  for (const [pattern, rewrite] of rewrites) {
    const match = message.match(pattern);
    if (match) return rewrite(match);
  }
  return message;
}

function violationsOf(fields: FieldErrors): FieldViolation[] {
  return Object.entries(fields).map(([key, { message }]) => ({
    field: fieldOf(key),
    message: sentenceFor(message),
  }));
}

/**
 * Turns tsoa's ValidateError into the platform's `validation` error, so the gateway answers it
 * in the one problem+json format (`field`, `errors`), as it does every other 400.
 */
export const validationProblems: Middleware = async function validationProblems(_ctx, next) {
  try {
    await next();
  } catch (error) {
    if (!(error instanceof ValidateError)) throw error;
    const violations = violationsOf(error.fields);
    const first = violations[0] ?? { field: '(root)', message: 'is invalid' };
    throw new AwpError('validation', `invalid request: '${first.field}' ${first.message}`, {
      field: first.field,
      violations,
    });
  }
};
