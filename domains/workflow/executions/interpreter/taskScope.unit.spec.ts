import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nestedScope, rootScope, taskPosition } from './taskScope.js';
import type { TaskPosition, TaskScope } from './taskScope.js';

describe('taskPosition', () => {
  it('names a top-level task by its JSON pointer', () => {
    expect(taskPosition(rootScope, 0, 'a', 0)).toEqual({
      reference: '/do/0/a',
      key: '/do/0/a',
      idempotencyPath: '/do/0/a',
    });
  });

  it('marks the n-th re-invocation after a jump with #n in the key and the idempotency path', () => {
    expect(taskPosition(rootScope, 2, 'check', 3)).toEqual({
      reference: '/do/2/check',
      key: '/do/2/check#3',
      idempotencyPath: '/do/2/check#3',
    });
  });
});

describe('nestedScope', () => {
  const loop = taskPosition(rootScope, 1, 'loop', 0);

  it('extends the reference with the segment of the nested list', () => {
    const scope = nestedScope(rootScope, loop, { segment: 'for/do' });
    expect(taskPosition(scope, 0, 'x', 0).reference).toBe('/do/1/loop/for/do/0/x');
  });

  it('adds [i] per iteration to the key and the idempotency path but not to the reference', () => {
    const scope = nestedScope(rootScope, loop, { segment: 'do', iteration: 2 });
    expect(taskPosition(scope, 0, 'x', 0)).toEqual({
      reference: '/do/1/loop/do/0/x',
      key: '/do/1/loop[2]/do/0/x',
      idempotencyPath: '/do/1/loop[2]/do/0/x',
    });
  });

  it('adds ~a per retry attempt to the key only', () => {
    const tryIt = taskPosition(rootScope, 0, 'tryIt', 0);
    const scope = nestedScope(rootScope, tryIt, { segment: 'try', attempt: 2 });
    expect(taskPosition(scope, 0, 'call', 0)).toEqual({
      reference: '/do/0/tryIt/try/0/call',
      key: '/do/0/tryIt~2/try/0/call',
      idempotencyPath: '/do/0/tryIt/try/0/call',
    });
    expect(scope.attempt).toBe(2);
  });

  it('adds nothing for the first attempt', () => {
    const tryIt = taskPosition(rootScope, 0, 'tryIt', 0);
    expect(nestedScope(rootScope, tryIt, { segment: 'try', attempt: 0 }).key).toBe(
      '/do/0/tryIt/try',
    );
  });

  it('combines re-invocation, iteration and attempt in that order', () => {
    const again = taskPosition(rootScope, 1, 'loop', 1);
    const scope = nestedScope(rootScope, again, { segment: 'do', iteration: 4, attempt: 1 });
    expect(scope.key).toBe('/do/1/loop#1[4]~1/do');
    expect(scope.idempotencyPath).toBe('/do/1/loop#1[4]/do');
  });

  it('inherits the attempt of the enclosing scope when it sets none', () => {
    const tryIt = taskPosition(rootScope, 0, 'tryIt', 0);
    const attempt = nestedScope(rootScope, tryIt, { segment: 'try', attempt: 3 });
    const inner = nestedScope(attempt, taskPosition(attempt, 0, 'steps', 0), { segment: 'do' });
    expect(inner.attempt).toBe(3);
  });

  it('adds its variables to those of the enclosing scope', () => {
    const outer: TaskScope = { ...rootScope, variables: { item: 1, index: 0 } };
    const inner = nestedScope(outer, loop, { segment: 'do', variables: { item: 2 } });
    expect(inner.variables).toEqual({ item: 2, index: 0 });
    expect(outer.variables).toEqual({ item: 1, index: 0 });
    expect(nestedScope(outer, loop, { segment: 'do' }).variables).toBe(outer.variables);
  });
});

/** One task list level of a tree: the task that holds the nested list and how it nests it. */
interface Level {
  index: number;
  name: string;
  segment: string;
  iterates: boolean;
  retries: boolean;
}

/** Where one run is at each level: the task's re-invocation, the iteration and the attempt. */
interface Step {
  invocation: number;
  iteration: number;
  attempt: number;
}

const levelArbitrary = fc.record({
  index: fc.nat({ max: 5 }),
  name: fc.constantFrom('a', 'loop', 'tryIt', 'branch', 'x'),
  segment: fc.constantFrom('do', 'try', 'catch/do', 'for/do', 'fork/branches'),
  iterates: fc.boolean(),
  retries: fc.boolean(),
});
const stepArbitrary = fc.record({
  invocation: fc.nat({ max: 3 }),
  iteration: fc.nat({ max: 3 }),
  attempt: fc.nat({ max: 3 }),
});

/** Mostly `null` (keep the first run's value), sometimes a new value. */
const sometimes = (keepWeight: number) =>
  fc.oneof(
    { arbitrary: fc.constant(null), weight: keepWeight },
    { arbitrary: fc.nat({ max: 3 }), weight: 1 },
  );

/** A change to a step: fields are mostly kept, so near-identical runs are common. */
const changeArbitrary = fc.record({
  invocation: sometimes(6),
  iteration: sometimes(6),
  attempt: sometimes(1),
});

/** A tree of levels and two runs through it, the second a variation of the first. */
const twoRuns = fc
  .tuple(fc.array(levelArbitrary, { minLength: 1, maxLength: 4 }), fc.nat({ max: 5 }))
  .chain(([levels, leafIndex]) => {
    const steps = fc.array(stepArbitrary, { minLength: levels.length, maxLength: levels.length });
    const changes = fc.array(changeArbitrary, {
      minLength: levels.length,
      maxLength: levels.length,
    });
    return fc
      .tuple(steps, fc.nat({ max: 3 }), changes, sometimes(6))
      .map(([first, leafInvocation, change, leafChange]) => {
        const second = first.map((step, depth) => {
          const { invocation, iteration, attempt } = change[depth] ?? {};
          return {
            invocation: invocation ?? step.invocation,
            iteration: iteration ?? step.iteration,
            attempt: attempt ?? step.attempt,
          };
        });
        const a: [Step[], number] = [first, leafInvocation];
        const b: [Step[], number] = [second, leafChange ?? leafInvocation];
        return { levels, leafIndex, a, b };
      });
  });

function positionOf(
  levels: readonly Level[],
  leafIndex: number,
  [steps, leafInvocation]: [Step[], number],
): TaskPosition {
  let scope = rootScope;
  levels.forEach((level, depth) => {
    const step = steps[depth] as Step;
    const holder = taskPosition(scope, level.index, level.name, step.invocation);
    scope = nestedScope(scope, holder, {
      segment: level.segment,
      ...(level.iterates ? { iteration: step.iteration } : {}),
      ...(level.retries ? { attempt: step.attempt } : {}),
    });
  });
  return taskPosition(scope, leafIndex, 'leaf', leafInvocation);
}

/** The parts of a run the tree actually uses, without (or with) the attempts. */
function identity(
  levels: readonly Level[],
  [steps, leafInvocation]: [Step[], number],
  withAttempts: boolean,
) {
  const used = levels.map((level, depth) => {
    const step = steps[depth] as Step;
    return [
      step.invocation,
      level.iterates ? step.iteration : null,
      withAttempts && level.retries ? step.attempt : null,
    ];
  });
  return JSON.stringify([used, leafInvocation]);
}

describe('task identity across a tree of iterations, re-invocations and attempts', () => {
  it('gives two runs the same idempotency path exactly when they differ only in attempts', () => {
    fc.assert(
      fc.property(twoRuns, ({ levels, leafIndex, a, b }) => {
        const samePath =
          positionOf(levels, leafIndex, a).idempotencyPath ===
          positionOf(levels, leafIndex, b).idempotencyPath;
        expect(samePath).toBe(identity(levels, a, false) === identity(levels, b, false));
      }),
    );
  });

  it('gives two runs the same journal key only when they are the same run', () => {
    fc.assert(
      fc.property(twoRuns, ({ levels, leafIndex, a, b }) => {
        const sameKey =
          positionOf(levels, leafIndex, a).key === positionOf(levels, leafIndex, b).key;
        expect(sameKey).toBe(identity(levels, a, true) === identity(levels, b, true));
      }),
    );
  });

  it('gives every run of a tree the same reference', () => {
    fc.assert(
      fc.property(twoRuns, ({ levels, leafIndex, a, b }) => {
        expect(positionOf(levels, leafIndex, a).reference).toBe(
          positionOf(levels, leafIndex, b).reference,
        );
      }),
    );
  });
});
