import { loadJq } from 'jq-wasm';
import type { CompiledExpression, ExpressionEngine } from '../../../ports/expressionEngine.js';
import { ExpressionError } from '../../../ports/expressionEngine.js';

/**
 * A real jq behind the interpreter's `ExpressionEngine` port, for unit tests: jq-wasm runs in
 * this process (WebAssembly, no I/O). Domains may not import `infra/`, so the tests bring their
 * own small adapter. jq exits with status 3 on a compile error (an undefined variable is one).
 */
export async function createJqWasmExpressionEngine(): Promise<ExpressionEngine> {
  const jq = await loadJq();

  const runJq = (
    program: string,
    input: unknown,
    variables: Record<string, unknown>,
    flags: string[] = [],
  ) => {
    const args = flags.concat(
      Object.entries(variables).flatMap(([name, value]) => [
        '--argjson',
        name,
        JSON.stringify(value ?? null),
      ]),
    );
    // jq-wasm sets process.exitCode on every call; a failing expression must not fail the run.
    const saved = process.exitCode;
    try {
      return jq.json(JSON.stringify(input ?? null), program, args);
    } catch (error) {
      const exitCode = (error as { exitCode?: number }).exitCode;
      const message = error instanceof Error ? error.message : String(error);
      throw new ExpressionError(exitCode === 3 ? 'compile' : 'runtime', message, program);
    } finally {
      process.exitCode = saved;
    }
  };

  return {
    compile(program, variableNames): CompiledExpression {
      // jq compiles the whole program before running it; `empty |` then skips the evaluation.
      const unbound = Object.fromEntries(variableNames.map((name) => [name, null]));
      runJq(`empty | (${program}\n)`, null, unbound, ['-n']);
      return { run: (input, variables) => runJq(program, input, { ...variables }) };
    },
  };
}
