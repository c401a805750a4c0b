import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWorkflowText } from './parseWorkflowText.js';
import type { ParseResult } from './parseWorkflowText.js';

const workflow = `document:
  dsl: '1.0.0'
  namespace: orders
  name: intake
  version: '1.0.0'
do:
  - checkStock:
      call: http
      with:
        method: get
        endpoint: https://stock.example.com/items/{sku}
`;

function problemsOf(result: ParseResult) {
  if (result.ok) throw new Error('expected the parse to fail');
  return result.problems.map(({ code, line, column }) => ({ code, line, column }));
}

describe('parseWorkflowText', () => {
  it('reads YAML into plain values and knows where each node came from', () => {
    const result = parseWorkflowText(workflow);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.document.value).toMatchObject({
      document: { dsl: '1.0.0', name: 'intake' },
      do: [{ checkStock: { call: 'http', with: { method: 'get' } } }],
    });
    const { positionOf } = result.document;
    expect(positionOf(['do', 0, 'checkStock', 'call'])).toEqual({ line: 8, column: 13 });
    expect(positionOf(['do', 0, 'checkStock', 'call'], 'key')).toEqual({ line: 8, column: 7 });
    expect(positionOf(['do', 0, 'checkStock', 'with', 'endpoint'])).toEqual({
      line: 11,
      column: 19,
    });
    // A path that does not exist resolves to its nearest existing ancestor.
    expect(positionOf(['do', 0, 'checkStock', 'with', 'headers', 'x'])).toEqual({
      line: 10,
      column: 9,
    });
    expect(positionOf([])).toEqual({ line: 1, column: 1 });
  });

  it('finds nodes under keys the core schema reads as numbers, booleans or null', () => {
    const result = parseWorkflowText(
      'do:\n  - 0x10:\n      set: {a: 1}\n  - True:\n      wait: PT1S\n  - ~:\n      wait: PT2S\n',
    );
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(Object.keys((result.document.value as { do: object[] }).do[0] ?? {})).toEqual(['16']);
    expect(result.document.positionOf(['do', 0, '16', 'set'])).toEqual({ line: 3, column: 12 });
    expect(result.document.positionOf(['do', 1, 'true', 'wait'])).toEqual({ line: 5, column: 13 });
    expect(result.document.positionOf(['do', 2, 'null', 'wait'])).toEqual({ line: 7, column: 13 });
  });

  it('reads JSON with positions too', () => {
    const result = parseWorkflowText(
      '{\n  "document": {"dsl": "1.0.0"},\n  "do": [\n    {"a": {"set": {"x": 1}}}\n  ]\n}',
    );
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.document.positionOf(['do', 0, 'a'])).toEqual({ line: 4, column: 11 });
  });

  it('accepts UTF-8 bytes with or without a byte order mark', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('name: café\n')]);
    const result = parseWorkflowText(bytes);
    expect(result.ok && result.document.value).toEqual({ name: 'café' });
  });

  it('refuses a duplicate key at the duplicate', () => {
    expect(problemsOf(parseWorkflowText('document:\n  name: a\n  name: b\n'))).toEqual([
      { code: 'yaml-duplicate-key', line: 3, column: 3 },
    ]);
  });

  it('refuses several documents in one file', () => {
    expect(problemsOf(parseWorkflowText('a: 1\n---\nb: 2\n'))).toEqual([
      { code: 'yaml-multiple-documents', line: 2, column: 1 },
    ]);
  });

  it('reports a syntax error where it is', () => {
    const problems = problemsOf(parseWorkflowText('do:\n  - a: {set: [1, 2}\n'));
    expect(problems[0]).toMatchObject({ code: 'yaml-syntax', line: 2 });
  });

  it('refuses an alias bomb without expanding it', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    // 9^9 strings if expanded; refused before anything walks them (its peak RSS is in the
    // DSL benchmark).
    expect(problemsOf(parseWorkflowText(levels.join('\n')))).toEqual([
      { code: 'yaml-alias-limit', line: 1, column: 1 },
    ]);
  });

  it('refuses an alias to a node that contains it (a circular value)', () => {
    expect(problemsOf(parseWorkflowText('do: &top\n  - a:\n      do: *top\n'))).toEqual([
      { code: 'yaml-alias-cycle', line: 3, column: 11 },
    ]);
  });

  it('allows a few aliases, and the limit is configurable', () => {
    const text = 'base: &b {retries: 3}\none: *b\ntwo: *b\n';
    expect(parseWorkflowText(text).ok).toBe(true);
    expect(problemsOf(parseWorkflowText(text, { maxAliasCount: 1 }))).toEqual([
      { code: 'yaml-alias-limit', line: 3, column: 6 },
    ]);
  });

  it('refuses a document over the size limit before parsing it', () => {
    const big = `a: "${'x'.repeat(1_048_576)}"\n`;
    expect(problemsOf(parseWorkflowText(big))).toEqual([
      { code: 'input-too-large', line: 1, column: 1 },
    ]);
    expect(parseWorkflowText('a: 1\n', { maxBytes: 4 }).ok).toBe(false);
    expect(parseWorkflowText('a: 1\n', { maxBytes: 5 }).ok).toBe(true);
  });

  it('locates the first byte that is not UTF-8', () => {
    const bytes = Buffer.concat([Buffer.from('a: 1\nb: x'), Buffer.from([0xc3, 0x28])]);
    const result = parseWorkflowText(bytes);
    expect(problemsOf(result)).toEqual([{ code: 'input-not-utf8', line: 2, column: 5 }]);
    expect(!result.ok && result.problems[0]?.message).toContain('byte 9');
  });

  it('refuses empty input and absurd nesting', () => {
    expect(problemsOf(parseWorkflowText(' \n'))).toEqual([
      { code: 'document-empty', line: 1, column: 1 },
    ]);
    expect(problemsOf(parseWorkflowText('['.repeat(100_000)))).toEqual([
      { code: 'document-too-deep', line: 1, column: 1 },
    ]);
    const deepButClosed = `${'['.repeat(300)}${']'.repeat(300)}`;
    expect(problemsOf(parseWorkflowText(deepButClosed))[0]?.code).toBe('document-too-deep');
  });

  it('never throws, whatever the bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const result = parseWorkflowText(bytes);
        if (!result.ok) expect(result.problems.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        parseWorkflowText(text);
      }),
      { numRuns: 500 },
    );
  });
});
