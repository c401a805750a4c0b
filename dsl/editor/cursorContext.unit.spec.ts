import { describe, expect, it } from 'vitest';
import { cursorContext } from './cursorContext.js';

function contextAt(marked: string) {
  const offset = marked.indexOf('‸');
  const before = marked.slice(0, offset).split('\n');
  const position = { line: before.length, column: (before.at(-1) as string).length + 1 };
  const context = cursorContext(marked.replace('‸', ''), position);
  return (
    context && { at: context.at, path: context.path, prefix: context.prefix, data: context.data }
  );
}

const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

describe('cursorContext', () => {
  it('resolves a new key on an empty line by its indentation', () => {
    const context = contextAt(`do:
  - first:
      wait: PT1S
  - second:
      call: http
      ‸
      with:
        method: get
`);
    expect(context?.at).toBe('key');
    expect(context?.path).toEqual(['do', 1, 'second']);
    // The task's own entries, nested ones as empty collections, the siblings left out.
    expect(plain(context?.data)).toEqual({ do: [null, { second: { call: 'http', with: {} } }] });
  });

  it('gives the same line a different parent at a different indentation', () => {
    const text = `do:\n  - first:\n      call: http\n      with:\n        method: get\n‸`;
    expect(contextAt(text.replace('‸', '        ‸'))?.path).toEqual(['do', 0, 'first', 'with']);
    expect(contextAt(text.replace('‸', '      ‸'))?.path).toEqual(['do', 0, 'first']);
    expect(contextAt(text.replace('‸', '  - ‸'))?.path).toEqual(['do', 1]);
    expect(contextAt(text)?.path).toEqual([]);
  });

  it('resolves a value to its own path, the typed part as the prefix', () => {
    const context = contextAt(`do:\n  - a:\n      wait: PT1S\n  - b:\n      then: en‸\n`);
    expect(context).toMatchObject({ at: 'value', path: ['do', 1, 'b', 'then'], prefix: 'en' });
    expect(plain(context?.data)).toEqual({ do: [null, { b: { then: null } }] });
  });

  it('counts items across nested content, comments and blank lines', () => {
    const context = contextAt(`do:
  # the first one
  - a:
      do:
        - inner: { wait: PT1S }

  - b:
      set:
        - not a task
  - c:
      ‸
`);
    expect(context?.path).toEqual(['do', 2, 'c']);
  });

  it('reads quoted keys and a dash alone on its line', () => {
    expect(contextAt(`do:\n  - "my task":\n      ‸\n`)?.path).toEqual(['do', 0, 'my task']);
    expect(contextAt(`do:\n  -\n    a:\n      ‸\n`)?.path).toEqual(['do', 0, 'a']);
    expect(contextAt(`do:\n  - - a:\n        ‸\n`)?.path).toEqual(['do', 0, 0, 'a']);
  });

  it('gives up inside a block scalar and under a key that already has a scalar', () => {
    expect(contextAt(`a:\n  script: |\n    line one\n    ‸\n`)).toBeUndefined();
    expect(contextAt(`a:\n  call: http\n    ‸\n`)).toBeUndefined();
  });
});
