import fc from 'fast-check';
import { dump } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { parseWorkflowText } from '../parse/parseWorkflowText.js';
import { checkSemantics, prepareSemanticChecks } from './checkSemantics.js';

const header = "document: {dsl: '1.0.0', namespace: ns, name: wf, version: '1.0.0'}\n";

function documentOf(text: string) {
  const parsed = parseWorkflowText(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.document;
}

/** A workflow of `groups` × 10 tasks, an expression in most, like an agent would write. */
function largeWorkflow(groups: number, salt = ''): string {
  const tasks = Array.from({ length: groups }, (_, g) => ({
    [`guard${g}`]: {
      try: [
        {
          [`fetch${g}`]: {
            call: 'http',
            with: {
              method: 'get',
              endpoint: { uri: `https://api.example.com/orders/{orderId}/${g}` },
            },
            output: { as: `\${ .lines${salt} | map(select(.qty > ${g})) }` },
          },
        },
        {
          [`decide${g}`]: {
            switch: [
              { enough: { when: `\${ .available${salt} >= ${g} }`, then: `each${g}` } },
              { short: { then: `pause${g}` } },
            ],
          },
        },
        { [`pause${g}`]: { wait: { seconds: 5 } } },
        {
          [`each${g}`]: {
            for: { each: 'line', in: '${ .lines }', at: 'i' },
            do: [{ [`mark${g}`]: { set: { marked: `\${ $line.sku${salt} + ($i | tostring) }` } } }],
          },
        },
        { [`total${g}`]: { set: { total: `\${ [.lines[].price${salt}] | add + ${g} }` } } },
        { [`notify${g}`]: { if: `\${ .total${salt} > ${g} }`, set: { notified: true } } },
        { [`last${g}`]: { wait: 'PT1S' } },
      ],
      catch: { as: 'failure', do: [{ [`log${g}`]: { set: { error: '${ $failure }' } } }] },
    },
  }));
  return header + dump({ do: tasks });
}

describe('checkSemantics', () => {
  it('runs every rule family and sorts the problems by line, column and code', async () => {
    const problems = await checkSemantics(
      documentOf(`${header}schedule: {cron: '* * *'}
do:
  - a: {set: {x: '\${ .a | }'}, then: c}
  - a: {wait: PT0S}
  - b: {run: {shell: {command: ls}}, then: b}
`),
    );
    expect(
      problems.map(({ code, severity, line, column }) => [code, severity, line, column]),
    ).toEqual([
      ['cron-invalid', 'error', 2, 18],
      ['expression-invalid', 'error', 4, 18],
      ['then-target-missing', 'error', 4, 38],
      ['task-name-duplicate', 'error', 5, 5],
      ['duration-invalid', 'warning', 5, 15],
      ['feature-unsupported', 'error', 6, 15],
      ['flow-loop-without-exit', 'warning', 6, 44],
    ]);
  });

  it('reports a switch with two default cases', async () => {
    const problems = await checkSemantics(
      documentOf(`${header}do:
  - s:
      switch:
        - a: {then: one}
        - b: {then: two}
  - one: {set: {x: 1}, then: end}
  - two: {set: {x: 2}}
`),
    );
    expect(problems.map(({ code, line, column }) => [code, line, column])).toEqual([
      ['switch-default-duplicate', 6, 11],
    ]);
  });

  it('keeps every message short when the names in a document are 20,000 characters long', async () => {
    const long = (c: string) => c.repeat(20_000);
    const problems = await checkSemantics(
      documentOf(`${header}use:
  secrets: [${long('s')}]
do:
  - ${long('a')}: {set: {x: 1}, then: end}
  - ${long('a')}: {set: {x: 1}}
  - b: {call: http, with: {method: ${long('m')}, endpoint: 'https://x.com'}}
  - c: {call: ${long('f')}, then: ${long('g')}}
  - d: {wait: ${long('P')}}
  - e: {set: {x: '\${ $secrets.${long('t')} }'}}
  - f: {set: {x: 1}, timeout: ${long('o')}}
  - g: {call: http, with: {method: get, endpoint: 'https://u:${long('p')}@x.com/{${long('v')} }'}}
`),
    );
    expect(new Set(problems.map((p) => p.code))).toEqual(
      new Set([
        'task-name-duplicate',
        'task-unreachable',
        'http-method-invalid',
        'reference-unresolved',
        'then-target-missing',
        'duration-invalid',
        'secret-outside-input-from',
        'uri-template-invalid',
      ]),
    );
    for (const problem of problems) expect(problem.message.length).toBeLessThan(1_000);
    expect(problems.some((p) => p.message.includes('ppp'))).toBe(false);
  });

  it('uses the platform options for run and call support', async () => {
    const document = documentOf(`${header}do:
  - a: {run: {shell: {command: ls}}}
  - b: {call: grpc, with: {proto: {endpoint: 'https://x.com/p'}, service: {name: s, host: h}, method: m}}
`);
    expect((await checkSemantics(document)).map((p) => p.code)).toEqual([
      'feature-unsupported',
      'feature-unsupported',
    ]);
    expect(
      await checkSemantics(document, { allowedRunKinds: ['shell'], supportedCallKinds: ['grpc'] }),
    ).toEqual([]);
  });

  it('does not compile expressions written for another language', async () => {
    const problems = await checkSemantics(
      documentOf(`${header}evaluate: {language: javascript}
do:
  - a: {set: {x: '\${ this is not jq }'}}
`),
    );
    expect(problems.map((p) => p.code)).toEqual(['feature-unsupported']);
  });

  it('can load jq ahead of the first check', async () => {
    await expect(prepareSemanticChecks()).resolves.toBeUndefined();
  });

  it('checks a 500-task workflow without errors, the same way twice', async () => {
    const document = documentOf(largeWorkflow(50));
    const first = await checkSemantics(document);
    expect(first).toEqual([]);
    expect(await checkSemantics(document)).toEqual(first);
  });

  it('never throws and places every problem in the text, whatever the value (property)', async () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom(
          null,
          true,
          1,
          'continue',
          'end',
          '${ .a }',
          '${ $x | }',
          'PT0S',
          '* *',
          'https://x/{a',
        ),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(
          fc.constantFrom(
            'do',
            'then',
            'if',
            'call',
            'set',
            'switch',
            'for',
            'try',
            'catch',
            'use',
            'with',
            'wait',
            'a',
          ),
          tie('value'),
          { maxKeys: 4 },
        ),
      ),
    })).value;
    await fc.assert(
      fc.asyncProperty(json, async (value) => {
        const text = dump({ document: { dsl: '1.0.0' }, do: value, use: value });
        const parsed = parseWorkflowText(text);
        if (!parsed.ok) return;
        const lines = text.split('\n').length;
        for (const problem of await checkSemantics(parsed.document)) {
          expect(problem.line).toBeGreaterThanOrEqual(1);
          expect(problem.line).toBeLessThanOrEqual(lines);
          expect(problem.code).toMatch(/^[a-z]+(-[a-z]+)*$/);
        }
      }),
      { numRuns: 200 },
    );
  }, 60_000);
});
