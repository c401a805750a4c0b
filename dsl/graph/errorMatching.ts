/**
 * Which try may catch a raised error, decided statically: literal filter fields can rule a catch
 * out; runtime expressions and `when`/`exceptWhen` leave it possible, not certain.
 */

export type CatchVerdict = 'caught' | 'maybe' | 'not-caught';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isExpression = (value: unknown): boolean => typeof value === 'string' && value.includes('${');

const textOf = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);

/** The error filter's fields, in the order a label lists them (dsl-reference "Catch"). */
const filterFields = ['type', 'status', 'instance', 'title', 'details'] as const;

/** The error a raise task raises: inline, or by name from `use.errors`; undefined if unresolved. */
export function raisedErrorOf(
  raise: unknown,
  workflow: unknown,
): Record<string, unknown> | undefined {
  const error = isObject(raise) ? raise.error : undefined;
  if (isObject(error)) return error;
  if (typeof error !== 'string' || !isObject(workflow) || !isObject(workflow.use)) return undefined;
  const errors = workflow.use.errors;
  const named = isObject(errors) && Object.hasOwn(errors, error) ? errors[error] : undefined;
  return isObject(named) ? named : undefined;
}

/** How a raised error is named on an edge: by the `use.errors` name it references, else its type or title. */
export function raisedErrorLabel(raise: unknown, workflow: unknown): string | undefined {
  const error = isObject(raise) ? raise.error : undefined;
  if (typeof error === 'string') return error;
  const resolved = raisedErrorOf(raise, workflow);
  for (const field of ['type', 'title'] as const) {
    const value = resolved?.[field];
    if (typeof value === 'string' || typeof value === 'number') return String(value);
  }
  return undefined;
}

/**
 * Whether `catchClause` catches `error` raised by the task at `raisedAt`. A runtime sets a missing
 * `instance` to the raising task's pointer (ctk/raise.feature), so that is what a filter sees.
 */
export function catchVerdict(
  error: Record<string, unknown> | undefined,
  catchClause: unknown,
  raisedAt: string,
): CatchVerdict {
  const clause = isObject(catchClause) ? catchClause : {};
  const errors = isObject(clause.errors) ? clause.errors : {};
  const filter = isObject(errors.with) ? errors.with : {};
  let verdict: CatchVerdict =
    clause.when !== undefined || clause.exceptWhen !== undefined ? 'maybe' : 'caught';
  for (const field of filterFields) {
    if (!(field in filter)) continue;
    const expected = filter[field];
    // The filter says `details`, the error definition `detail` (dsl-reference "Error").
    const actual =
      error === undefined
        ? undefined
        : field === 'details'
          ? (error.detail ?? error.details)
          : field === 'instance'
            ? (error.instance ?? raisedAt)
            : error[field];
    if (isExpression(expected) || isExpression(actual) || actual === undefined) {
      verdict = 'maybe';
    } else if (String(actual) !== String(expected)) {
      return 'not-caught';
    }
  }
  return verdict;
}

/** A catch clause's filter as an edge label: `type: …, status: 404, when: …`, or `any error`. */
export function catchLabel(catchClause: unknown): string {
  const clause = isObject(catchClause) ? catchClause : {};
  const errors = isObject(clause.errors) ? clause.errors : {};
  const filter = isObject(errors.with) ? errors.with : {};
  const parts = filterFields
    .filter((field) => filter[field] !== undefined)
    .map((field) => `${field}: ${textOf(filter[field])}`);
  if (typeof clause.when === 'string') parts.push(`when: ${clause.when}`);
  if (typeof clause.exceptWhen === 'string') parts.push(`except when: ${clause.exceptWhen}`);
  return parts.length === 0 ? 'any error' : parts.join(', ');
}
