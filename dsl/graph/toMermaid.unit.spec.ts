import { describe, expect, it } from 'vitest';
import type { WorkflowDefinition } from '../model/workflowModel.js';
import { parseWorkflowText } from '../parse/parseWorkflowText.js';
import type { WorkflowGraph } from './graphModel.js';
import { escapeMermaidText, toMermaid } from './toMermaid.js';
import { buildWorkflowGraph } from './workflowGraph.js';

const header = "document: { dsl: '1.0.3', namespace: test, name: mermaid, version: '1.0.0' }\n";

function mermaidOf(yaml: string): string {
  const parsed = parseWorkflowText(header + yaml);
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('; '));
  return toMermaid(buildWorkflowGraph(parsed.document.value as WorkflowDefinition));
}

describe('toMermaid', () => {
  it('draws a small workflow with subgraphs, shapes by kind and labelled edges', () => {
    const mermaid = mermaidOf(`
do:
  - checkStock: { call: http, with: { method: get, endpoint: 'https://shop/stock' } }
  - route:
      switch:
        - inStock: { when: '.stock > 0', then: ship }
        - default: { then: reorder }
  - reorder:
      try:
        - order: { call: http, with: { method: post, endpoint: 'https://shop/order' } }
      catch:
        do:
          - giveUp: { raise: { error: { type: https://errors/unavailable, status: 503 } } }
      then: end
  - ship:
      for: { in: .items }
      do:
        - pack: { wait: PT1S }
      then: end
  - cleanUp: { set: { x: 1 } }
`);
    expect(mermaid).toBe(`flowchart TD
  wf_start(("start"))
  t_do_0_checkStock("checkStock<br/>call http")
  t_do_1_route{"route<br/>switch"}
  subgraph gt_do_2_reorder ["reorder"]
    t_do_2_reorder["reorder<br/>try"]
    t_do_2_reorder_try_0_order("order<br/>call http")
    subgraph ct_do_2_reorder ["catch"]
      t_do_2_reorder_catch_do_0_giveUp>"giveUp<br/>raise"]
    end
  end
  subgraph gt_do_3_ship ["ship"]
    t_do_3_ship{{"ship<br/>for"}}
    t_do_3_ship_do_0_pack(["pack<br/>wait PT1S"])
  end
  t_do_4_cleanUp["cleanUp<br/>set"]
  wf_end((("end")))
  wf_start --> t_do_0_checkStock
  t_do_0_checkStock --> t_do_1_route
  t_do_1_route -->|"inStock: .stock #62; 0"| t_do_3_ship
  t_do_1_route -->|"default"| t_do_2_reorder
  t_do_2_reorder --> t_do_2_reorder_try_0_order
  t_do_2_reorder -.->|"any error"| t_do_2_reorder_catch_do_0_giveUp
  t_do_2_reorder_try_0_order --> wf_end
  t_do_2_reorder_catch_do_0_giveUp -.->|"fault: https://errors/unavailable"| wf_end
  t_do_3_ship --> t_do_3_ship_do_0_pack
  t_do_3_ship -->|"end"| wf_end
  t_do_3_ship_do_0_pack -->|"loop"| t_do_3_ship
  t_do_4_cleanUp --> wf_end
  classDef unreachable stroke-dasharray: 4 4,opacity:0.6
  class t_do_4_cleanUp unreachable
`);
  });

  it('draws fork, emit, listen and run with their own shapes, and if-skipped dotted', () => {
    const mermaid = mermaidOf(`
do:
  - both:
      fork:
        branches:
          - announce: { emit: { event: { with: { type: a.b, source: https://s } } } }
          - await: { listen: { to: { one: { with: { type: c.d } } } } }
  - child: { if: .deep, run: { workflow: { namespace: n, name: w, version: '1' } } }
`);
    expect(mermaid).toBe(`flowchart TD
  wf_start(("start"))
  subgraph gt_do_0_both ["both"]
    t_do_0_both[/"both<br/>fork"\\]
    t_do_0_both_fork_branches_0_announce[/"announce<br/>emit"/]
    t_do_0_both_fork_branches_1_await[\\"await<br/>listen"\\]
  end
  t_do_1_child[["child<br/>run workflow"]]
  wf_end((("end")))
  wf_start --> t_do_0_both
  t_do_0_both --> t_do_0_both_fork_branches_0_announce
  t_do_0_both --> t_do_0_both_fork_branches_1_await
  t_do_0_both_fork_branches_0_announce --> t_do_1_child
  t_do_0_both_fork_branches_1_await --> t_do_1_child
  t_do_1_child --> wf_end
  t_do_1_child -.->|"if-skipped"| wf_end
`);
  });

  it('escapes quotes, brackets, pipes, hashes, HTML and line breaks in labels', () => {
    expect(escapeMermaidText('say "hi" [x] {y} (z) a|b #1 <b>&amp;</b> `code`\nnext')).toBe(
      'say #34;hi#34; #91;x#93; #123;y#125; #40;z#41; a#124;b #35;1 #60;b#62;#38;amp;#60;/b#62; #96;code#96; next',
    );
  });

  it('keeps hostile task names and case conditions inside their quoted labels', () => {
    const mermaid = mermaidOf(`
do:
  - 'say "end" <script>alert(1)</script>':
      switch:
        - 'a|b]': { when: '.x == "]|["', then: end }
`);
    const lines = mermaid.split('\n');
    expect(lines[2]).toBe(
      '  t_do_0_say__end___script_alert_1___1script_{"say #34;end#34; #60;script#62;alert#40;1#41;#60;/script#62;<br/>switch"}',
    );
    expect(lines).toContain(
      '  t_do_0_say__end___script_alert_1___1script_ -->|"a#124;b#93;: .x == #34;#93;#124;#91;#34;"| wf_end',
    );
    // Every quoted label is closed on its own line: no stray quote can reopen one.
    for (const line of lines) expect((line.match(/"/g) ?? []).length % 2).toBe(0);
  });

  it('gives every node a Mermaid-safe id, unique even when sanitised pointers collide', () => {
    const graph: WorkflowGraph = {
      nodes: [
        { id: 'start', label: 'start', kind: 'start', attributes: {}, reachable: true },
        { id: '/do/0/a-b', label: 'a-b', kind: 'set', attributes: {}, reachable: true },
        { id: '/do/0/a_b', label: 'a_b', kind: 'set', attributes: {}, reachable: true },
        { id: '/do/2/end', label: 'end', kind: 'set', attributes: {}, reachable: true },
        { id: '/do/3/ä~1x', label: 'ä/x', kind: 'set', attributes: {}, reachable: true },
        { id: 'end', label: 'end', kind: 'end', attributes: {}, reachable: true },
      ],
      edges: [],
    };
    const ids = toMermaid(graph)
      .split('\n')
      .slice(1, -1)
      .map((line) => line.trim().split(/[[({>]/)[0]);
    expect(ids).toEqual([
      'wf_start',
      't_do_0_a_b',
      't_do_0_a_b_2',
      't_do_2_end',
      't_do_3___1x',
      'wf_end',
    ]);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
  });

  it('draws any CTK-shaped graph without throwing, including an empty workflow', () => {
    expect(toMermaid(buildWorkflowGraph({} as WorkflowDefinition))).toBe(
      'flowchart TD\n  wf_start(("start"))\n  wf_end((("end")))\n  wf_start --> wf_end\n',
    );
  });
});
