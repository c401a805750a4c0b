import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { completionsAt } from './completionsAt.js';
import type { Completion } from './completionsAt.js';

/** `‸` marks the cursor (a character no workflow here holds; `|` is YAML's block scalar). */
function at(marked: string): Completion[] {
  const offset = marked.indexOf('‸');
  if (offset < 0) throw new Error('the text has no cursor mark');
  const before = marked.slice(0, offset).split('\n');
  const position = { line: before.length, column: (before.at(-1) as string).length + 1 };
  return completionsAt(marked.replace('‸', ''), position);
}

const labels = (marked: string) => at(marked).map((completion) => completion.label);
const sorted = (marked: string) => labels(marked).sort();

const header = `document:
  dsl: '1.0.0'
  namespace: orders
  name: intake
  version: '1.0.0'
use:
  functions:
    checkInventory:
      call: http
      with:
        method: get
        endpoint: https://inventory.example.com/items
  timeouts:
    short:
      after: PT5S
`;

const taskBaseKeys = ['if', 'input', 'output', 'export', 'timeout', 'then', 'metadata'];
const taskKindKeys = [
  'call',
  'do',
  'emit',
  'for',
  'fork',
  'listen',
  'raise',
  'run',
  'set',
  'switch',
  'try',
  'wait',
];

describe('completionsAt: keys', () => {
  it('offers every top-level key in an empty document', () => {
    expect(labels('‸')).toEqual([
      'document',
      'input',
      'use',
      'do',
      'timeout',
      'output',
      'schedule',
    ]);
  });

  it('offers the top-level keys not yet present', () => {
    expect(sorted(`${header}‸\ndo:\n  - pause:\n      wait: PT1S\n`)).toEqual([
      'input',
      'output',
      'schedule',
      'timeout',
    ]);
  });

  it('offers the header fields inside document:, minus those written', () => {
    expect(sorted(`document:\n  dsl: '1.0.0'\n  name: intake\n  ‸\ndo: []\n`)).toEqual([
      'metadata',
      'namespace',
      'summary',
      'tags',
      'title',
      'version',
    ]);
  });

  it('offers the task kinds, and only them, in a task with no kind yet', () => {
    const found = at(`${header}do:\n  - checkStock:\n      ‸\n`);
    expect(found.map((completion) => completion.label).sort()).toEqual(taskKindKeys);
    expect(found.every((completion) => completion.kind === 'task')).toBe(true);
    expect(found.find((completion) => completion.label === 'wait')).toMatchObject({
      detail: 'Allows workflows to pause or delay their execution for a specified period of time.',
      insertText: 'wait: ',
    });
  });

  it('offers the keys of an HTTP call on an empty line inside the task', () => {
    const marked = `${header}do:\n  - checkStock:\n      call: http\n      ‸\n      then: end\n`;
    expect(sorted(marked)).toEqual(
      [...taskBaseKeys.filter((key) => key !== 'then'), 'with'].sort(),
    );
    expect(at(marked).find((completion) => completion.label === 'with')).toEqual({
      label: 'with',
      kind: 'key',
      detail: 'The HTTP call arguments.',
      insertText: 'with: ',
    });
  });

  it('offers the HTTP arguments inside with:', () => {
    const marked = `${header}do:\n  - checkStock:\n      call: http\n      with:\n        ‸\n`;
    expect(sorted(marked)).toEqual(
      ['method', 'endpoint', 'headers', 'body', 'query', 'output', 'redirect'].sort(),
    );
  });

  it('completes a half-typed key from what is typed so far', () => {
    expect(labels(`${header}do:\n  - checkStock:\n      call: http\n      wi‸\n`)).toEqual([
      'with',
    ]);
    expect(sorted(`${header}do:\n  - checkStock:\n      call: http\n      e‸\n`)).toEqual([
      'export',
    ]);
  });

  it('treats the key under the cursor as being rewritten, not as present', () => {
    const marked = `do:\n  - checkStock:\n      call: http\n      wi‸th:\n        method: get\n`;
    expect(labels(marked)).toEqual(['with']);
  });

  it('picks the branch of a call to a declared function', () => {
    const marked = `${header}do:\n  - reserve:\n      call: checkInventory\n      ‸\n`;
    expect(sorted(marked)).toEqual([...taskBaseKeys, 'with'].sort());
  });

  it('offers the keys of the task kind once it is known', () => {
    expect(sorted(`do:\n  - each:\n      for:\n        in: .items\n      ‸\n`)).toEqual(
      [...taskBaseKeys, 'while', 'do'].sort(),
    );
    expect(sorted(`do:\n  - each:\n      for:\n        ‸\n`)).toEqual(['at', 'each', 'in']);
    expect(sorted(`do:\n  - guarded:\n      try: []\n      ‸\n`)).toEqual(
      [...taskBaseKeys, 'catch'].sort(),
    );
  });

  it('keeps the branches of a choice that fit what is written', () => {
    expect(sorted(`do:\n  - a:\n      listen:\n        to:\n          ‸\n`)).toEqual([
      'all',
      'any',
      'one',
      'until',
    ]);
    expect(
      labels(`do:\n  - a:\n      listen:\n        to:\n          any: []\n          ‸\n`),
    ).toEqual(['until']);
    expect(
      sorted(`do:\n  - a:\n      run:\n        shell:\n          command: ls\n        ‸\n`),
    ).toEqual(['await', 'return']);
  });

  it('offers task keys in a function declared under use.functions', () => {
    expect(sorted(`use:\n  functions:\n    greet:\n      ‸\ndo: []\n`)).toEqual(taskKindKeys);
  });

  it('still finds its way in a broken document', () => {
    const broken = [
      'document:',
      "  dsl: '1.0.0",
      '  name: [unclosed',
      'do:',
      '  - first:',
      '\tcall: tab-indented',
      '  - second:',
      '      call: http',
      '      with:',
      '        method: get',
      '        ‸',
      '  - third:',
      '      call: ',
    ].join('\n');
    expect(sorted(broken)).toEqual(
      ['endpoint', 'headers', 'body', 'query', 'output', 'redirect'].sort(),
    );
  });

  it('works with compact sequences, a dash alone on its line, and CRLF line ends', () => {
    expect(sorted(`do:\n- a:\n    call: http\n    ‸\n`)).toEqual([...taskBaseKeys, 'with'].sort());
    expect(sorted(`do:\n  -\n    a:\n      wait: PT1S\n      ‸\n`)).toEqual(taskBaseKeys.sort());
    expect(sorted(`do:\r\n  - a:\r\n      call: http\r\n      ‸\r\n      with: {}\r\n`)).toEqual(
      taskBaseKeys.sort(),
    );
  });
});

describe('completionsAt: values', () => {
  it('offers the call kinds and the functions declared in use.functions after call:', () => {
    const found = at(`${header}do:\n  - checkStock:\n      call: ‸\n`);
    expect(found.map((completion) => completion.label)).toEqual([
      'asyncapi',
      'grpc',
      'http',
      'openapi',
      'a2a',
      'mcp',
      'checkInventory',
    ]);
    expect(found.every((completion) => completion.kind === 'value')).toBe(true);
    expect(found.find((completion) => completion.label === 'http')?.detail).toBe(
      'Defines the HTTP call to perform.',
    );
  });

  it('offers the flow keywords and the other tasks of the same list after then:', () => {
    const marked = `${header}do:
  - checkStock:
      call: http
      then: ‸
  - reserve:
      call: checkInventory
  - notify:
      do:
        - nested:
            wait: PT1S
`;
    expect(labels(marked)).toEqual(['continue', 'exit', 'end', 'reserve', 'notify']);
  });

  it('offers the tasks around a switch, not its cases, after a case then:', () => {
    const marked = `do:
  - route:
      switch:
        - small:
            when: .size < 10
            then: ‸
        - default:
            then: end
  - big:
      wait: PT1S
`;
    expect(labels(marked)).toEqual(['continue', 'exit', 'end', 'big']);
  });

  it('filters values by what is typed, inside quotes too', () => {
    const marked = `do:\n  - a:\n      then: "b‸\n  - b1:\n      wait: PT1S\n  - c:\n      wait: PT1S\n`;
    expect(labels(marked)).toEqual(['b1']);
    expect(labels(`do:\n  - a:\n      call: ht‸\n`)).toEqual(['http']);
  });

  it('offers common HTTP methods, the schema listing none', () => {
    const marked = `do:\n  - a:\n      call: http\n      with:\n        method: ‸\n`;
    expect(labels(marked)).toEqual(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);
  });

  it("offers the schema's enumeration where it has one", () => {
    expect(
      labels(`do:\n  - a:\n      listen:\n        to:\n          one: {}\n        read: ‸\n`),
    ).toEqual(['data', 'envelope', 'raw']);
    expect(labels(`do:\n  - a:\n      call: http\n      with:\n        output: ‸\n`)).toEqual([
      'raw',
      'content',
      'response',
    ]);
    expect(labels(`do:\n  - a:\n      call: http\n      with:\n        redirect: ‸\n`)).toEqual([
      'true',
      'false',
    ]);
  });

  it('offers the names declared in use for a reference', () => {
    expect(labels(`${header}do:\n  - a:\n      wait: PT1S\n      timeout: ‸\n`)).toEqual(['short']);
  });

  it('quotes a value YAML would otherwise read as something else', () => {
    const marked = `do:\n  - a:\n      then: ‸\n  - '123':\n      wait: PT1S\n`;
    expect(at(marked).find((completion) => completion.label === '123')).toMatchObject({
      insertText: '"123"',
    });
  });
});

describe('completionsAt: nothing to offer', () => {
  it('returns nothing in a comment, a block scalar, a flow document or past the end', () => {
    expect(at(`do:\n  - a:\n      # ca‸\n`)).toEqual([]);
    expect(
      at(`do:\n  - a:\n      run:\n        shell:\n          command: |\n            ec‸\n`),
    ).toEqual([]);
    expect(at(`{"document": {"dsl": "1.0.0"}, "do": [{"a": {‸}}]}`)).toEqual([]);
    expect(completionsAt('do: []\n', { line: 9, column: 1 })).toEqual([]);
    expect(completionsAt('do: []\n', { line: 0, column: 0 })).toEqual([]);
  });

  it('never throws, whatever the text and position', () => {
    const yamlish = fc.stringMatching(/^[a-z:\- \n"'#|{}[\]\t]{0,80}$/);
    fc.assert(
      fc.property(
        yamlish,
        fc.integer({ min: -2, max: 12 }),
        fc.integer({ min: -2, max: 40 }),
        (text, line, column) => {
          const found = completionsAt(text, { line, column });
          expect(Array.isArray(found)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('completionsAt on a large workflow', () => {
  // Its speed is measured by `npm run bench -- dsl`, not here.
  it('offers every sibling task of a 500-task workflow after then:', () => {
    let text = `${header}do:\n`;
    for (let i = 0; i < 500; i++) {
      text += `  - task${i}:\n      call: http\n      with:\n        method: get\n        endpoint:\n          uri: https://example.com/items/${i}\n      output:\n        as: .data\n      then: task${i + 1}\n`;
    }
    const lastThen = { line: text.split('\n').length - 1, column: 13 };
    const labels = completionsAt(text, lastThen).map((c) => c.label);
    expect(labels).toHaveLength(502);
    expect(labels).toEqual(expect.arrayContaining(['continue', 'exit', 'end', 'task0', 'task498']));
  });
});
