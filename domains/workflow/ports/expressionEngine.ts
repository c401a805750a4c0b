/**
 * The jq engine the interpreter evaluates runtime expressions with. The interpreter owns this
 * port; `infra/jq/` implements it with real jq. Evaluation is synchronous on purpose: a
 * workflow evaluates thousands of small expressions, and a promise per expression would cost
 * more than most of them take to run.
 */
export interface ExpressionEngine {
  /**
   * Compiles a jq program once. `variableNames` are the variables (without `$`) the program may
   * use, e.g. `['context', 'input', 'item']`; the same names are bound on every run.
   * Throws `ExpressionError` (kind `compile`) when the program is not valid jq.
   */
  compile(program: string, variableNames: readonly string[]): CompiledExpression;
}

export interface CompiledExpression {
  /**
   * Runs the program on `input` with the given variables bound and returns every value it
   * emits, in order (jq may emit none or several). Values are plain JSON: objects keep their key
   * order. Throws `ExpressionError` (kind `runtime`, `limit` or `timeout`) and never hangs.
   */
  run(input: unknown, variables: Readonly<Record<string, unknown>>): unknown[];
}

export type ExpressionErrorKind = 'compile' | 'runtime' | 'limit' | 'timeout';

/** A jq program failed; `message` is jq's own message, without a stack or an internal dump. */
export class ExpressionError extends Error {
  override name = 'ExpressionError';
  constructor(
    readonly kind: ExpressionErrorKind,
    message: string,
    readonly program: string,
  ) {
    super(message);
  }
}
