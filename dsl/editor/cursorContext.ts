import type { JsonPath } from '../model/taskLists.js';
import {
  climb,
  createBlockOutline,
  lineText,
  mapEntries,
  shallowValue,
  textLines,
} from './blockOutline.js';
import type { BlockNode, BlockOutline, TextLines } from './blockOutline.js';
import { scanKey } from './yamlLine.js';

/** 1-based, as editors count; columns in UTF-16 code units (Monaco, LSP's default). */
export interface CursorPosition {
  line: number;
  column: number;
}

/** What the cursor is on, in terms of the document's JSON shape. */
export interface CursorContext {
  /** A key of a mapping is being typed, or the value after `key: `. */
  at: 'key' | 'value';
  /** For a key, the mapping's path; for a value, the value's own path (its key last). */
  path: JsonPath;
  /** What is already typed of the key or value before the cursor. */
  prefix: string;
  /** The key comes straight after `- `: the item could as well be a scalar. */
  itemStart: boolean;
  /**
   * The document as far as choosing schema branches needs: each mapping along the path with its
   * own entries (nested ones as `{}`/`[]`), without the key being typed; the value being typed
   * is null.
   */
  data: unknown;
  /** containers[i] is the block holding the value at path.slice(0, i). */
  containers: BlockNode[];
  outline: BlockOutline;
}

/** A partial key: anything up to a colon, space or comment, not starting with an indicator. */
const keyLine = /^( *)((?:-[ ]+)*)([^\s:#{}[\],'"&*!|>%@`-][^\s:#]*)?$/;

/** Where the cursor is, or undefined where nothing can be completed (a comment, a block scalar). */
export function cursorContext(text: string, position: CursorPosition): CursorContext | undefined {
  const lines = textLines(text);
  const index = position.line - 1;
  const raw = lineText(lines, index);
  if (raw === undefined || position.column < 1) return undefined;
  const column = position.column - 1;
  // Editors with virtual space may put the cursor past the end of a blank line.
  const before =
    column <= raw.length ? raw.slice(0, column) : raw.trim() === '' ? ' '.repeat(column) : raw;
  const after = raw.slice(before.length);
  if (/^\s*#/.test(before)) return undefined;

  const asKey = keyLine.exec(before);
  if (asKey !== null) return atKey(lines, index, before, after, asKey);
  return atValue(lines, index, before);
}

function atKey(
  lines: TextLines,
  index: number,
  before: string,
  after: string,
  match: RegExpExecArray,
): CursorContext | undefined {
  const typed = match[3] ?? '';
  const rest = /^[^\s:#]*/.exec(after)?.[0] ?? '';
  const beyond = after.slice(rest.length);
  // The cursor must be on the key itself, not in front of something else on the line.
  if (beyond.trim() !== '' && !beyond.startsWith(':')) return undefined;
  const col = before.length - typed.length;
  const dashes: number[] = [];
  for (let i = (match[1] ?? '').length; i < col; i++) if (before[i] === '-') dashes.push(i);
  const outline = createBlockOutline(lines, {
    line: index,
    shape: { indent: dashes[0] ?? col, dashes, contentCol: col, key: typed + rest, value: '' },
  });
  const target: BlockNode = { kind: 'map', col, line: index };
  const climbed = climbToRoot(outline, target);
  if (climbed === undefined) return undefined;
  const own = entriesObject(outline, target, index, 'skip');
  return {
    at: 'key',
    path: climbed.path,
    prefix: typed,
    itemStart: dashes.length > 0,
    data: nest(outline, climbed, own),
    containers: climbed.containers,
    outline,
  };
}

function atValue(lines: TextLines, index: number, before: string): CursorContext | undefined {
  const indent = /^ */.exec(before)?.[0].length ?? 0;
  let col = indent;
  while (before[col] === '-' && before[col + 1] === ' ') {
    col += 1;
    while (before[col] === ' ') col++;
  }
  const key = scanKey(before, col);
  if (key === undefined) return undefined;
  const typed = before.slice(key.end);
  if (!typed.startsWith(' ')) return undefined;
  let prefix = typed.trimStart();
  // A comment, a block scalar or flow collection, an anchor, or a second `key: ` on the line.
  if (/(^|\s)#|^[|>{[&*!]|:(\s|$)/.test(prefix)) return undefined;
  if (prefix.startsWith('"') || prefix.startsWith("'")) prefix = prefix.slice(1);
  const outline = createBlockOutline(lines);
  const target: BlockNode = { kind: 'map', col, line: index };
  const climbed = climbToRoot(outline, target);
  if (climbed === undefined) return undefined;
  const own = entriesObject(outline, target, index, 'null');
  return {
    at: 'value',
    path: [...climbed.path, key.key],
    prefix,
    itemStart: false,
    data: nest(outline, climbed, own),
    containers: climbed.containers,
    outline,
  };
}

interface Climbed {
  path: JsonPath;
  containers: BlockNode[];
}

function climbToRoot(outline: BlockOutline, target: BlockNode): Climbed | undefined {
  const path: JsonPath = [];
  const containers = [target];
  let node = target;
  // Each step moves to an earlier line, so the loop ends; the bound is for safety only.
  for (let steps = 0; steps <= outline.lineCount; steps++) {
    const step = climb(outline, node);
    if (step === undefined) return undefined;
    if (step === 'root') return node.kind === 'map' ? { path, containers } : undefined;
    path.unshift(step.segment);
    containers.unshift(step.parent);
    node = step.parent;
  }
  return undefined;
}

/** The data of every container along the path, the deepest (`own`) inside its parents. */
function nest(outline: BlockOutline, { path, containers }: Climbed, own: unknown): unknown {
  let value = own;
  for (let depth = containers.length - 2; depth >= 0; depth--) {
    const container = containers[depth] as BlockNode;
    const segment = path[depth] as string | number;
    if (container.kind === 'seq') {
      const items: unknown[] = [];
      items[segment as number] = value;
      value = items;
    } else {
      const entries = entriesObject(outline, container, -1, 'skip');
      entries[segment] = value;
      value = entries;
    }
  }
  return value;
}

/** A mapping's entries as an object; the cursor's line is left out, or kept as null. */
function entriesObject(
  outline: BlockOutline,
  node: BlockNode,
  cursorLine: number,
  cursorEntry: 'skip' | 'null',
): Record<string | number, unknown> {
  // No prototype: a key named `__proto__` stays an ordinary key.
  const entries = Object.create(null) as Record<string | number, unknown>;
  for (const entry of mapEntries(outline, node)) {
    if (entry.line !== cursorLine) entries[entry.key] = shallowValue(outline, entry);
    else if (cursorEntry === 'null') entries[entry.key] = null;
  }
  return entries;
}
