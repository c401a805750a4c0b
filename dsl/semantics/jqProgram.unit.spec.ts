import { describe, expect, it } from 'vitest';
import {
  batchProgram,
  bracketsBalance,
  describeFailure,
  jqErrorsOf,
  standaloneProgram,
} from './jqProgram.js';

describe('standaloneProgram', () => {
  it('binds the arguments and the variables, starts from empty, and puts the expression last', () => {
    expect(standaloneProgram({ expression: '.a', variables: ['item'] })).toBe(
      'empty as $context | null as $input | null as $output | null as $secrets | null as $authorization | null as $task | null as $workflow | null as $runtime | null as $item |\n.a',
    );
  });
});

describe('batchProgram', () => {
  it('puts each expression on lines of its own and records which lines it holds', () => {
    const program = batchProgram([
      { expression: '.a', variables: [] },
      { expression: '.b |\n.c', variables: ['x'] },
    ]);
    expect(program.text.split('\n').slice(1)).toEqual([
      '(',
      '.a',
      '),',
      '(null as $x |',
      '.b |',
      '.c',
      ')',
    ]);
    expect(program.ranges).toEqual([
      { first: 2, last: 4 },
      { first: 5, last: 8 },
    ]);
  });
});

describe('bracketsBalance', () => {
  it.each([
    ['.a | map(.b) | {x: [1, 2]}', true],
    ['"a (b" + "\\(.x | tostring)"', true],
    ['.a # a comment with )\n| .b', true],
    ['"nested \\("inner \\(.y)")"', true],
    ['.a) , (.b', false],
    ['(.a', false],
    ['"unterminated', false],
    ['{a: [1}', false],
  ])('%s -> %s', (expression, balanced) => {
    expect(bracketsBalance(expression)).toBe(balanced);
  });
});

describe('jqErrorsOf', () => {
  it('strips jq wrapper text and keeps the line it blames', () => {
    const stderr = [
      'jq: error: syntax error, unexpected end of file (Unix shell quoting issues?) at <top-level>, line 3:',
      '.a |',
      'jq: error: $zz is not defined at <top-level>, line 5:',
      '$zz',
      'jq: 2 compile errors',
    ].join('\n');
    expect(jqErrorsOf(stderr)).toEqual([
      { message: 'syntax error, unexpected end of file', line: 3 },
      { message: '$zz is not defined', line: 5 },
    ]);
  });

  it('words token names for authors', () => {
    expect(
      jqErrorsOf(
        'jq: error: syntax error, unexpected end of file, expecting QQSTRING_TEXT or QQSTRING_INTERP_START or QQSTRING_END (Unix shell quoting issues?) at <top-level>, line 2:',
      )[0]?.message,
    ).toBe('syntax error, unexpected end of file (an unterminated string?)');
    expect(
      jqErrorsOf('jq: error: syntax error, unexpected INVALID_CHARACTER at <top-level>, line 2:')[0]
        ?.message,
    ).toBe('syntax error, unexpected character');
  });
});

describe('describeFailure', () => {
  it('names the line within a multi-line expression and the variables in scope', () => {
    const item = { expression: '.a |\n$nope', variables: ['item'] };
    expect(
      describeFailure(
        'jq: error: $nope is not defined at <top-level>, line 3:\n$nope\njq: 1 compile error',
        item,
      ),
    ).toBe(
      '$nope is not defined (line 2 of the expression) (variables here: $context, $input, $output, $secrets, $authorization, $task, $workflow, $runtime, $item)',
    );
  });

  it('quotes the first five of many errors, each cut', () => {
    const stderr = Array.from(
      { length: 300 },
      (_, i) =>
        `jq: error: $v${i}${'x'.repeat(i === 0 ? 500 : 0)} is not defined at <top-level>, line 2:`,
    ).join('\n');
    const text = describeFailure(stderr, { expression: 'whatever', variables: [] });
    expect(text).toMatch(/^\$v0x{194}\.\.\.; \$v1 is not defined; \$v2 is not defined; /);
    expect(text).toContain('$v4 is not defined; and 295 more (variables here: $context,');
    expect(text).not.toContain('$v5 ');
  });

  it('says how many errors jq found when its output was cut', () => {
    const stderr = [
      'jq: error: $a is not defined at <top-level>, line 2:',
      'jq: error: $b is not defined at <top-level>, line 2:',
      'jq: 400 compile errors',
    ].join('\n');
    expect(describeFailure(stderr, { expression: '$a + $b', variables: [] })).toMatch(
      /^\$a is not defined; \$b is not defined; and more \(jq found 400 errors\) \(variables here: /,
    );
  });
});
