import { createTextMap } from '../dependencies/textKeyedMap.js';
import type { TextMap } from '../dependencies/textKeyedMap.js';
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

/** `text` on one line: a line break would end the Mermaid statement. */
function oneLine(text: string): string {
  if (!text.includes('\n') && !text.includes('\r')) return text.trim();
  // Split and trim rather than one regex such as /\s*[\r\n]+\s*/: that one rescans a run of
  // blanks from each of its characters, quadratic in a long name of spaces.
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' ');
}

const escapeEntities = (text: string): string =>
  text.replace(/["#&()<>[\]`{|}]/g, (c) => entityCodes[c] ?? c);

/** `text` safe inside a quoted Mermaid label. */
export function escapeMermaidText(text: string): string {
  return escapeEntities(oneLine(text));
}

/** The longest label drawn, in UTF-16 units before escaping; the graph's JSON keeps the full text. */
export const maxMermaidLabelLength = 200;

/** `text` cut to `maxMermaidLabelLength`, ending in an ellipsis when cut. */
function bounded(text: string): string {
  if (text.length <= maxMermaidLabelLength) return text;
  let end = maxMermaidLabelLength - 1;
  // Never between the two halves of a surrogate pair.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** `text` as a drawn label: one line, bounded, escaped (after the cut, so no entity is cut in half). */
function label(text: string): string {
  return escapeEntities(bounded(oneLine(text)));
}

/** The longest sanitised pointer kept in an id; its end, which names the task, is kept. */
const maxIdPointerLength = 80;

/**
 * Mermaid ids for the graph's nodes: letters, digits and `_` only, with a prefix so no id is a
 * keyword (`end` closes a subgraph) or starts with `o`/`x` (read as edge heads), unique in node order.
 * A pointer is as long as the names along it, so ids keep only its end: every edge repeats them.
 */
function mermaidIds(nodes: GraphNode[]): TextMap<string> {
  const ids = createTextMap<string>();
  const taken = new Set<string>();
  // The next suffix to try per base: probing from 2 each time is quadratic when many bases clash.
  const nextSuffix = new Map<string, number>();
  for (const node of nodes) {
    const base =
      node.kind === 'start' || node.kind === 'end'
        ? `wf_${node.kind}`
        : `t${node.id.slice(-maxIdPointerLength).replace(/[^A-Za-z0-9_]/g, '_')}`;
    let id = base;
    let suffix = nextSuffix.get(base) ?? 2;
    for (; taken.has(id); suffix += 1) id = `${base}_${suffix}`;
    nextSuffix.set(base, suffix);
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
  const name = label(node.label);
  if (node.kind === 'start' || node.kind === 'end') return name;
  const detail =
    node.kind === 'call' && node.attributes.call !== undefined
      ? `call ${node.attributes.call}`
      : node.kind === 'run' && node.attributes.run !== undefined
        ? `run ${node.attributes.run}`
        : node.kind === 'wait' && node.attributes.duration !== undefined
          ? `wait ${node.attributes.duration}`
          : node.kind;
  return `${name}<br/>${label(detail)}`;
}

function nodeLine(node: GraphNode, id: string): string {
  const [open, close] = shapes[node.kind] ?? ['[', ']'];
  return `${id}${open}"${nodeText(node)}"${close}`;
}

/** Kinds whose edges need no word: the drawing already says it. */
const silentKinds = new Set(['next', 'body', 'branch', 'case', 'catch']);
/** Exceptional paths are dotted. */
const dottedKinds = new Set(['catch', 'raise', 'if-skipped']);

function edgeLine(edge: GraphEdge, ids: TextMap<string>): string {
  const word =
    edge.kind === 'raise' && edge.to === endNodeId
      ? 'fault'
      : silentKinds.has(edge.kind)
        ? undefined
        : edge.kind;
  // A default case named `default` would otherwise read `default: default`.
  const text = [...new Set([word, edge.label])].filter((part) => part !== undefined).join(': ');
  const arrow = dottedKinds.has(edge.kind) ? '-.->' : '-->';
  const drawn = text === '' ? '' : `|"${label(text)}"|`;
  return `${ids.get(edge.from)} ${arrow}${drawn} ${ids.get(edge.to)}`;
}

/**
 * The graph as a Mermaid `flowchart TD`: composite tasks become subgraphs holding the task itself
 * and its nested tasks (a try's `catch.do` in a nested `catch` subgraph), node shapes follow the
 * task kind, edges carry their kind or label, and unreachable nodes are drawn dashed.
 */
export function toMermaid(graph: WorkflowGraph): string {
  const ids = mermaidIds(graph.nodes);
  // Node ids are pointers, as long as the names above them: text maps (see textKeyedMap.ts).
  const children = createTextMap<GraphNode[]>();
  for (const node of graph.nodes) {
    if (node.parent !== undefined) {
      const siblings = children.get(node.parent);
      if (siblings === undefined) children.set(node.parent, [node]);
      else siblings.push(node);
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
    lines.push(`${indent}subgraph g${id} ["${label(node.label)}"]`);
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
