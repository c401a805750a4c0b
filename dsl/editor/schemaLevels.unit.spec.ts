import { describe, expect, it } from 'vitest';
import { workflowJsonSchema } from '../schema/workflowSchema.js';
import { keysOf, schemaLevels, valuesOf } from './schemaLevels.js';

const taskPath = ['do', 0, 'a'];
const taskKeys = (task: Record<string, unknown>) =>
  keysOf(schemaLevels(workflowJsonSchema(), taskPath, { do: [{ a: task }] }).at(-1) ?? [])
    .map(({ key }) => key)
    .sort();

describe('schemaLevels', () => {
  it('follows $ref and allOf down to the properties of a level', () => {
    const levels = schemaLevels(workflowJsonSchema(), ['document'], {});
    expect(keysOf(levels[1] ?? []).map(({ key }) => key)).toContain('namespace');
  });

  it('keeps only the branch whose const matches the value present', () => {
    expect(taskKeys({ call: 'grpc' })).toEqual(
      ['call', 'export', 'if', 'input', 'metadata', 'output', 'then', 'timeout', 'with'].sort(),
    );
    const withLevel = schemaLevels(workflowJsonSchema(), [...taskPath, 'with'], {
      do: [{ a: { call: 'grpc', with: {} } }],
    }).at(-1);
    expect(keysOf(withLevel ?? []).map(({ key }) => key)).toEqual([
      'proto',
      'service',
      'method',
      'arguments',
    ]);
  });

  it('rules out a branch whose `not: enum` holds the value', () => {
    // `call: http` must not also select CallFunction, whose `with` is free-form.
    const withLevel = schemaLevels(workflowJsonSchema(), [...taskPath, 'with'], {
      do: [{ a: { call: 'http', with: {} } }],
    }).at(-1);
    expect(withLevel?.some(({ schema }) => schema.additionalProperties === true)).toBe(false);
  });

  it('prefers the branches that declare the keys present, tolerating a stray one', () => {
    expect(taskKeys({ do: [] })).toEqual(expect.arrayContaining(['do', 'for', 'while']));
    expect(taskKeys({ do: [] })).not.toContain('call');
    // A typo does not erase the task's own keys.
    expect(taskKeys({ wait: 'PT1S', metdata: {} })).toContain('wait');
    expect(taskKeys({ wait: 'PT1S', metdata: {} })).not.toContain('call');
  });

  it('lists const, enum and boolean values', () => {
    const levels = schemaLevels(workflowJsonSchema(), [...taskPath, 'call'], {
      do: [{ a: { call: null } }],
    });
    expect(valuesOf(levels.at(-1) ?? []).map(({ value }) => value)).toEqual([
      'asyncapi',
      'grpc',
      'http',
      'openapi',
      'a2a',
      'mcp',
    ]);
  });
});
