import { describe, expect, it } from 'vitest';
import { createExpressionCompiler } from './expressionCompiler.js';
import { createWasmJqEngine } from './jqEngine.js';
import type { JqEngine, JqOutcome } from './jqEngine.js';

const wasm = createWasmJqEngine();

/** The real engine, counting its calls. */
function countingEngine() {
  const calls: string[] = [];
  const engine: JqEngine = {
    compile(program) {
      calls.push(program);
      return wasm.compile(program);
    },
  };
  return { engine, calls };
}

const expressions = (count: number, make: (i: number) => string) =>
  Array.from({ length: count }, (_, i) => ({ expression: make(i), variables: [] as string[] }));

describe('createExpressionCompiler', () => {
  it('compiles many expressions in few jq calls, then answers from its cache', async () => {
    const { engine, calls } = countingEngine();
    const compiler = createExpressionCompiler({ engine });
    const items = expressions(600, (i) => `.items[${i}] | select(.qty > ${i}) # note`);
    expect((await compiler.compile(items)).every((v) => v.ok)).toBe(true);
    expect(calls).toHaveLength(3);
    expect((await compiler.compile(items)).every((v) => v.ok)).toBe(true);
    expect(calls).toHaveLength(3);
  });

  it('finds the failing expressions of a batch and gives the message they get alone', async () => {
    const { engine, calls } = countingEngine();
    const compiler = createExpressionCompiler({ engine });
    const items = expressions(60, (i) => (i === 17 ? '.a |' : i === 41 ? '$nope' : `.x${i}`));
    const verdicts = await compiler.compile(items);
    const failed = verdicts.flatMap((v, i) => (v.ok ? [] : [[i, v.message]]));
    expect(failed).toEqual([
      [17, 'syntax error, unexpected end of file'],
      [
        41,
        '$nope is not defined (variables here: $context, $input, $output, $secrets, $authorization, $task, $workflow, $runtime)',
      ],
    ]);
    // The batch, one call per blamed expression, then the batch again without them.
    expect(calls.length).toBeLessThanOrEqual(6);
  });

  it('compiles alone an expression that could escape the batch wrapper', async () => {
    const { engine } = countingEngine();
    const compiler = createExpressionCompiler({ engine });
    const [escaped, fine] = await compiler.compile([
      { expression: '.a) , (.b', variables: [] },
      { expression: '.c', variables: [] },
    ]);
    expect(escaped?.ok).toBe(false);
    expect(fine?.ok).toBe(true);
  });

  it('keeps expressions with different variables apart', async () => {
    const { engine } = countingEngine();
    const compiler = createExpressionCompiler({ engine });
    const verdicts = await compiler.compile([
      { expression: '$pet.id', variables: ['pet'] },
      { expression: '$pet.id', variables: [] },
    ]);
    expect(verdicts.map((v) => v.ok)).toEqual([true, false]);
  });

  it('halves a batch jq broke on, and marks what still breaks alone as unchecked', async () => {
    const broken: JqOutcome = { status: 'failed', reason: 'Aborted(assertion)' };
    const calls: string[] = [];
    const engine: JqEngine = {
      async compile(program) {
        calls.push(program);
        return program.includes('.boom') ? broken : { status: 'compiled' };
      },
    };
    const compiler = createExpressionCompiler({ engine });
    const verdicts = await compiler.compile(expressions(8, (i) => (i === 5 ? '.boom' : `.ok${i}`)));
    expect(verdicts.map((v) => v.ok)).toEqual([true, true, true, true, true, false, true, true]);
    expect(verdicts[5]).toEqual({
      ok: false,
      unchecked: true,
      message: 'jq broke while compiling it (Aborted(assertion))',
    });
    // Not cached: the next call asks jq again.
    await compiler.compile([{ expression: '.boom', variables: [] }]);
    expect(calls.at(-1)).toContain('.boom');
  });
});
