import type { z } from 'zod';
import { AwpError } from './errors.js';
import type { FieldViolation } from './errors.js';

/**
 * Validates untrusted input against a zod schema. A failure becomes one `validation` error whose
 * message names the first bad field and whose violations list all of them.
 */
export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  what: string,
): z.infer<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const violations: FieldViolation[] = result.error.issues.map((issue) => ({
    field: issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const first = violations[0] ?? { field: '(root)', message: 'invalid' };
  return fail(`invalid ${what}: '${first.field}' ${first.message}`, first.field, violations);
}

function fail(message: string, field: string, violations: FieldViolation[]): never {
  throw new AwpError('validation', message, { field, violations });
}
