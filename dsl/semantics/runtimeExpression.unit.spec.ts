import { describe, expect, it } from 'vitest';
import { expressionBody, isRuntimeExpression } from './runtimeExpression.js';

describe('runtime expressions', () => {
  it('recognises ${ … } with surrounding whitespace, across lines', () => {
    expect(isRuntimeExpression('${ .a }')).toBe(true);
    expect(isRuntimeExpression('  ${.a}\n')).toBe(true);
    expect(expressionBody('${\n  .a\n  | .b\n}\n')).toBe('\n  .a\n  | .b\n');
  });

  it('rejects strings that only contain one, or an empty one', () => {
    expect(isRuntimeExpression('Hello ${ .name }')).toBe(false);
    expect(isRuntimeExpression('${}')).toBe(false);
    expect(isRuntimeExpression(42)).toBe(false);
    expect(expressionBody('.a')).toBeUndefined();
  });
});
