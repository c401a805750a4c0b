import type { GraphEdge, GraphNode, GraphNodeKind, WorkflowGraph } from './graphModel.js';
import { endNodeId } from './graphModel.js';

/**
 * Mermaid reads `"`, `#`, brackets, `|` and HTML in labels as syntax; its entity codes (`#34;`)
 * are the escape it documents. Line breaks would end the statement.
 */
const entityCodes: Record<string, string> = {
  '"': '#34;',
  '#': '#35;',
  '&': '#38;',
  '(': '#40;',
  ')': '#41;',
  '<': '#60;',
  '>': '#62;',
  '[': '#91;',
  ']': '#93;',
  '`': '#96;',
  '{': '#123;',
  '|': '#124;',
  '}': '#125;',
};

/** `text` safe inside a quoted Mermaid label. */
export function escapeMermaidText(text: string): string {
  return text
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(/["#&()<>[\]`{|}]/g, (c) => entityCodes[c] ?? c);
}

/**
 * Mermaid ids for the graph's nodes: letters, digits and `_` only, with a prefix so no id is a
 * keyword (`end` closes a subgraph) or starts with `o`/`x` (read as edge heads), unique in node order.
 */
function mermaidIds(nodes: GraphNode[]): Map<string, string> {
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  for (const node of nodes) {
    const base =
      node.kind === 'start' || node.kind === 'end'
        ? `wf_${node.kind}`
        : `t${node.id.replace(/[^A-Za-z0-9_]/g, '_')}`;
    let id = base;
    for (let suffix = 2; taken.has(id); suffix += 1) id = `${base}_${suffix}`;
    taken.add(id);
    ids.set(node.id, id);
  }
  return ids;
}

const shapes: Partial<Record<GraphNodeKind, [string, string]>> = {
  start: ['((', '))'],
  end: ['(((', ')))'],
  switch: ['{', '}'],
  for: ['{{', '}}'],
  fork: ['[/', '\\]'],
  raise: ['>', ']'],
  call: ['(', ')'],
  run: ['[[', ']]'],
  wait: ['([', '])'],
  emit: ['[/', '/]'],
  listen: ['[\\', '\\]'],
};

function nodeText(node: GraphNode): string {
  const name = escapeMermaidText(node.label);
  if (node.kind === 'start' || node.kind === 'end') return name;
  const detail =
    node.kind === 'call' && node.attributes.call !== undefined
      ? `call ${node.attributes.call}`
      : node.kind === 'run' && node.attributes.run !== undefined
        ? `run ${node.attributes.run}`
        : node.kind === 'wait' && node.attributes.duration !== undefined
          ? `wait ${node.attributes.duration}`
          : node.kind;
  return `${name}<br/>${escapeMermaidText(detail)}`;
}

function nodeLine(node: GraphNode, id: string): string {
  const [open, close] = shapes[node.kind] ?? ['[', ']'];
  return `${id}${open}"${nodeText(node)}"${close}`;
}

/** Kinds whose edges need no word: the drawing already says it. */
const silentKinds = new Set(['next', 'body', 'branch', 'case', 'catch']);
/** Exceptional paths are dotted. */
const dottedKinds = new Set(['catch', 'raise', 'if-skipped']);

function edgeLine(edge: GraphEdge, ids: Map<string, string>): string {
  const word =
    edge.kind === 'raise' && edge.to === endNodeId
      ? 'fault'
      : silentKinds.has(edge.kind)
        ? undefined
        : edge.kind;
  // A default case named `default` would otherwise read `default: default`.
  const text = [...new Set([word, edge.label])].filter((part) => part !== undefined).join(': ');
  const arrow = dottedKinds.has(edge.kind) ? '-.->' : '-->';
  const label = text === '' ? '' : `|"${escapeMermaidText(text)}"|`;
  return `${ids.get(edge.from)} ${arrow}${label} ${ids.get(edge.to)}`;
}

/**
 * The graph as a Mermaid `flowchart TD`: composite tasks become subgraphs holding the task itself
 * and its nested tasks (a try's `catch.do` in a nested `catch` subgraph), node shapes follow the
 * task kind, edges carry their kind or label, and unreachable nodes are drawn dashed.
 */
export function toMermaid(graph: WorkflowGraph): string {
  const ids = mermaidIds(graph.nodes);
  const children = new Map<string, GraphNode[]>();
  for (const node of graph.nodes) {
    if (node.parent !== undefined) {
      children.set(node.parent, [...(children.get(node.parent) ?? []), node]);
    }
  }
  const lines = ['flowchart TD'];
  const render = (node: GraphNode, depth: number): void => {
    const indent = '  '.repeat(depth);
    const id = ids.get(node.id) as string;
    const nested = children.get(node.id) ?? [];
    if (nested.length === 0) {
      lines.push(`${indent}${nodeLine(node, id)}`);
      return;
    }
    lines.push(`${indent}subgraph g${id} ["${escapeMermaidText(node.label)}"]`);
    lines.push(`${indent}  ${nodeLine(node, id)}`);
    for (const child of nested.filter((each) => each.role !== 'catch')) render(child, depth + 1);
    const handlers = nested.filter((each) => each.role === 'catch');
    if (handlers.length > 0) {
      lines.push(`${indent}  subgraph c${id} ["catch"]`);
      for (const child of handlers) render(child, depth + 2);
      lines.push(`${indent}  end`);
    }
    lines.push(`${indent}end`);
  };
  for (const node of graph.nodes) if (node.parent === undefined) render(node, 1);
  for (const edge of graph.edges) lines.push(`  ${edgeLine(edge, ids)}`);
  const unreachable = graph.nodes.filter((node) => !node.reachable).map((node) => ids.get(node.id));
  if (unreachable.length > 0) {
    lines.push('  classDef unreachable stroke-dasharray: 4 4,opacity:0.6');
    lines.push(`  class ${unreachable.join(',')} unreachable`);
  }
  return `${lines.join('\n')}\n`;
}
