import { describe, expect, it } from 'vitest';
import { sampleTasks, schemaProblemsOf } from '../../test/support/schemaDocuments.js';
import { ctkScenarios } from '../../test/support/ctkFeatures.js';
import { parseWorkflowText } from '../parse/parseWorkflowText.js';
import { schemaValidators } from './schemaValidators.js';
import { validateAgainstSchema } from './validateAgainstSchema.js';

const problemsOf = schemaProblemsOf;
const tasks = sampleTasks;

describe('validateAgainstSchema', () => {
  describe('accepts every workflow of the CTK', () => {
    const workflows = ctkScenarios().map((s) => ({
      name: `${s.feature}: ${s.scenario}`,
      yaml: s.workflow,
    }));

    it('finds the CTK workflows in ../shared', () => {
      expect(workflows.length).toBeGreaterThanOrEqual(21);
    });

    it.each(workflows)('$name', ({ yaml }) => {
      expect(problemsOf(yaml)).toEqual([]);
    });
  });

  it('gives one problem for a document that is a list, not a mapping', () => {
    expect(problemsOf('- document: {}\n- do: []\n')).toEqual([
      {
        severity: 'error',
        code: 'schema-type',
        message:
          "the workflow must be an object with 'document' and 'do' at its top level, not a list",
        path: '',
        line: 1,
        column: 1,
      },
    ]);
  });

  it('gives one problem for a document that is a single string', () => {
    expect(problemsOf('just some text\n')).toEqual([
      expect.objectContaining({
        code: 'schema-type',
        message: expect.stringContaining('not a string'),
      }),
    ]);
  });

  it('reduces the errors ajv reports for every alternative of a oneOf to the one that was meant', () => {
    const yaml = tasks(`
  - checkStock:
      call: http
      with:
        method: get
`);
    const parsed = parseWorkflowText(yaml);
    if (!parsed.ok) throw new Error('does not parse');
    expect(schemaValidators().validateDocument(parsed.document.value).length).toBeGreaterThan(20);
    expect(validateAgainstSchema(parsed.document)).toHaveLength(1);
  });

  it('reports the same problems in the same order, sorted by position, each once', () => {
    const yaml = tasks(`
  - route:
      switch:
        - large: {}
  - checkStock:
      call: http
      with:
        methd: get
        endpoint: shop.example.com
      timeout: 30
  - pause:
      wait: { minute: 5 }
  - reset:
      set: {}
      then: 7
  - guard:
      try:
        - inner:
            cal: http
`);
    const first = problemsOf(yaml);
    expect(problemsOf(yaml)).toEqual(first);
    expect(first.map(({ code }) => code)).toEqual([
      'schema-required',
      'schema-unknown-property',
      'schema-invalid',
      'schema-invalid',
      'schema-unknown-property',
      'schema-min-properties',
      'schema-invalid',
      'schema-required',
      'schema-task-type',
      'schema-unknown-property',
    ]);
    const positions = first.map(({ line, column }) => line * 10_000 + column);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    const distinct = new Set(first.map((problem) => JSON.stringify(problem)));
    expect(distinct.size).toBe(first.length);
  });
});
