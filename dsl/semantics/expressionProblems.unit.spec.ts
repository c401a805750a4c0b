import { describe, expect, it } from 'vitest';
import { parseWorkflowText } from '../parse/parseWorkflowText.js';
import { createExpressionCompiler } from './expressionCompiler.js';
import { checkExpressions } from './expressionProblems.js';
import { expressionSitesOf } from './expressionSites.js';
import { createWasmJqEngine } from './jqEngine.js';
import { semanticInputOf } from './semanticInput.js';

const header = "document: {dsl: '1.0.0', namespace: ns, name: wf, version: '1.0.0'}\n";
const compiler = createExpressionCompiler({ engine: createWasmJqEngine() });

async function check(yaml: string) {
  const parsed = parseWorkflowText(header + yaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const input = semanticInputOf(parsed.document);
  return checkExpressions(input, expressionSitesOf(input), compiler);
}

describe('checkExpressions', () => {
  it('accepts expressions that use the arguments and the variables in scope', async () => {
    expect(
      await check(`do:
  - loop:
      for: {each: color, in: .colors}
      do:
        - mark:
            set:
              processed: '\${ { colors: (.processed.colors + [ $color ]), indexes: (.processed.indexes + [ $index ])} }'
  - guard:
      try: [{a: {set: {x: '\${ $task.name + $workflow.id + $runtime.name + ($context | tostring) }'}}}]
      catch:
        as: err
        do: [{b: {set: {error: '\${ $err }'}}}]
  - out: {set: {x: 1}, output: {as: '{ ids: [ $input, .id ] }'}, export: {as: '$context + { last: $output }'}}
`),
    ).toEqual([]);
  });

  it('reports a syntax error at the expression, without jq wrapper text', async () => {
    const problems = await check(`do:
  - a: {set: {x: '\${ .a | }'}}
`);
    expect(problems).toEqual([
      {
        severity: 'error',
        code: 'expression-invalid',
        message: "expression '.a |' does not compile: syntax error, unexpected end of file",
        path: '/do/0/a/set/x',
        line: 3,
        column: 18,
      },
    ]);
  });

  it('reports a variable that is not in scope, and a function jq does not have', async () => {
    const problems = await check(`do:
  - loop:
      for: {each: pet, in: .pets}
      do: [{a: {set: {x: '\${ $item }'}}}]
  - b: {if: 'trim(.name) == ""', set: {x: 1}}
`);
    expect(problems.map(({ line, column, message }) => ({ line, column, message }))).toEqual([
      {
        line: 5,
        column: 26,
        message:
          "expression '$item' does not compile: $item is not defined (variables here: $context, $input, $output, $secrets, $authorization, $task, $workflow, $runtime, $index, $pet)",
      },
      {
        line: 6,
        column: 13,
        message: 'expression \'trim(.name) == ""\' does not compile: trim/1 is not defined',
      },
    ]);
  });

  it('reports an empty expression', async () => {
    const problems = await check(`do:
  - a: {set: {x: '\${ }'}}
`);
    expect(problems.map((p) => [p.code, p.message])).toEqual([
      ['expression-invalid', 'the runtime expression is empty'],
    ]);
  });

  it('names the line of a multi-line expression', async () => {
    const problems = await check(`do:
  - a:
      set: |-
        \${
          .a
          | $nope
        }
`);
    expect(problems[0]?.message).toContain('$nope is not defined (line 3 of the expression)');
  });
});
