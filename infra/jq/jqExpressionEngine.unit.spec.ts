import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExpressionError } from '../../domains/workflow/ports/expressionEngine.js';
import { createJqExpressionEngine } from './jqExpressionEngine.js';
import type { JqExpressionEngine, JqExpressionEngineOptions } from './jqExpressionEngine.js';

// jq runs in a worker thread of this process (WebAssembly, no I/O): these are unit tests.
const engines: JqExpressionEngine[] = [];
const start = async (options: JqExpressionEngineOptions = {}) => {
  const engine = await createJqExpressionEngine({ timeoutMs: 300, ...options });
  engines.push(engine);
  return engine;
};
afterAll(() => Promise.all(engines.map((engine) => engine.close())));

/** The ExpressionError a call throws. */
function failureOf(call: () => unknown): ExpressionError {
  try {
    call();
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error('expected an ExpressionError');
}

describe('createJqExpressionEngine', () => {
  let engine: JqExpressionEngine;
  beforeAll(async () => {
    engine = await start();
  });

  it('returns every output in order, objects with the key order jq gives', () => {
    const outputs = engine.compile('.[] | {z: ., a: 1}, empty', []).run([1, 2], {});
    expect(outputs).toEqual([
      { z: 1, a: 1 },
      { z: 2, a: 1 },
    ]);
    expect(outputs.map((o) => Object.keys(o as object))).toEqual([
      ['z', 'a'],
      ['z', 'a'],
    ]);
    expect(engine.compile('empty', []).run(null, {})).toEqual([]);
  });

  it('binds the variables of each run, and null for one not given', () => {
    const compiled = engine.compile('[$input.x, $context, .n]', ['input', 'context']);
    expect(compiled.run({ n: 1 }, { input: { x: 'a' }, context: [true] })).toEqual([
      ['a', [true], 1],
    ]);
    expect(compiled.run({ n: 2 }, { input: { x: 'b' } })).toEqual([['b', null, 2]]);
  });

  it('keeps $__loc__ on the line the program wrote it', () => {
    expect(engine.compile('\n$__loc__', ['input']).run(null, {})).toEqual([
      { file: '<top-level>', line: 2 },
    ]);
  });

  it('returns the same compiled expression for the same program and variables', () => {
    const first = engine.compile('.a + 1', ['input']);
    expect(engine.compile('.a + 1', ['input'])).toBe(first);
    expect(engine.compile('.a + 1', ['context'])).not.toBe(first);
  });

  it("reports a program jq rejects as a compile error, with jq's message", () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = failureOf(() => engine.compile('.a |', []));
      expect(error.kind).toBe('compile');
      expect(error.program).toBe('.a |');
      expect(error.message).toBe(
        'syntax error, unexpected end of file at <top-level>, line 1, column 4:\n    .a |\n       ^',
      );
    }
    const undefinedVariable = failureOf(() => engine.compile('$input | $nope', ['input']));
    expect(undefinedVariable.message).toMatch(/^\$nope is not defined at <top-level>, line 1/);
  });

  it('rejects a variable name jq cannot bind', () => {
    expect(failureOf(() => engine.compile('.', ['not-a-name'])).kind).toBe('compile');
    expect(failureOf(() => engine.compile('.', ['x', 'x'])).kind).toBe('compile');
  });

  it("reports errors raised while running as runtime errors, with jq's message", () => {
    const boom = failureOf(() =>
      engine.compile('{} | .a.b.c = 1 | error("boom")', []).run(null, {}),
    );
    expect([boom.kind, boom.message]).toEqual(['runtime', 'boom']);
    const added = failureOf(() => engine.compile('1 + "a"', []).run(null, {}));
    expect([added.kind, added.message]).toEqual([
      'runtime',
      'number (1) and string ("a") cannot be added',
    ]);
    const notText = failureOf(() => engine.compile('error({a: 1})', []).run(null, {}));
    expect(notText.message).toBe('(not a string): {"a":1}');
  });

  it('fails a run whose input is not JSON', () => {
    const error = failureOf(() => engine.compile('.', []).run({ n: 1n }, {}));
    expect(error.kind).toBe('runtime');
  });

  it.each(['def f: f; f', 'until(false; .)', '[range(1e9)]', '[limit(1e8; repeat(1))]'])(
    'stops %s, and works on afterwards',
    (program) => {
      const compiled = engine.compile('.a + 1', []);
      expect(compiled.run({ a: 1 }, {})).toEqual([2]);
      const error = failureOf(() => engine.compile(program, []).run(null, {}));
      expect(['timeout', 'limit']).toContain(error.kind);
      // The expression compiled before is compiled again in the new worker.
      expect(compiled.run({ a: 2 }, {})).toEqual([3]);
    },
  );

  it('runs an expression the cache released, compiling it again', async () => {
    const small = await start({ cacheSize: 2 });
    const first = small.compile('.x', []);
    small.compile('.y', []);
    small.compile('.z', []);
    expect(first.run({ x: 1 }, {})).toEqual([1]);
    expect(small.compile('.y', []).run({ y: 2 }, {})).toEqual([2]);
  });
});

describe('createJqExpressionEngine limits', () => {
  it('stops a program that needs more memory than allowed', async () => {
    const engine = await start({ memoryLimitBytes: 32 * 2 ** 20, timeoutMs: 10_000 });
    const error = failureOf(() => engine.compile('[range(1e8)]', []).run(null, {}));
    expect(error.kind).toBe('limit');
    expect(engine.compile('[range(3)]', []).run(null, {})).toEqual([[0, 1, 2]]);
  });

  it('refuses an output or an input larger than allowed', async () => {
    const engine = await start({ maxOutputBytes: 1024, maxInputBytes: 1024 });
    expect(failureOf(() => engine.compile('range(1000)', []).run(null, {})).kind).toBe('limit');
    expect(failureOf(() => engine.compile('.', []).run('x'.repeat(2000), {})).kind).toBe('limit');
    expect(engine.compile('range(3)', []).run(null, {})).toEqual([0, 1, 2]);
  });

  it('prints values nested 10,000 deep (jq prints deeper ones as skipped)', async () => {
    const engine = await start({ timeoutMs: 10_000 });
    const depth = (n: number) => `reduce range(${n}) as $i (0; [.]) | tojson | length`;
    expect(engine.compile(depth(10_000), []).run(null, {})).toEqual([20_001]);
    expect(engine.compile(depth(50_000), []).run(null, {})).toEqual([20_021]);
  });
});

describe('two jq engines', () => {
  it('run independently: one timing out or closed does not affect the other', async () => {
    const [one, two] = await Promise.all([start(), start()]);
    const onOne = one.compile('.n * 2', []);
    const onTwo = two.compile('.n * 3', []);
    expect(failureOf(() => one.compile('def f: f; f', []).run(null, {})).kind).toBe('timeout');
    expect(onTwo.run({ n: 1 }, {})).toEqual([3]);
    await one.close();
    expect(failureOf(() => onOne.run({ n: 1 }, {})).kind).toBe('runtime');
    expect(onTwo.run({ n: 2 }, {})).toEqual([6]);
  });
});
