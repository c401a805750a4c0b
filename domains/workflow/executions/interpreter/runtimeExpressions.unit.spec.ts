import { describe, expect, it } from 'vitest';
import type { ExpressionEngine } from '../../ports/expressionEngine.js';
import { ExpressionEvaluator, isExpression } from './runtimeExpressions.js';
import { createJqWasmExpressionEngine } from './testing/jqWasmExpressionEngine.js';
import { thrownBy } from './testing/thrownBy.js';
import { errorTypes, WorkflowError } from './workflowError.js';

const jq = await createJqWasmExpressionEngine();
const at = '/do/0/compute/set';

/** The real jq, counting how often the evaluator asks it to compile. */
function countingEngine(): { engine: ExpressionEngine; compiled: string[] } {
  const compiled: string[] = [];
  return {
    compiled,
    engine: {
      compile(program, names) {
        compiled.push(program);
        return jq.compile(program, names);
      },
    },
  };
}

describe('isExpression', () => {
  it.each(['${ .a }', '${.a}', '  ${ .a }  ', '${\n  .items\n  | map(.price)\n}', '${ {a: 1} }'])(
    'treats %j as a runtime expression',
    (text) => {
      expect(isExpression(text)).toBe(true);
    },
  );

  it.each(['.a', 'total: ${ .a }', '${ .a } items', '${}', '$ { .a }', '{ .a }', ''])(
    'treats %j as plain text',
    (text) => {
      expect(isExpression(text)).toBe(false);
    },
  );

  it.each([42, null, undefined, { a: '${ .a }' }, ['${ .a }']])(
    'does not take the non-string %j for an expression',
    (value) => {
      expect(isExpression(value)).toBe(false);
    },
  );
});

describe('ExpressionEvaluator.evaluate', () => {
  const evaluator = new ExpressionEvaluator(jq);

  it("returns jq's first output when it emits several", () => {
    expect(evaluator.evaluate('${ .a, .b }', { a: 1, b: 2 }, {}, at)).toBe(1);
  });

  it('returns null when jq emits nothing', () => {
    expect(evaluator.evaluate('${ empty }', { a: 1 }, {}, at)).toBeNull();
    expect(evaluator.evaluate('${ .[] | select(. > 5) }', [1, 2], {}, at)).toBeNull();
  });

  it('evaluates bare jq where the DSL expects an expression anyway', () => {
    expect(evaluator.evaluate('.items | length', { items: [1, 2, 3] }, {}, at)).toBe(3);
  });

  it('evaluates an expression written over several lines', () => {
    expect(
      evaluator.evaluate('${\n  .items\n  | map(. * 2)\n}', { items: [1, 2] }, {}, at),
    ).toEqual([2, 4]);
  });

  it('binds the variables the program references', () => {
    const variables = { context: { user: 'ann' }, item: 3 };
    expect(evaluator.evaluate('${ [$context.user, $item] }', null, variables, at)).toEqual([
      'ann',
      3,
    ]);
  });

  it('calls a function variable only when the program references it', () => {
    let computed = 0;
    const variables = {
      workflow: () => {
        computed += 1;
        return { id: 'wf-1' };
      },
      item: 1,
    };
    expect(evaluator.evaluate('${ $item + 1 }', null, variables, at)).toBe(2);
    expect(computed).toBe(0);
    expect(evaluator.evaluate('${ $workflow.id }', null, variables, at)).toBe('wf-1');
    expect(computed).toBe(1);
  });

  it("leaves jq's own $__loc__ and $ENV to jq", () => {
    expect(evaluator.evaluate('${ $__loc__.line }', null, {}, at)).toBe(1);
    expect(evaluator.evaluate('${ $ENV | type }', null, { ENV: 'not jq' }, at)).toBe('object');
  });

  it('binds new values on every evaluation of the same program', () => {
    expect(evaluator.evaluate('${ $item * 10 }', null, { item: 1 }, at)).toBe(10);
    expect(evaluator.evaluate('${ $item * 10 }', null, { item: 2 }, at)).toBe(20);
  });

  it('keeps the key order of objects jq builds', () => {
    const output = evaluator.evaluate('${ {zeta: 1, alpha: 2, mid: .x} }', { x: 3 }, {}, at);
    expect(Object.keys(output as object)).toEqual(['zeta', 'alpha', 'mid']);
  });

  it('compiles a program once for the same variables and again when other names are visible', () => {
    const { engine, compiled } = countingEngine();
    const counting = new ExpressionEvaluator(engine);
    counting.evaluate('${ .a }', { a: 1 }, {}, at);
    counting.evaluate('${ .a }', { a: 2 }, { item: 1 }, at);
    expect(compiled).toEqual([' .a ']);
    expect(counting.evaluate('${ $item // 0 }', null, { item: 5 }, at)).toBe(5);
    expect(() => counting.evaluate('${ $item // 0 }', null, {}, at)).toThrow(WorkflowError);
    expect(compiled).toHaveLength(3);
  });

  it('compiles a program again once the cache has evicted it', () => {
    const { engine, compiled } = countingEngine();
    const small = new ExpressionEvaluator(engine, 2);
    for (const program of ['.a', '.b', '.c', '.a']) small.evaluate(program, {}, {}, at);
    expect(compiled).toEqual(['.a', '.b', '.c', '.a']);
  });

  it('reports a program that does not compile as an expression error with status 400', () => {
    const failure = thrownBy(() => evaluator.evaluate('${ .a | }', {}, {}, at));
    expect(failure).toBeInstanceOf(WorkflowError);
    const { problem } = failure as WorkflowError;
    expect(problem).toMatchObject({
      type: errorTypes.expression.type,
      status: 400,
      title: 'Invalid runtime expression',
      instance: at,
    });
    expect(problem.detail).toContain('(in: .a |)');
  });

  it('reports a failure while running as an expression error naming the program', () => {
    const failure = thrownBy(() => evaluator.evaluate('${ error("out of stock") }', {}, {}, at));
    const { problem } = failure as WorkflowError;
    expect(problem).toMatchObject({
      type: errorTypes.expression.type,
      status: 400,
      title: 'Runtime expression failed',
      instance: at,
    });
    expect(problem.detail).toContain('out of stock');
    expect(problem.detail).toContain('error("out of stock")');
  });

  it('reports a variable that is not visible at the site as an expression error', () => {
    const failure = thrownBy(() => evaluator.evaluate('${ $secret }', {}, { item: 1 }, at));
    expect((failure as WorkflowError).problem).toMatchObject({ status: 400, instance: at });
  });

  it('shortens a very long program in the detail', () => {
    const program = `.a | ${'.b | '.repeat(100)}error("the end")`;
    const failure = thrownBy(() => evaluator.evaluate(`\${ ${program} }`, {}, {}, at));
    const { detail } = (failure as WorkflowError).problem;
    expect(detail).toMatch(/\(in: \.a \| \.b .*…\)$/);
    expect(detail).not.toContain('error("the end")');
  });
});

describe('ExpressionEvaluator.test', () => {
  const evaluator = new ExpressionEvaluator(jq);

  it.each([
    ['false', false],
    ['null', false],
    ['empty', false],
    ['true', true],
    ['0', true],
    ['""', true],
    ['[]', true],
  ])("follows jq's truthiness for %s", (program, expected) => {
    expect(evaluator.test(`\${ ${program} }`, null, {}, at)).toBe(expected);
  });
});

describe('ExpressionEvaluator.evaluateDeep', () => {
  const evaluator = new ExpressionEvaluator(jq);

  it('evaluates the expressions inside objects and arrays and keeps everything else', () => {
    const template = {
      id: '${ .order.id }',
      label: 'order ${ .order.id }',
      lines: ['${ .order.lines | length }', 'fixed', 7],
      nested: { total: '${ .order.total * 2 }', active: true, none: null },
    };
    const input = { order: { id: 'o-1', lines: [1, 2], total: 5 } };
    expect(evaluator.evaluateDeep(template, input, {}, at)).toEqual({
      id: 'o-1',
      label: 'order ${ .order.id }',
      lines: [2, 'fixed', 7],
      nested: { total: 10, active: true, none: null },
    });
  });

  it('keeps the key order of the template', () => {
    const template = { zeta: '${ 1 }', alpha: 'a', mid: { y: '${ 2 }', b: 1 } };
    const result = evaluator.evaluateDeep(template, null, {}, at) as Record<string, unknown>;
    expect(Object.keys(result)).toEqual(['zeta', 'alpha', 'mid']);
    expect(Object.keys(result.mid as object)).toEqual(['y', 'b']);
  });

  it('does not evaluate the values an expression returns', () => {
    expect(evaluator.evaluateDeep({ raw: '${ .text }' }, { text: '${ .secret }' }, {}, at)).toEqual(
      {
        raw: '${ .secret }',
      },
    );
  });

  it('leaves the template unchanged', () => {
    const template = { a: '${ 1 }', list: ['${ 2 }'] };
    evaluator.evaluateDeep(template, null, {}, at);
    expect(template).toEqual({ a: '${ 1 }', list: ['${ 2 }'] });
  });
});
