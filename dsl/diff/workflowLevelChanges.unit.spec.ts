import { describe, expect, it } from 'vitest';
import type { WorkflowDefinition } from '../model/workflowModel.js';
import { parseWorkflowText } from '../parse/parseWorkflowText.js';
import { diffWorkflows } from './diffWorkflows.js';
import type { WorkflowDiff } from './diffWorkflows.js';

function workflow(text: string): WorkflowDefinition {
  const result = parseWorkflowText(text);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.document.value as WorkflowDefinition;
}

const summary = (diff: WorkflowDiff) =>
  diff.changes.map(({ kind, path, compatibility }) => ({ kind, path, compatibility }));

const base = `document: {dsl: 1.0.0, namespace: orders, name: intake, version: 1.0.0}
do:
  - a: {set: {x: 1}}
`;

const diffOf = (before: string, after: string) => diffWorkflows(workflow(before), workflow(after));

describe('document changes', () => {
  it('breaks on a new name or namespace: it is another workflow', () => {
    const renamed = diffOf(base, base.replace('name: intake', 'name: order-intake'));
    expect(summary(renamed)).toEqual([
      { kind: 'document-changed', path: '/document/name', compatibility: 'breaking' },
    ]);
    expect(renamed.changes[0]?.reason).toMatch(/this is a different workflow/);
    expect(diffOf(base, base.replace('namespace: orders', 'namespace: sales')).breaking).toBe(true);
  });

  it('lets the version, title and tags change', () => {
    const after = base
      .replace('version: 1.0.0', 'version: 1.1.0, title: Order intake, tags: {team: sales}')
      .replace('dsl: 1.0.0', 'dsl: 1.0.3');
    const diff = diffOf(base, after);
    expect(diff.breaking).toBe(false);
    expect(diff.changes.map((c) => c.path)).toEqual([
      '/document/dsl',
      '/document/tags',
      '/document/title',
      '/document/version',
    ]);
  });

  it('breaks on a new major edition of the DSL', () => {
    expect(diffOf(base, base.replace('dsl: 1.0.0', 'dsl: 2.0.0')).breaking).toBe(true);
  });
});

describe('workflow settings', () => {
  it('reports a schedule change as compatible', () => {
    const diff = diffOf(
      `${base}schedule: {cron: '0 * * * *'}\n`,
      `${base}schedule: {cron: '0 0 * * *'}\n`,
    );
    expect(summary(diff)).toEqual([
      { kind: 'schedule-changed', path: '/schedule', compatibility: 'compatible' },
    ]);
    expect(diff.changes[0]).toMatchObject({
      before: { cron: '0 * * * *' },
      after: { cron: '0 0 * * *' },
    });
    expect(diffOf(base, `${base}schedule: {every: PT1H}\n`).breaking).toBe(false);
  });

  it('reports a timeout change as compatible and an evaluation change as breaking', () => {
    expect(summary(diffOf(base, `${base}timeout: {after: PT1H}\n`))).toEqual([
      { kind: 'workflow-changed', path: '/timeout', compatibility: 'compatible' },
    ]);
    expect(summary(diffOf(base, `${base}evaluate: {language: jq, mode: loose}\n`))).toEqual([
      { kind: 'workflow-changed', path: '/evaluate', compatibility: 'breaking' },
    ]);
  });

  it("classifies the workflow's output.as by the keys callers get", () => {
    const withOutput = (as: string) => `${base}output: {as: ${as}}\n`;
    const diff = diffOf(
      withOutput("{id: '${ .id }', total: '${ .total }'}"),
      withOutput("{id: '${ .id }'}"),
    );
    expect(summary(diff)).toEqual([
      { kind: 'output-shape-changed', path: '/output/as', compatibility: 'breaking' },
    ]);
    expect(diff.changes[0]?.reason).toMatch(/no longer produces 'total'; callers and consumers/);
  });

  it('lets the input transformation change', () => {
    expect(summary(diffOf(base, `${base}input: {from: '\${ .order }'}\n`))).toEqual([
      { kind: 'workflow-changed', path: '/input/from', compatibility: 'compatible' },
    ]);
  });
});

describe('reusable components', () => {
  const withUse = (use: string, tasks = '  - a: {set: {x: 1}}\n') =>
    `document: {dsl: 1.0.0, namespace: orders, name: intake, version: 1.0.0}\nuse:\n${use}do:\n${tasks}`;
  const fn =
    "  functions:\n    getStock: {call: http, with: {method: get, endpoint: 'https://x.example.com'}}\n";
  const callsIt = '  - check: {call: getStock}\n';

  it('breaks when a removed entry is still referenced', () => {
    const diff = diffOf(withUse(fn, callsIt), withUse('  secrets: [token]\n', callsIt));
    expect(diff.changes).toContainEqual(
      expect.objectContaining({
        kind: 'use-removed',
        path: '/use/functions/getStock',
        compatibility: 'breaking',
      }),
    );
    expect(diff.changes.find((c) => c.kind === 'use-removed')?.reason).toMatch(
      /still refers to it \(\/do\/0\/check\/call\): every execution that reaches the reference faults/,
    );
  });

  it('lets an unreferenced entry go, and entries be added or changed', () => {
    const removed = diffOf(withUse(fn), withUse('  secrets: [token]\n'));
    expect(removed.changes).toContainEqual(
      expect.objectContaining({ kind: 'use-removed', compatibility: 'compatible' }),
    );
    expect(removed.changes).toContainEqual(
      expect.objectContaining({
        kind: 'use-added',
        path: '/use/secrets/0',
        compatibility: 'compatible',
      }),
    );
    const changed = diffOf(
      withUse(fn, callsIt),
      withUse(fn.replace('x.example', 'y.example'), callsIt),
    );
    expect(summary(changed)).toEqual([
      { kind: 'use-changed', path: '/use/functions/getStock', compatibility: 'compatible' },
    ]);
  });

  it('finds secrets used in expressions and policies used by endpoints', () => {
    const tasks =
      "  - a: {call: http, with: {method: get, endpoint: {uri: 'https://x.example.com', authentication: {use: api}}, headers: {key: '${ $secrets.apiKey }'}}}\n";
    const before = withUse(
      '  secrets: [apiKey]\n  authentications:\n    api: {bearer: {token: abc}}\n',
      tasks,
    );
    const diff = diffOf(before, withUse('  secrets: [other]\n', tasks));
    const removed = diff.changes.filter((c) => c.kind === 'use-removed');
    expect(removed.map((c) => [c.path, c.compatibility])).toEqual([
      ['/use/authentications/api', 'breaking'],
      ['/use/secrets/0', 'breaking'],
    ]);
  });

  it('finds a secret a policy takes its credentials from, and secrets named in brackets', () => {
    const tasks = `  - a:
      call: http
      with:
        method: get
        endpoint: {uri: 'https://x.example.com', authentication: {basic: {use: dbLogin}}}
        headers: {key: '\${ $secrets["api-key"] }', other: '\${ $secrets.tenant-id }'}
`;
    const use = '  secrets: [dbLogin, api-key, tenant-id, unused]\n';
    const diff = diffOf(withUse(use, tasks), withUse('  secrets: [x]\n', tasks));
    expect(
      diff.changes.filter((c) => c.kind === 'use-removed').map((c) => [c.before, c.compatibility]),
    ).toEqual([
      ['dbLogin', 'breaking'],
      ['api-key', 'breaking'],
      ['tenant-id', 'breaking'],
      ['unused', 'compatible'],
    ]);
  });

  it('finds a catalog referenced by the functions called from it', () => {
    const tasks = '  - a: {call: "getStock:1.0.0@shared"}\n';
    const use = "  catalogs:\n    shared: {endpoint: 'https://catalog.example.com'}\n";
    const diff = diffOf(withUse(use, tasks), withUse('  secrets: [x]\n', tasks));
    expect(diff.changes.find((c) => c.kind === 'use-removed')).toMatchObject({
      path: '/use/catalogs/shared',
      compatibility: 'breaking',
      reason: expect.stringContaining('(/do/0/a/call)'),
    });
  });

  it('finds retry policies and errors referenced by name', () => {
    const tasks = `  - guarded:
      try:
        - fail: {raise: {error: outOfStock}}
      catch: {retry: thrice}
`;
    const use =
      "  errors:\n    outOfStock: {type: 'https://x/out', status: 409}\n  retries:\n    thrice: {limit: {attempt: {count: 3}}}\n";
    const diff = diffOf(withUse(use, tasks), withUse('  secrets: [x]\n', tasks));
    expect(
      diff.changes.filter((c) => c.kind === 'use-removed').map((c) => c.compatibility),
    ).toEqual(['breaking', 'breaking']);
  });
});
