/**
 * The schema's `runtimeExpression` is `^\s*\$\{.+\}\s*$`. We match it across lines too (the `s`
 * flag): authors write long jq in YAML block scalars, and an expression spread over lines is still
 * meant as one.
 */
const runtimeExpressionPattern = /^\s*\$\{([\s\S]+)\}\s*$/;

/** Whether a string is a strict-mode runtime expression (`${ … }`). */
export function isRuntimeExpression(value: unknown): value is string {
  return typeof value === 'string' && runtimeExpressionPattern.test(value);
}

/** The jq inside `${ … }`, or undefined when the string is not a runtime expression. */
export function expressionBody(value: string): string | undefined {
  return runtimeExpressionPattern.exec(value)?.[1];
}
