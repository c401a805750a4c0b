import { expressionBody, isRuntimeExpression } from '../../../../dsl/index.js';
import type { CompiledExpression, ExpressionEngine } from '../../ports/expressionEngine.js';
import { ExpressionError } from '../../ports/expressionEngine.js';
import { standardError, WorkflowError } from './workflowError.js';

/**
 * Runtime expressions (`${ … }`, jq) evaluated the way the spec says: with the runtime
 * arguments of the site as jq variables, the first value jq emits as the result, and an
 * `expression` error (400) when evaluation fails.
 */

/** The variables visible at an evaluation site; a function value is computed only if used. */
export type ExpressionVariables = Readonly<Record<string, unknown>>;

const variableReference = /\$([A-Za-z_][A-Za-z0-9_]*)/g;
// jq's own `$__loc__` and `$ENV` need no binding from us.
const jqBuiltinVariables = new Set(['__loc__', 'ENV', '__prog_args']);

/** Whether a value is a strict-mode runtime expression (the validator's own test). */
export const isExpression = isRuntimeExpression;

interface Prepared {
  compiled: CompiledExpression;
  names: readonly string[];
}

export class ExpressionEvaluator {
  private readonly prepared = new Map<string, Prepared>();

  constructor(
    private readonly engine: ExpressionEngine,
    private readonly maxCached = 5_000,
  ) {}

  /**
   * Evaluates `expression` — `${ jq }`, or bare jq where the DSL expects an expression anyway
   * (`for.in`, `while`, `when`, `if`) — against `input`, returning jq's first output (null when
   * it emits nothing).
   */
  evaluate(
    expression: string,
    input: unknown,
    variables: ExpressionVariables,
    at: string,
  ): unknown {
    const program = expressionBody(expression) ?? expression;
    const prepared = this.prepare(program, variables, at);
    try {
      const bound: Record<string, unknown> = {};
      for (const name of prepared.names) {
        const value = variables[name];
        bound[name] = typeof value === 'function' ? (value as () => unknown)() : value;
      }
      const outputs = prepared.compiled.run(input, bound);
      return outputs.length === 0 ? null : outputs[0];
    } catch (error) {
      throw expressionFailure(error, program, at);
    }
  }

  /** jq's truthiness: everything but `false` and `null`. */
  test(expression: string, input: unknown, variables: ExpressionVariables, at: string): boolean {
    const value = this.evaluate(expression, input, variables, at);
    return value !== false && value !== null;
  }

  /**
   * Evaluates every runtime expression inside a value (objects, arrays, strings), keeping key
   * order and leaving other values as they are.
   */
  evaluateDeep(
    value: unknown,
    input: unknown,
    variables: ExpressionVariables,
    at: string,
  ): unknown {
    if (typeof value === 'string') {
      return isExpression(value) ? this.evaluate(value, input, variables, at) : value;
    }
    if (Array.isArray(value)) {
      return value.map((item) => this.evaluateDeep(item, input, variables, at));
    }
    if (typeof value === 'object' && value !== null) {
      const result: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        result[key] = this.evaluateDeep(item, input, variables, at);
      }
      return result;
    }
    return value;
  }

  private prepare(program: string, variables: ExpressionVariables, at: string): Prepared {
    const referenced = new Set<string>();
    for (const match of program.matchAll(variableReference)) {
      const name = match[1] as string;
      if (!jqBuiltinVariables.has(name) && Object.hasOwn(variables, name)) referenced.add(name);
    }
    const names = [...referenced].sort();
    const cacheKey = `${names.join(',')}\u0000${program}`;
    let prepared = this.prepared.get(cacheKey);
    if (prepared) return prepared;
    try {
      prepared = { compiled: this.engine.compile(program, names), names };
    } catch (error) {
      throw expressionFailure(error, program, at);
    }
    if (this.prepared.size >= this.maxCached) {
      const oldest = this.prepared.keys().next().value as string;
      this.prepared.delete(oldest);
    }
    this.prepared.set(cacheKey, prepared);
    return prepared;
  }
}

function expressionFailure(error: unknown, program: string, at: string): WorkflowError {
  if (error instanceof WorkflowError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  const kind = error instanceof ExpressionError ? error.kind : 'runtime';
  const title =
    kind === 'compile'
      ? 'Invalid runtime expression'
      : kind === 'timeout'
        ? 'Runtime expression took too long'
        : kind === 'limit'
          ? 'Runtime expression exceeded a limit'
          : 'Runtime expression failed';
  const shown = program.length > 200 ? `${program.slice(0, 200)}…` : program;
  return standardError('expression', title, `${reason} (in: ${shown.trim()})`, { instance: at });
}
