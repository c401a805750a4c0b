import { inlineScalar, opensBlock, readYamlLine } from './yamlLine.js';
import type { YamlLine } from './yamlLine.js';

/*
 * Why indentation and not the yaml AST: parseDocument takes about 65 ms on a 500-task workflow
 * (even the bare lexer about 13 ms), far over a keystroke's budget, while an editor's document is
 * block YAML whose nesting the indentation states. So completion reads only the lines it needs,
 * one at a time, and never fails on a broken line elsewhere in the document.
 */

/** A block collection: a mapping whose keys, or a sequence whose `- `, sit at `col`. */
export interface BlockNode {
  kind: 'map' | 'seq';
  col: number;
  /** A line holding one of its keys or items. */
  line: number;
}

/** One `key: value` of a mapping. */
export interface BlockEntry {
  key: string;
  line: number;
  col: number;
  /** The inline value; '' when the content is on the following lines. */
  value: string;
}

/** A text and where each of its lines starts: found with one pass, the lines never copied. */
export interface TextLines {
  readonly text: string;
  readonly starts: readonly number[];
}

/** Where the lines of `text` start. */
export function textLines(text: string): TextLines {
  const starts = [0];
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  return { text, starts };
}

/** Line `index` (0-based) without its line break; undefined past the end. */
export function lineText({ text, starts }: TextLines, index: number): string | undefined {
  const start = starts[index];
  if (start === undefined) return undefined;
  const next = starts[index + 1];
  const end = next === undefined ? text.length : next - 1;
  return text.slice(start, text.charCodeAt(end - 1) === 13 && end > start ? end - 1 : end);
}

/** The lines of a document, each read at most once. */
export interface BlockOutline {
  readonly lineCount: number;
  /** The line's shape; undefined for blank and comment lines. */
  line(index: number): YamlLine | undefined;
  /**
   * The line's indentation, as `line(index)?.indent` but without reading the rest of the line:
   * scans skip the many deeper lines on this alone.
   */
  indent(index: number): number | undefined;
}

const unknownIndent = -2;
const noIndent = -1;

/** An outline of `lines`; `override` replaces one line's shape (the one being typed). */
export function createBlockOutline(
  lines: TextLines,
  override?: { line: number; shape: YamlLine },
): BlockOutline {
  const { text, starts } = lines;
  const shapes = new Map<number, YamlLine | undefined>();
  const indents = new Int32Array(starts.length).fill(unknownIndent);
  const line = (index: number) => {
    if (override !== undefined && index === override.line) return override.shape;
    if (shapes.has(index)) return shapes.get(index);
    const content = lineText(lines, index);
    const shape = content === undefined ? undefined : readYamlLine(content);
    shapes.set(index, shape);
    return shape;
  };
  const measure = (index: number) => {
    const start = starts[index] as number;
    let at = start;
    while (text.charCodeAt(at) === 32) at++;
    // Column 0 may hold a document marker or a directive: let the full reading decide.
    if (at === start || (override !== undefined && index === override.line)) {
      return line(index)?.indent ?? noIndent;
    }
    const char = text.charCodeAt(at);
    // Blank, a comment, or a tab (an error in YAML indentation, so nothing to learn from).
    return Number.isNaN(char) || char === 10 || char === 13 || char === 35 || char === 9
      ? noIndent
      : at - start;
  };
  return {
    lineCount: starts.length,
    line,
    indent(index) {
      if (index < 0 || index >= starts.length) return undefined;
      let indent = indents[index] as number;
      if (indent === unknownIndent) indent = indents[index] = measure(index);
      return indent === noIndent ? undefined : indent;
    },
  };
}

/** One step up the nesting: the segment naming `node` inside its parent, or 'root'. */
export type Climb = { segment: string | number; parent: BlockNode } | 'root' | undefined;

/** The collection holding `node`; undefined where the lines do not nest as block YAML does. */
export function climb(outline: BlockOutline, node: BlockNode): Climb {
  return node.kind === 'map' ? climbFromMap(outline, node) : climbFromSeq(outline, node);
}

function climbFromMap(outline: BlockOutline, node: BlockNode): Climb {
  const own = outline.line(node.line);
  if (own !== undefined && own.dashes.length > 0 && own.contentCol === node.col) {
    return itemOf(outline, own.dashes.at(-1) as number, node.line);
  }
  for (let index = node.line - 1; index >= 0; index--) {
    // Deeper lines belong to siblings; a line at the mapping's column is a sibling key, or a
    // sequence given as a sibling's value in compact form (`do:` then `- task:` below it).
    if ((outline.indent(index) ?? node.col) >= node.col) continue;
    const line = outline.line(index);
    if (line === undefined) continue;
    if (line.dashes.length > 0 && line.contentCol === node.col) {
      return line.key === undefined
        ? undefined
        : itemOf(outline, line.dashes.at(-1) as number, index);
    }
    if (line.key !== undefined && line.contentCol < node.col) {
      return parentKey(line, index);
    }
    if (line.key === undefined && line.value === '' && line.dashes.length > 0) {
      return itemOf(outline, line.dashes.at(-1) as number, index);
    }
    return undefined;
  }
  return 'root';
}

function climbFromSeq(outline: BlockOutline, node: BlockNode): Climb {
  const own = outline.line(node.line);
  const at = own?.dashes.indexOf(node.col) ?? -1;
  if (at > 0) return itemOf(outline, own?.dashes[at - 1] as number, node.line);
  for (let index = node.line - 1; index >= 0; index--) {
    if (deeper(outline, index, node.col)) continue;
    const line = outline.line(index) as YamlLine;
    if (line.indent === node.col && line.dashes[0] === node.col) continue;
    if (line.key !== undefined && line.contentCol <= node.col) return parentKey(line, index);
    if (line.key === undefined && line.value === '' && line.dashes.length > 0) {
      const dash = line.dashes.at(-1) as number;
      return dash < node.col ? itemOf(outline, dash, index) : undefined;
    }
    return undefined;
  }
  return undefined;
}

/** The key on `line` holds the child mapping or sequence, unless it already has a scalar. */
function parentKey(line: YamlLine, index: number): Climb {
  if (line.key === undefined || !opensBlock(line.value)) return undefined;
  return { segment: line.key, parent: { kind: 'map', col: line.contentCol, line: index } };
}

/** The item opened by the dash at `dash` on `line`: its index in that sequence. */
function itemOf(outline: BlockOutline, dash: number, line: number): Climb {
  return {
    segment: itemLines(outline, { kind: 'seq', col: dash, line }, 'above').length,
    parent: { kind: 'seq', col: dash, line },
  };
}

/** Lines opening the sequence's items: all of them, or only those above `node.line`. */
export function itemLines(
  outline: BlockOutline,
  node: BlockNode,
  which: 'all' | 'above' = 'all',
): number[] {
  const above: number[] = [];
  const own = outline.line(node.line);
  // A sequence opened after an outer dash on the same line (`- - a`) has no items above it.
  if (own?.dashes[0] === node.col) {
    for (let index = node.line - 1; index >= 0; index--) {
      if (deeper(outline, index, node.col)) continue;
      const line = outline.line(index) as YamlLine;
      if (line.dashes.includes(node.col)) above.push(index);
      if (line.dashes[0] !== node.col) break;
    }
    above.reverse();
  }
  if (which === 'above') return above;
  const items = [...above, node.line];
  for (let index = node.line + 1; index < outline.lineCount; index++) {
    if (deeper(outline, index, node.col)) continue;
    const line = outline.line(index) as YamlLine;
    if (line.dashes[0] !== node.col) break;
    items.push(index);
  }
  return items;
}

/** The entries of a mapping, in document order, from its first line to its last. */
export function mapEntries(outline: BlockOutline, node: BlockNode): BlockEntry[] {
  const entry = (line: YamlLine, index: number): BlockEntry[] =>
    line.key === undefined
      ? []
      : [{ key: line.key, line: index, col: line.contentCol, value: line.value }];
  const above: BlockEntry[] = [];
  const own = outline.line(node.line);
  const opensOnOwnLine = own !== undefined && own.dashes.length > 0 && own.contentCol === node.col;
  for (let index = node.line - 1; index >= 0 && !opensOnOwnLine; index--) {
    if (deeper(outline, index, node.col)) continue;
    const line = outline.line(index) as YamlLine;
    if (line.indent === node.col) {
      if (line.dashes.length === 0) above.push(...entry(line, index));
      continue;
    }
    if (line.dashes.length > 0 && line.contentCol === node.col) above.push(...entry(line, index));
    break;
  }
  const entries = above.reverse();
  if (own !== undefined && own.contentCol === node.col) entries.push(...entry(own, node.line));
  for (let index = node.line + 1; index < outline.lineCount; index++) {
    if (deeper(outline, index, node.col)) continue;
    const line = outline.line(index) as YamlLine;
    if (line.indent < node.col) break;
    if (line.dashes.length === 0) entries.push(...entry(line, index));
  }
  return entries;
}

/** The mapping nested under `entry` on the following lines, if there is one. */
export function childMap(outline: BlockOutline, entry: BlockEntry): BlockNode | undefined {
  if (!opensBlock(entry.value)) return undefined;
  const next = nextLine(outline, entry.line);
  if (next === undefined) return undefined;
  const line = outline.line(next) as YamlLine;
  if (line.indent <= entry.col || line.dashes.length > 0 || line.key === undefined) {
    return undefined;
  }
  return { kind: 'map', col: line.indent, line: next };
}

/**
 * The entry's value as far as choosing a schema branch needs: scalars as written, nested
 * collections as an empty object or array, nothing yet as null.
 */
export function shallowValue(outline: BlockOutline, entry: BlockEntry): unknown {
  if (!opensBlock(entry.value)) return inlineScalar(entry.value);
  const next = nextLine(outline, entry.line);
  const line = next === undefined ? undefined : outline.line(next);
  if (line === undefined) return null;
  if (line.dashes[0] !== undefined && line.indent >= entry.col) return [];
  return line.indent > entry.col ? {} : null;
}

/** The key of the mapping that opens each item of a sequence (a task list's task names). */
export function itemKeys(
  outline: BlockOutline,
  node: BlockNode,
): Array<{ key: string; line: number }> {
  const keys: Array<{ key: string; line: number }> = [];
  for (const index of itemLines(outline, node)) {
    const line = outline.line(index) as YamlLine;
    if (line.dashes.at(-1) !== node.col) continue;
    if (line.key !== undefined) {
      keys.push({ key: line.key, line: index });
      continue;
    }
    // `-` alone on its line, the item's mapping below it.
    const next = line.value === '' ? nextLine(outline, index) : undefined;
    const below = next === undefined ? undefined : outline.line(next);
    if (below?.key !== undefined && below.indent > node.col && below.dashes.length === 0) {
      keys.push({ key: below.key, line: next as number });
    }
  }
  return keys;
}

/** Blank, a comment, or indented past `col`: a line scans pass over. */
function deeper(outline: BlockOutline, index: number, col: number): boolean {
  return (outline.indent(index) ?? Infinity) > col;
}

function nextLine(outline: BlockOutline, after: number): number | undefined {
  for (let index = after + 1; index < outline.lineCount; index++) {
    if (outline.indent(index) !== undefined) return index;
  }
  return undefined;
}
