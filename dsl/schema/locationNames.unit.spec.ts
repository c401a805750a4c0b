import { describe, expect, it } from 'vitest';
import { dottedPath, nameLocation, subjectOf } from './locationNames.js';

const workflow = {
  document: { dsl: '1.0.0' },
  use: {
    functions: { getStock: { call: 'http', with: {} } },
    extensions: [{ audit: { extend: 'call', before: [{ log: { set: { a: 1 } } }] } }],
  },
  do: [
    { route: { switch: [{ large: { when: '${ .big }', then: 'end' } }] } },
    {
      guard: {
        try: [{ inner: { call: 'http', with: { endpoint: { uri: 'x' } } } }],
        catch: { do: [{ recover: { set: { ok: true } } }] },
      },
    },
    { race: { fork: { branches: [{ fast: { wait: 'PT1S' } }] } } },
    { each: { for: { in: '${ .items }' }, do: [{ mark: { set: { m: 1 } } }] } },
  ],
};

const named = (...path: (string | number)[]) => subjectOf(nameLocation(path, workflow));

describe('nameLocation', () => {
  it('names tasks by name, wherever their list is', () => {
    expect(named('do', 1, 'guard')).toBe("task 'guard'");
    expect(named('do', 1, 'guard', 'try', 0, 'inner', 'with', 'endpoint', 'uri')).toBe(
      "task 'inner': 'with.endpoint.uri'",
    );
    expect(named('do', 1, 'guard', 'catch', 'do', 0, 'recover', 'set')).toBe(
      "task 'recover': 'set'",
    );
    expect(named('do', 2, 'race', 'fork', 'branches', 0, 'fast', 'wait')).toBe(
      "task 'fast': 'wait'",
    );
    expect(named('do', 3, 'each', 'do', 0, 'mark')).toBe("task 'mark'");
  });

  it('names switch cases within their task', () => {
    expect(named('do', 0, 'route', 'switch', 0, 'large', 'when')).toBe(
      "task 'route' case 'large': 'when'",
    );
  });

  it('names reusable definitions by their section in use', () => {
    expect(named('use', 'functions', 'getStock', 'with')).toBe("use.functions 'getStock': 'with'");
    expect(named('use', 'extensions', 0, 'audit', 'extend')).toBe(
      "use.extensions 'audit': 'extend'",
    );
    expect(named('use', 'extensions', 0, 'audit', 'before', 0, 'log')).toBe("task 'log'");
  });

  it('names top-level sections, and the workflow itself', () => {
    expect(named('document', 'dsl')).toBe("document: 'dsl'");
    expect(named('do')).toBe("the workflow: 'do'");
    expect(named()).toBe('the workflow');
  });

  it('keeps a list item that is not a task in the path', () => {
    expect(named('do', 5)).toBe("the workflow: 'do[5]'");
  });
});

describe('dottedPath', () => {
  it('joins names with dots and indexes with brackets', () => {
    expect(dottedPath(['with', 'arguments', 0, 'name'])).toBe('with.arguments[0].name');
  });
});
