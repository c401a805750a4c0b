import { describe, expect, it } from 'vitest';
import type { WorkflowDefinition } from '../model/workflowModel.js';
import { parseWorkflowText } from '../parse/parseWorkflowText.js';
import { diffWorkflows } from './diffWorkflows.js';
import type { WorkflowDiff } from './diffWorkflows.js';

const header = 'document: {dsl: 1.0.0, namespace: orders, name: intake, version: 1.0.0}\n';

/** A workflow from YAML; `tasks` is the body of the top-level `do`. */
function workflow(tasks: string, extra = ''): WorkflowDefinition {
  const result = parseWorkflowText(`${header}${extra}do:\n${tasks}`);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.document.value as WorkflowDefinition;
}

/** The changes without their sentences, for exact comparisons. */
const summary = (diff: WorkflowDiff) =>
  diff.changes.map(({ kind, path, task, compatibility }) => ({ kind, path, task, compatibility }));

describe('diffWorkflows on task configuration', () => {
  const diffOf = (before: string, after: string) =>
    diffWorkflows(workflow(before), workflow(after));

  it('treats a changed then as a compatible flow change', () => {
    const diff = diffOf(
      '  - a: {set: {x: 1}}\n  - b: {set: {y: 1}}\n  - c: {set: {z: 1}}\n',
      '  - a: {set: {x: 1}, then: c}\n  - b: {set: {y: 1}}\n  - c: {set: {z: 1}}\n',
    );
    expect(summary(diff)).toEqual([
      { kind: 'flow-changed', path: '/do/0/a/then', task: 'a', compatibility: 'compatible' },
    ]);
    expect(diff.changes[0]?.reason).toMatch(/now continues to 'c' instead of 'the next task'/);
  });

  it('says executions already waiting keep their timer when a wait changes', () => {
    const diff = diffOf('  - pause: {wait: PT1H}\n', '  - pause: {wait: PT2H}\n');
    expect(summary(diff)).toEqual([
      { kind: 'task-changed', path: '/do/0/pause', task: 'pause', compatibility: 'compatible' },
    ]);
    expect(diff.changes[0]?.reason).toMatch(/executions already waiting keep the timer they set/);
  });

  it('breaks on an output.as that no longer produces a key, not on one that adds a key', () => {
    const call = (as: string) =>
      `  - quote: {call: http, with: {method: get, endpoint: 'https://x.example.com'}, output: {as: ${as}}}\n`;
    const dropped = diffOf(
      call("{price: '${ .price }', currency: EUR}"),
      call("{price: '${ .price }'}"),
    );
    expect(summary(dropped)).toEqual([
      {
        kind: 'output-shape-changed',
        path: '/do/0/quote/output/as',
        task: 'quote',
        compatibility: 'breaking',
      },
    ]);
    expect(dropped.changes[0]?.reason).toMatch(/no longer produces 'currency'/);
    const added = diffOf(
      call("{price: '${ .price }'}"),
      call("{price: '${ .amount }', currency: EUR}"),
    );
    expect(added.breaking).toBe(false);
    expect(added.changes[0]?.reason).toMatch(
      /now also 'currency'; AWP assumes rewritten expressions keep their result types/,
    );
  });

  it('breaks on a whole-expression output.as or export.as it cannot see into', () => {
    const diff = diffOf(
      "  - a: {set: {x: 1}, output: {as: '${ .x }'}, export: {as: '$context + .'}}\n",
      "  - a: {set: {x: 1}, output: {as: '${ .x + 1 }'}, export: {as: '.'}}\n",
    );
    expect(summary(diff)).toEqual([
      {
        kind: 'output-shape-changed',
        path: '/do/0/a/export/as',
        task: 'a',
        compatibility: 'breaking',
      },
      {
        kind: 'output-shape-changed',
        path: '/do/0/a/output/as',
        task: 'a',
        compatibility: 'breaking',
      },
    ]);
  });

  it('lets output.as change behind a declared output schema that still holds', () => {
    const task = (as: string) => `
  - quote:
      call: http
      with: {method: get, endpoint: 'https://x.example.com'}
      output:
        as: '${as}'
        schema: {format: json, document: {type: object, required: [price]}}
`;
    const diff = diffOf(task('${ {price: .p} }'), task('${ {price: .price} }'));
    expect(summary(diff)).toEqual([
      {
        kind: 'output-shape-changed',
        path: '/do/0/quote/output/as',
        task: 'quote',
        compatibility: 'compatible',
      },
    ]);
    expect(diff.changes[0]?.reason).toMatch(/declared output schema still holds/);
  });

  it('classifies a set task by the keys it produces', () => {
    expect(diffOf('  - a: {set: {x: 1, y: 2}}\n', '  - a: {set: {x: 5, y: 2}}\n').breaking).toBe(
      false,
    );
    expect(diffOf('  - a: {set: {x: 1, y: 2}}\n', '  - a: {set: {x: 1}}\n').breaking).toBe(true);
    expect(diffOf('  - a: {set: {x: 1}}\n', "  - a: {set: {x: '1'}}\n").changes[0]?.reason).toMatch(
      /the type of 'x \(number → string\)' changed/,
    );
  });

  it('reads keys named like Object members as the keys they are', () => {
    const dropped = diffOf(
      "  - a: {set: {x: 1}, output: {as: {x: 1, toString: '${ .s }'}}}\n",
      '  - a: {set: {x: 1}, output: {as: {x: 1}}}\n',
    );
    expect(dropped.changes[0]?.reason).toMatch(/it no longer produces 'toString'/);
    const added = diffOf('  - a: {set: {x: 1}}\n', '  - a: {set: {x: 1, constructor: 2}}\n');
    expect(added.breaking).toBe(false);
    expect(added.changes[0]?.reason).toMatch(/now also 'constructor'/);
  });

  it('breaks when a fork switches between one winner and every branch', () => {
    const fork = (compete: boolean) =>
      `  - race: {fork: {compete: ${compete}, branches: [{a: {set: {x: 1}}}]}}\n`;
    expect(summary(diffOf(fork(false), fork(true)))).toEqual([
      {
        kind: 'output-shape-changed',
        path: '/do/0/race/fork/compete',
        task: 'race',
        compatibility: 'breaking',
      },
    ]);
  });

  it('classifies task schemas like the workflow ones: narrowed input and widened output break', () => {
    const task = (required: string, status: string) => `
  - quote:
      call: http
      with: {method: get, endpoint: 'https://x.example.com'}
      input: {schema: {format: json, document: {type: object, required: [${required}]}}}
      output: {schema: {format: json, document: {type: object, properties: {status: {enum: [${status}]}}}}}
`;
    const diff = diffOf(task('sku', 'ok'), task('sku, qty', 'ok, partial'));
    expect(summary(diff)).toEqual([
      {
        kind: 'input-schema-changed',
        path: '/do/0/quote/input/schema/document/required',
        task: 'quote',
        compatibility: 'breaking',
      },
      {
        kind: 'output-schema-changed',
        path: '/do/0/quote/output/schema/document/properties/status/enum',
        task: 'quote',
        compatibility: 'breaking',
      },
    ]);
    expect(diff.changes[0]?.reason).toMatch(
      /'qty' is now required; an execution that reaches it with data the old schema accepted/,
    );
    expect(diff.changes[1]?.reason).toMatch(
      /now also accepts 'partial'; the tasks after it may receive output/,
    );
  });
});
