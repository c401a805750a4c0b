import { describe, expect, it } from 'vitest';
import type { WorkflowDefinition } from '../model/workflowModel.js';
import { parseWorkflowText } from '../parse/parseWorkflowText.js';
import type { WorkflowGraph } from './graphModel.js';
import { toMermaid } from './toMermaid.js';
import { buildWorkflowGraph } from './workflowGraph.js';

const header = "document: { dsl: '1.0.3', namespace: test, name: graph, version: '1.0.0' }\n";

function graphOf(yaml: string): WorkflowGraph {
  const parsed = parseWorkflowText(header + yaml);
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('; '));
  return buildWorkflowGraph(parsed.document.value as WorkflowDefinition);
}

/** `from -kind-> to (label)`: exact, and readable in a failure diff. */
const edgesOf = (graph: WorkflowGraph) =>
  graph.edges.map(
    (e) => `${e.from} -${e.kind}-> ${e.to}${e.label === undefined ? '' : ` (${e.label})`}`,
  );
const unreachableOf = (graph: WorkflowGraph) =>
  graph.nodes.filter((node) => !node.reachable).map((node) => node.id);

describe('buildWorkflowGraph', () => {
  it('draws a sequence from start through each task to end', () => {
    const graph = graphOf(`
do:
  - checkStock: { call: http, with: { method: get, endpoint: 'https://shop/stock/{sku}' } }
  - pause: { wait: { minutes: 1, seconds: 30 } }
  - record: { set: { checked: true } }
`);
    expect(graph).toEqual({
      nodes: [
        { id: 'start', label: 'start', kind: 'start', attributes: {}, reachable: true },
        {
          id: '/do/0/checkStock',
          label: 'checkStock',
          kind: 'call',
          role: 'workflow',
          attributes: { call: 'http', method: 'GET', endpoint: 'https://shop/stock/{sku}' },
          reachable: true,
        },
        {
          id: '/do/1/pause',
          label: 'pause',
          kind: 'wait',
          role: 'workflow',
          attributes: { duration: 'PT1M30S' },
          reachable: true,
        },
        {
          id: '/do/2/record',
          label: 'record',
          kind: 'set',
          role: 'workflow',
          attributes: {},
          reachable: true,
        },
        { id: 'end', label: 'end', kind: 'end', attributes: {}, reachable: true },
      ],
      edges: [
        { from: 'start', to: '/do/0/checkStock', kind: 'next' },
        { from: '/do/0/checkStock', to: '/do/1/pause', kind: 'next' },
        { from: '/do/1/pause', to: '/do/2/record', kind: 'next' },
        { from: '/do/2/record', to: 'end', kind: 'next' },
      ],
    });
  });

  it('follows then to a named task and marks tasks nothing reaches', () => {
    const graph = graphOf(`
do:
  - setRed: { set: { c: red }, then: setGreen }
  - setBlue: { set: { c: blue }, then: end }
  - setGreen: { set: { c: green }, then: continue }
  - orphan: { set: { c: none } }
`);
    expect(edgesOf(graph)).toEqual([
      'start -next-> /do/0/setRed',
      '/do/0/setRed -then-> /do/2/setGreen',
      '/do/1/setBlue -end-> end',
      '/do/2/setGreen -next-> /do/3/orphan',
      '/do/3/orphan -next-> end',
    ]);
    expect(unreachableOf(graph)).toEqual(['/do/1/setBlue']);
  });

  it('leaves a nested do on exit and ends the workflow on end, whatever the depth', () => {
    const graph = graphOf(`
do:
  - outer:
      do:
        - inner:
            do:
              - check: { set: { a: 1 }, then: exit }
              - skipped: { set: { b: 2 } }
        - stop: { set: { c: 3 }, then: end }
        - never: { set: { d: 4 } }
      then: finish
  - unused: { set: { e: 5 } }
  - finish: { set: { f: 6 }, then: exit }
`);
    expect(edgesOf(graph)).toEqual([
      'start -next-> /do/0/outer',
      '/do/0/outer -body-> /do/0/outer/do/0/inner',
      '/do/0/outer/do/0/inner -body-> /do/0/outer/do/0/inner/do/0/check',
      // exit leaves `inner` only; `inner` then continues with `stop`.
      '/do/0/outer/do/0/inner/do/0/check -exit-> /do/0/outer/do/1/stop',
      '/do/0/outer/do/0/inner/do/1/skipped -next-> /do/0/outer/do/1/stop',
      '/do/0/outer/do/1/stop -end-> end',
      // Completing `outer` would apply its own `then: finish`.
      '/do/0/outer/do/2/never -next-> /do/2/finish',
      '/do/1/unused -next-> /do/2/finish',
      // exit from the top-level list ends the workflow.
      '/do/2/finish -exit-> end',
    ]);
    expect(unreachableOf(graph)).toEqual([
      '/do/0/outer/do/0/inner/do/1/skipped',
      '/do/0/outer/do/2/never',
      '/do/1/unused',
      '/do/2/finish',
    ]);
    expect(graph.nodes.map((node) => [node.id, node.parent, node.role])).toEqual([
      ['start', undefined, undefined],
      ['/do/0/outer', undefined, 'workflow'],
      ['/do/0/outer/do/0/inner', '/do/0/outer', 'do'],
      ['/do/0/outer/do/0/inner/do/0/check', '/do/0/outer/do/0/inner', 'do'],
      ['/do/0/outer/do/0/inner/do/1/skipped', '/do/0/outer/do/0/inner', 'do'],
      ['/do/0/outer/do/1/stop', '/do/0/outer', 'do'],
      ['/do/0/outer/do/2/never', '/do/0/outer', 'do'],
      ['/do/1/unused', undefined, 'workflow'],
      ['/do/2/finish', undefined, 'workflow'],
      ['end', undefined, undefined],
    ]);
  });

  it('gives each switch case an edge labelled with its name and when, and the default its own', () => {
    const graph = graphOf(`
do:
  - route:
      switch:
        - electronic: { when: '.type == "e"', then: ship }
        - physical: { when: '.type == "p"', then: exit }
        - other: { then: end }
  - ship: { set: { shipped: true } }
`);
    expect(edgesOf(graph)).toEqual([
      'start -next-> /do/0/route',
      '/do/0/route -case-> /do/1/ship (electronic: .type == "e")',
      '/do/0/route -case-> end (physical: .type == "p")',
      '/do/0/route -default-> end (other)',
      '/do/1/ship -next-> end',
    ]);
  });

  it('falls through a switch without a default case by its own then', () => {
    const graph = graphOf(`
do:
  - route:
      switch:
        - red: { when: '.c == "red"', then: paint }
      then: end
  - other: { set: { x: 1 } }
  - paint: { set: { y: 2 } }
`);
    expect(edgesOf(graph)).toEqual([
      'start -next-> /do/0/route',
      '/do/0/route -case-> /do/2/paint (red: .c == "red")',
      '/do/0/route -default-> end (no match)',
      '/do/1/other -next-> /do/2/paint',
      '/do/2/paint -next-> end',
    ]);
    expect(unreachableOf(graph)).toEqual(['/do/1/other']);
  });

  it('starts every fork branch and joins them where the fork continues', () => {
    const graph = graphOf(`
do:
  - alert:
      fork:
        compete: true
        branches:
          - callNurse: { call: http, with: { method: put, endpoint: https://h/nurse } }
          - callDoctor:
              do:
                - page: { set: { paged: true } }
          - giveUp: { set: { gaveUp: true }, then: end }
  - log: { set: { done: true } }
`);
    expect(edgesOf(graph)).toEqual([
      'start -next-> /do/0/alert',
      '/do/0/alert -branch-> /do/0/alert/fork/branches/0/callNurse',
      '/do/0/alert -branch-> /do/0/alert/fork/branches/1/callDoctor',
      '/do/0/alert -branch-> /do/0/alert/fork/branches/2/giveUp',
      // Branches run concurrently: each one finishing leads past the fork, not to the next branch.
      '/do/0/alert/fork/branches/0/callNurse -next-> /do/1/log',
      '/do/0/alert/fork/branches/1/callDoctor -body-> /do/0/alert/fork/branches/1/callDoctor/do/0/page',
      '/do/0/alert/fork/branches/1/callDoctor/do/0/page -next-> /do/1/log',
      '/do/0/alert/fork/branches/2/giveUp -end-> end',
      '/do/1/log -next-> end',
    ]);
    expect(graph.nodes[1]?.attributes).toEqual({ compete: 'true' });
    expect(graph.nodes.filter((n) => n.parent === '/do/0/alert').map((n) => n.role)).toEqual([
      'branches',
      'branches',
      'branches',
    ]);
  });

  it('loops a for body back to the for, which then moves on', () => {
    const graph = graphOf(`
do:
  - checkup:
      for: { each: pet, in: .pets, at: i }
      while: .vet != null
      do:
        - examine: { set: { examined: true } }
        - bail: { if: .sick, set: { sick: true }, then: exit }
        - bill: { set: { billed: true } }
  - report: { set: { reported: true } }
`);
    expect(edgesOf(graph)).toEqual([
      'start -next-> /do/0/checkup',
      '/do/0/checkup -body-> /do/0/checkup/do/0/examine',
      '/do/0/checkup -next-> /do/1/report',
      '/do/0/checkup/do/0/examine -next-> /do/0/checkup/do/1/bail',
      '/do/0/checkup/do/1/bail -loop-> /do/0/checkup (exit)',
      '/do/0/checkup/do/1/bail -if-skipped-> /do/0/checkup/do/2/bill',
      '/do/0/checkup/do/2/bill -loop-> /do/0/checkup',
      '/do/1/report -next-> end',
    ]);
    expect(graph.nodes[1]?.attributes).toEqual({
      each: 'pet',
      in: '.pets',
      at: 'i',
      while: '.vet != null',
    });
    expect(unreachableOf(graph)).toEqual([]);
  });

  it('enters a try body, and catches into catch.do, labelled with the error filter', () => {
    const graph = graphOf(`
do:
  - tryGetPet:
      try:
        - getPet: { call: http, with: { method: get, endpoint: 'https://pets/{id}' } }
      catch:
        errors: { with: { type: https://serverlessworkflow.io/spec/1.0.0/errors/communication, status: 404 } }
        when: .retryable
        as: err
        retry: backoff
        do:
          - setError: { set: { error: '\${ $err }' } }
  - swallow:
      try:
        - risky: { call: http, with: { method: get, endpoint: https://risky } }
      catch: {}
`);
    expect(edgesOf(graph)).toEqual([
      'start -next-> /do/0/tryGetPet',
      '/do/0/tryGetPet -body-> /do/0/tryGetPet/try/0/getPet',
      '/do/0/tryGetPet -catch-> /do/0/tryGetPet/catch/do/0/setError (type: https://serverlessworkflow.io/spec/1.0.0/errors/communication, status: 404, when: .retryable)',
      '/do/0/tryGetPet/try/0/getPet -next-> /do/1/swallow',
      '/do/0/tryGetPet/catch/do/0/setError -next-> /do/1/swallow',
      '/do/1/swallow -body-> /do/1/swallow/try/0/risky',
      // Without catch.do a caught error is swallowed: the try completes.
      '/do/1/swallow -catch-> end (any error)',
      '/do/1/swallow/try/0/risky -next-> end',
    ]);
    expect(graph.nodes[1]?.attributes).toEqual({ retry: 'backoff' });
    expect(graph.nodes.map((n) => n.role)).toContain('catch');
  });

  it('sends a raise to the catch that matches it, past those that cannot, or to the end as a fault', () => {
    const graph = graphOf(`
use:
  errors:
    notFound: { type: https://errors/not-found, status: 404 }
do:
  - outer:
      try:
        - inner:
            try:
              - missing: { raise: { error: notFound } }
              - denied: { raise: { error: { type: https://errors/denied, status: 403 } } }
              - dynamic: { raise: { error: { type: https://errors/denied, status: '\${ .status }' } } }
            catch:
              errors: { with: { status: 403 } }
              do:
                - fail: { raise: { error: { type: https://errors/handler, status: 500 } } }
      catch:
        errors: { with: { type: https://errors/not-found } }
        do:
          - recover: { set: { recovered: true } }
`);
    expect(edgesOf(graph)).toEqual([
      'start -next-> /do/0/outer',
      '/do/0/outer -body-> /do/0/outer/try/0/inner',
      '/do/0/outer -catch-> /do/0/outer/catch/do/0/recover (type: https://errors/not-found)',
      '/do/0/outer/try/0/inner -body-> /do/0/outer/try/0/inner/try/0/missing',
      '/do/0/outer/try/0/inner -catch-> /do/0/outer/try/0/inner/catch/do/0/fail (status: 403)',
      // 404 is not 403: the inner catch is passed over, the outer one catches it.
      '/do/0/outer/try/0/inner/try/0/missing -raise-> /do/0/outer/catch/do/0/recover (notFound)',
      '/do/0/outer/try/0/inner/try/1/denied -raise-> /do/0/outer/try/0/inner/catch/do/0/fail (https://errors/denied)',
      // A status known only at run time may or may not match: both ways are drawn.
      '/do/0/outer/try/0/inner/try/2/dynamic -raise-> /do/0/outer/try/0/inner/catch/do/0/fail (https://errors/denied)',
      '/do/0/outer/try/0/inner/try/2/dynamic -raise-> end (https://errors/denied)',
      // Raised in catch.do, the error escapes its own try, and the outer filter rules it out.
      '/do/0/outer/try/0/inner/catch/do/0/fail -raise-> end (https://errors/handler)',
      '/do/0/outer/catch/do/0/recover -next-> end',
    ]);
    expect(unreachableOf(graph)).toEqual([
      '/do/0/outer/try/0/inner/try/1/denied',
      '/do/0/outer/try/0/inner/try/2/dynamic',
    ]);
  });

  it('adds an if-skipped edge to the following task, ignoring the skipped task’s then', () => {
    const graph = graphOf(`
do:
  - maybeNotify: { if: .notify, call: http, with: { method: post, endpoint: https://n }, then: end }
  - maybeRoute:
      if: .route
      switch:
        - fast: { when: .fast, then: express }
      then: standard
  - maybeLoop:
      if: .many
      for: { in: .items }
      do:
        - each: { set: { x: 1 } }
  - standard: { set: { s: true }, then: end }
  - express: { set: { e: true } }
`);
    expect(edgesOf(graph)).toEqual([
      'start -next-> /do/0/maybeNotify',
      '/do/0/maybeNotify -end-> end',
      '/do/0/maybeNotify -if-skipped-> /do/1/maybeRoute',
      '/do/1/maybeRoute -case-> /do/4/express (fast: .fast)',
      '/do/1/maybeRoute -default-> /do/3/standard (no match)',
      '/do/1/maybeRoute -if-skipped-> /do/2/maybeLoop',
      '/do/2/maybeLoop -body-> /do/2/maybeLoop/do/0/each',
      '/do/2/maybeLoop -next-> /do/3/standard',
      '/do/2/maybeLoop -if-skipped-> /do/3/standard',
      '/do/2/maybeLoop/do/0/each -loop-> /do/2/maybeLoop',
      '/do/3/standard -end-> end',
      '/do/4/express -next-> end',
    ]);
    expect(graph.nodes[1]?.attributes.if).toBe('.notify');
    expect(unreachableOf(graph)).toEqual([]);
  });

  it('describes run, emit, listen, raise and the other calls in node attributes', () => {
    const graph = graphOf(`
do:
  - child: { run: { workflow: { namespace: ops, name: ship, version: '2.0.0' } } }
  - box: { run: { container: { image: alpine } } }
  - announce: { emit: { event: { with: { type: com.shop.done, source: https://shop } } } }
  - await: { listen: { to: { any: [ { with: { type: a.paid } }, { with: { type: a.failed } } ] } } }
  - find: { call: openapi, with: { document: { endpoint: https://api/openapi.json }, operationId: findPets } }
  - greet: { call: grpc, with: { proto: { endpoint: file://g.proto }, service: { name: Greeter, host: h }, method: SayHello } }
  - login: { call: http, with: { method: get, endpoint: 'https://admin:hunter2@host/x?token=abc&page=2' } }
  - stop: { raise: { error: { type: https://errors/stop, status: 400 } } }
`);
    expect(graph.nodes.slice(1, -1).map((node) => node.attributes)).toEqual([
      { run: 'workflow', workflow: 'ops/ship:2.0.0' },
      { run: 'container', image: 'alpine' },
      { event: 'com.shop.done' },
      { to: 'any', events: 'a.paid, a.failed' },
      { call: 'openapi', operationId: 'findPets' },
      { call: 'grpc', method: 'Greeter/SayHello' },
      // Credentials in a URI are not display material.
      { call: 'http', method: 'GET', endpoint: 'https://host/x?token=***&page=2' },
      { error: 'https://errors/stop' },
    ]);
  });

  it('stays total on malformed documents: no exception, fewer edges', () => {
    const graph = graphOf(`
do:
  - jump: { set: { a: 1 }, then: nowhere }
  - odd: { frobnicate: true }
  - emptyDo: { do: [] }
  - 42
`);
    expect(edgesOf(graph)).toEqual([
      'start -next-> /do/0/jump',
      '/do/1/odd -next-> /do/2/emptyDo',
      '/do/2/emptyDo -next-> end',
    ]);
    expect(graph.nodes.map((node) => node.kind)).toEqual(['start', 'set', 'unknown', 'do', 'end']);
    expect(unreachableOf(graph)).toEqual(['/do/1/odd', '/do/2/emptyDo', 'end']);
    expect(buildWorkflowGraph({} as WorkflowDefinition).edges).toEqual([
      { from: 'start', to: 'end', kind: 'next' },
    ]);
  });

  // Review: only one default case is legal (a semantic rule reports a second), but the graph
  // is drawn for whatever it is given.
  it('draws one default edge per default case of a switch that has two, with unique node ids', () => {
    const graph = graphOf(`
do:
  - s:
      switch:
        - a: { then: one }
        - b: { then: two }
        - default: { then: end }
        - default: { then: end }
  - one: { set: { x: 1 }, then: end }
  - two: { set: { x: 2 } }
`);
    expect(edgesOf(graph)).toEqual([
      'start -next-> /do/0/s',
      '/do/0/s -default-> /do/1/one (a)',
      '/do/0/s -default-> /do/2/two (b)',
      '/do/0/s -default-> end (default)',
      '/do/1/one -end-> end',
      '/do/2/two -next-> end',
    ]);
    const ids = graph.nodes.map((node) => node.id);
    expect(new Set(ids).size).toBe(ids.length);
    const mermaid = toMermaid(graph);
    const mermaidIds = mermaid
      .split('\n')
      .slice(1, 1 + ids.length)
      .map((line) => line.trim().split(/[[({>]/)[0]);
    expect(new Set(mermaidIds).size).toBe(ids.length);
    expect(mermaid.split('\n').filter((line) => line.includes('-->'))).toHaveLength(
      graph.edges.length,
    );
  });

  // Review: each `then: <name>` scanned its whole list, quadratic in the list's length.
  it('resolves 20,000 jumps by name in one list', () => {
    const count = 20_000;
    const last = `t${count - 1}`;
    const graph = buildWorkflowGraph({
      do: Array.from({ length: count }, (_, i) => ({
        [`t${i}`]: i === count - 1 ? { wait: 'PT1S' } : { wait: 'PT1S', then: last },
      })),
    } as unknown as WorkflowDefinition);
    const jumps = graph.edges.filter((edge) => edge.kind === 'then');
    expect(jumps).toHaveLength(count - 1);
    expect(jumps.every((edge) => edge.to === `/do/${count - 1}/${last}`)).toBe(true);
    // Only the first and the last task run: every other one is jumped over.
    expect(graph.nodes.filter((node) => node.reachable).map((node) => node.id)).toEqual([
      'start',
      '/do/0/t0',
      `/do/${count - 1}/${last}`,
      'end',
    ]);
  });

  it('jumps to the first of two tasks of one name, as the list is read', () => {
    const graph = graphOf(`
do:
  - a: { set: { x: 1 }, then: twice }
  - twice: { set: { x: 2 }, then: end }
  - twice: { set: { x: 3 } }
`);
    expect(edgesOf(graph)).toContain('/do/0/a -then-> /do/1/twice');
  });

  // Review: `edges.push(...caseEdges)` passed every case as an argument, past the engine's limit
  // (about 125,000 here), and a switch sends many cases to one target.
  it('draws a switch of 150,000 cases to one target without overflowing the call stack', () => {
    const count = 150_000;
    const cases = Array.from({ length: count }, (_, i) => ({
      [`c${i}`]: { when: `.n == ${i}`, then: 'end' },
    }));
    const graph = buildWorkflowGraph({ do: [{ s: { switch: cases } }] } as never);
    const caseEdges = graph.edges.filter((edge) => edge.kind === 'case');
    expect(caseEdges).toHaveLength(count);
    expect(caseEdges[count - 1]).toEqual({
      from: '/do/0/s',
      to: 'end',
      kind: 'case',
      label: `c${count - 1}: .n == ${count - 1}`,
    });
  });

  // The same for a fork's branches. Each branch is a task, so this input is heavy by necessity:
  // the timeout only keeps a slow machine from failing it, nothing here measures time.
  it(
    'draws a fork of 150,000 branches without overflowing the call stack',
    { timeout: 30_000 },
    () => {
      const count = 150_000;
      const branches = Array.from({ length: count }, (_, i) => ({ [`b${i}`]: {} }));
      const graph = buildWorkflowGraph({ do: [{ f: { fork: { branches } } }] } as never);
      const branchEdges = graph.edges.filter((edge) => edge.kind === 'branch');
      expect(branchEdges).toHaveLength(count);
      expect(branchEdges[count - 1]).toEqual({
        from: '/do/0/f',
        to: `/do/0/f/fork/branches/${count - 1}/b${count - 1}`,
        kind: 'branch',
      });
    },
  );

  // Review: V8 hashes a string of more than 16,383 units by its length alone, and an id holds
  // every name above its task: the sets of ids used to find reachable tasks were quadratic.
  it('builds the graph of 1,000 tasks below a 20,000-character name', () => {
    const count = 1_000;
    const name = 'p'.repeat(20_000);
    const graph = buildWorkflowGraph({
      do: [
        { [name]: { do: Array.from({ length: count }, (_, i) => ({ [`t${i}`]: { set: {} } })) } },
      ],
    } as unknown as WorkflowDefinition);
    expect(graph.nodes).toHaveLength(count + 3);
    expect(graph.nodes.every((node) => node.reachable)).toBe(true);
    expect(graph.edges).toHaveLength(count + 2);
    expect(graph.edges.at(-1)).toEqual({
      from: `/do/0/${name}/do/${count - 1}/t${count - 1}`,
      to: 'end',
      kind: 'next',
    });
  });
});
