import { describe, expect, it } from 'vitest';
import { ctkScenarios } from '../../test/support/ctkFeatures.js';
import { tasksOf } from '../model/taskLists.js';
import type { WorkflowDefinition } from '../model/workflowModel.js';
import { parseWorkflowText } from '../parse/parseWorkflowText.js';
import { pointerOf } from '../problems.js';
import { startNodeId } from './graphModel.js';
import type { WorkflowGraph } from './graphModel.js';
import { toMermaid } from './toMermaid.js';
import { buildWorkflowGraph } from './workflowGraph.js';

/** Reachability recomputed here, so the graph's own `reachable` flags are checked, not trusted. */
function reachedFromStart(graph: WorkflowGraph): Set<string> {
  const reached = new Set([startNodeId]);
  for (let grew = true; grew;) {
    grew = false;
    for (const edge of graph.edges) {
      if (reached.has(edge.from) && !reached.has(edge.to)) {
        reached.add(edge.to);
        grew = true;
      }
    }
  }
  return reached;
}

// The conformance kit is read from ../shared at test time (test/support/ctkFeatures.ts), never copied.
const scenarios = ctkScenarios();

describe('workflow graphs of the conformance kit', () => {
  it('finds the CTK scenarios', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(21);
  });

  it.each(scenarios.map((s) => [`${s.feature}: ${s.scenario}`, s.workflow]))(
    '%s: every node is reachable from start or marked unreachable, and Mermaid draws it',
    (_name, text) => {
      const parsed = parseWorkflowText(text);
      if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('; '));
      const workflow = parsed.document.value as WorkflowDefinition;
      const graph = buildWorkflowGraph(workflow);

      const ids = graph.nodes.map((node) => node.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(expect.arrayContaining(tasksOf(workflow).map((t) => pointerOf(t.path))));
      for (const edge of graph.edges) expect(ids).toContain(edge.to);
      for (const edge of graph.edges) expect(ids).toContain(edge.from);

      const reached = reachedFromStart(graph);
      for (const node of graph.nodes)
        expect([node.id, node.reachable]).toEqual([node.id, reached.has(node.id)]);
      // The kit's workflows all run to an end: none of their tasks is dead code.
      expect(graph.nodes.filter((node) => !node.reachable)).toEqual([]);

      const mermaid = toMermaid(graph);
      expect(mermaid.startsWith('flowchart TD\n')).toBe(true);
      expect(
        mermaid.split('\n').filter((line) => line.includes('-->') || line.includes('-.->')),
      ).toHaveLength(graph.edges.length);
    },
  );
});
