import { describe, expect, it } from 'vitest';
import type { WorkflowDefinition } from '../model/workflowModel.js';
import { parseWorkflowText } from '../parse/parseWorkflowText.js';
import type { WorkflowGraph } from './graphModel.js';
import { escapeMermaidText, maxMermaidLabelLength, toMermaid } from './toMermaid.js';
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

  // Review: /\s*[\r\n]+\s*/ rescanned a run of blanks from each of them (52 s for this name).
  it('draws a task named with 160,000 blanks between two letters', () => {
    const name = `x${' '.repeat(160_000)}x`;
    const lines = toMermaid(
      buildWorkflowGraph({ do: [{ [name]: { set: { a: 1 } } }] } as never),
    ).split('\n');
    expect(lines[2]).toBe(
      `  t${'_'.repeat(79)}x["x${' '.repeat(maxMermaidLabelLength - 2)}…<br/>set"]`,
    );
  });

  it('puts a label written over several lines on one, without blank runs at the breaks', () => {
    expect(escapeMermaidText('  first  \r\n\r\n   second\rthird\n\n')).toBe('first second third');
    expect(escapeMermaidText(`a${'\n \t'.repeat(50_000)}b`)).toBe('a b');
  });

  // Review: a 100 KB name was drawn whole, in its node, its subgraph title and every id.
  it('cuts a 100 KB task name or case condition with an ellipsis; the JSON keeps them whole', () => {
    const name = 'n'.repeat(100_000);
    const condition = `.x == "${'y'.repeat(100_000)}"`;
    const graph = buildWorkflowGraph({
      do: [{ [name]: { do: [{ inner: { switch: [{ c: { when: condition, then: 'end' } }] } }] } }],
    } as never);
    expect(graph.nodes[1]?.label).toBe(name);
    expect(graph.edges.find((edge) => edge.kind === 'case')?.label).toBe(`c: ${condition}`);
    const mermaid = toMermaid(graph);
    const cut = `${'n'.repeat(maxMermaidLabelLength - 1)}…`;
    expect(mermaid).toContain(`["${cut}"]`);
    expect(mermaid).toContain(`["${cut}<br/>do"]`);
    expect(mermaid).toContain(`|"c: .x == #34;${'y'.repeat(maxMermaidLabelLength - 11)}…"|`);
    for (const line of mermaid.split('\n')) expect(line.length).toBeLessThan(500);
  });

  it('cuts a label between characters, never inside a surrogate pair or an entity code', () => {
    const emoji = '😀'.repeat(maxMermaidLabelLength);
    const graph: WorkflowGraph = {
      nodes: [
        { id: '/do/0/a', label: emoji, kind: 'set', attributes: {}, reachable: true },
        { id: '/do/1/b', label: '"'.repeat(1_000), kind: 'set', attributes: {}, reachable: true },
      ],
      edges: [],
    };
    const [, first, second] = toMermaid(graph).split('\n');
    expect(first).toBe(`  t_do_0_a["${'😀'.repeat(99)}…<br/>set"]`);
    expect(second).toBe(`  t_do_1_b["${'#34;'.repeat(maxMermaidLabelLength - 1)}…<br/>set"]`);
  });

  // Review: the children of a composite task were copied once per child (12 s for 40,000 tasks).
  it('draws 25,000 tasks of one do, each once', () => {
    const count = 25_000;
    const graph = buildWorkflowGraph({
      do: [
        {
          outer: { do: Array.from({ length: count }, (_, i) => ({ [`t${i}`]: { wait: 'PT1S' } })) },
        },
      ],
    } as never);
    const lines = toMermaid(graph).split('\n');
    const tasks = lines.filter((line) => line.includes('(["t'));
    expect(tasks).toHaveLength(count);
    expect(tasks[count - 1]).toBe(
      `    t_do_0_outer_do_${count - 1}_t${count - 1}(["t${count - 1}<br/>wait PT1S"])`,
    );
  });

  // Probing suffixes from 2 for every clash was quadratic; pointers that end alike clash once cut.
  it('keeps ids short and unique for 20,000 nodes whose sanitised pointers clash', () => {
    const count = 20_000;
    const marks = (i: number) =>
      i.toString(2).padStart(15, '0').replace(/0/g, '-').replace(/1/g, '.');
    const graph: WorkflowGraph = {
      nodes: Array.from({ length: count }, (_, i) => ({
        id: `/do/${marks(i)}`,
        label: 'x',
        kind: 'set' as const,
        attributes: {},
        reachable: true,
      })),
      edges: [],
    };
    const ids = toMermaid(graph)
      .split('\n')
      .slice(1, -1)
      .map((line) => line.trim().split('[')[0] as string);
    expect(new Set(ids).size).toBe(count);
    expect(ids.slice(0, 3)).toEqual([
      `t_do_${'_'.repeat(15)}`,
      `t_do_${'_'.repeat(15)}_2`,
      `t_do_${'_'.repeat(15)}_3`,
    ]);
    expect(ids[count - 1]).toBe(`t_do_${'_'.repeat(15)}_${count}`);
  });

  // Review: ids repeated whole pointers, and pointers every name above them; V8 also hashes a
  // string of more than 16,383 units by its length alone, so maps of them were quadratic.
  it('draws 1,000 tasks below a 20,000-character name with short, unique ids', () => {
    const count = 1_000;
    const name = 'p'.repeat(20_000);
    const graph = buildWorkflowGraph({
      do: [
        {
          [name]: {
            do: Array.from({ length: count }, (_, i) => ({ [`t${i}`]: { wait: 'PT1S' } })),
          },
        },
      ],
    } as never);
    const mermaid = toMermaid(graph);
    const lines = mermaid.split('\n');
    for (const line of lines) expect(line.length).toBeLessThan(500);
    expect(lines.filter((line) => line.includes('-->'))).toHaveLength(graph.edges.length);
    const ids = lines
      .filter((line) => line.includes('(["t'))
      .map((line) => line.trim().split('(')[0]);
    expect(new Set(ids).size).toBe(count);
    expect(ids[count - 1]).toBe(
      `t${'p'.repeat(80 - `_do_${count - 1}_t${count - 1}`.length)}_do_${count - 1}_t${count - 1}`,
    );
  });
});
