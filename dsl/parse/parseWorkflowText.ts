import { isUtf8 } from 'node:buffer';
import {
  EVENT_ID,
  NOT_RESOLVED,
  SCALAR_STYLE,
  YAMLException,
  boolCoreTag,
  floatCoreTag,
  intCoreTag,
  nullCoreTag,
  constructFromEvents,
  getScalarValue,
  parseEvents,
} from 'js-yaml';
import type { Event as YamlEvent, ScalarEvent } from 'js-yaml';
import { pointerOf } from '../problems.js';
import type { DslProblem } from '../problems.js';

export interface ParseOptions {
  /** Largest document accepted, in bytes of UTF-8. Default 1 MiB. */
  maxBytes?: number;
  /** Most aliases (`*name`) a document may use. Default 100. */
  maxAliasCount?: number;
}

export const defaultParseLimits = { maxBytes: 1_048_576, maxAliasCount: 100 } as const;

/** Deeper than any real workflow (each nested task adds about four levels); later stages recurse. */
const maxDepth = 256;
const quoted = { single: SCALAR_STYLE.SINGLE_QUOTED, double: SCALAR_STYLE.DOUBLE_QUOTED };

/** How many nodes a document may reach through its aliases, counting every expansion. */
const maxAliasNodes = 100_000;

export interface SourcePosition {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

/** A parsed document: its plain JSON value and where each of its nodes came from. */
export interface ParsedDocument {
  value: unknown;
  /**
   * Where the node at `path` starts: its key when `at` is 'key' and the node is a mapping entry,
   * otherwise its value. A path that does not exist resolves to its nearest existing ancestor.
   */
  positionOf(path: readonly (string | number)[], at?: 'key' | 'value'): SourcePosition;
}

export type ParseResult =
  | { ok: true; document: ParsedDocument; warnings: DslProblem[] }
  | { ok: false; problems: DslProblem[] };

const start: SourcePosition = { line: 1, column: 1 };

/**
 * Reads a workflow written in YAML or JSON (JSON is YAML 1.2, so one parser keeps positions for
 * both). Every hazard is an error with a position rather than an exception or unbounded work:
 * oversized input is refused before parsing, invalid UTF-8 is located, duplicate keys and
 * multiple documents are refused, and aliases are expanded at most `maxAliasCount` times.
 */
export function parseWorkflowText(
  input: string | Uint8Array,
  options: ParseOptions = {},
): ParseResult {
  const maxBytes = options.maxBytes ?? defaultParseLimits.maxBytes;
  const maxAliasCount = options.maxAliasCount ?? defaultParseLimits.maxAliasCount;
  const failed = (problem: Omit<DslProblem, 'severity' | 'path'>, path = ''): ParseResult => ({
    ok: false,
    problems: [{ severity: 'error', path, ...problem }],
  });

  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (size > maxBytes) {
    return failed({
      code: 'input-too-large',
      message: `the document is ${size} bytes; the limit is ${maxBytes} bytes`,
      ...start,
    });
  }
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    if (!isUtf8(input)) {
      const offset = firstInvalidUtf8Byte(input);
      return failed({
        code: 'input-not-utf8',
        message: `the document is not valid UTF-8 (byte ${offset})`,
        ...positionInBytes(input, offset),
      });
    }
    text = Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8');
  }
  // The parser recurses per nesting level: absurd nesting is refused, not a crash.
  const tooDeep = () =>
    failed({
      code: 'document-too-deep',
      message: `the document nests more than ${maxDepth} levels deep`,
      ...start,
    });
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') {
    return failed({ code: 'document-empty', message: 'the document is empty', ...start });
  }

  const at = positionsIn(text);
  // The event stream carries source offsets: one pass gives both the value and the positions,
  // at a fraction of the cost of a full syntax tree.
  let events: YamlEvent[];
  try {
    events = parseEvents(text, { maxDepth });
  } catch (error) {
    return yamlFailure(error, at) ?? tooDeep();
  }
  const walked = walkEvents(events, text, maxAliasCount);
  if ('problem' in walked) {
    const { code, message, offset } = walked.problem;
    return failed({ code, message, ...at(offset) });
  }
  let value: unknown;
  try {
    value = constructFromEvents(events, { source: text, maxAliases: maxAliasCount })[0];
  } catch (error) {
    return yamlFailure(error, at) ?? tooDeep();
  }
  // Aliases share one value instead of copying it, so memory stays small; but whoever walks the
  // value later (the schema, the rules, JSON) sees every copy. Their total is bounded here.
  if (walked.aliases > 0 && expandedSize(value, maxAliasNodes) > maxAliasNodes) {
    return failed({
      code: 'yaml-alias-limit',
      message: `the document's aliases expand to more than ${maxAliasNodes} nodes (an alias bomb?)`,
      ...start,
    });
  }
  const index = walked.index;
  return {
    ok: true,
    warnings: [],
    document: {
      value,
      positionOf(path, target = 'value') {
        for (let length = path.length; length >= 0; length--) {
          const entry = index.get(pointerOf(path.slice(0, length)));
          if (entry === undefined) continue;
          const offset =
            target === 'key' && length === path.length ? (entry.key ?? entry.value) : entry.value;
          return at(offset);
        }
        return start;
      },
    },
  };

  /** A parser or constructor exception as problems, or undefined if it was not a YAML error. */
  function yamlFailure(error: unknown, where: (offset: number) => SourcePosition) {
    if (!(error instanceof YAMLException)) return undefined;
    const reason = error.reason;
    if (/maxDepth/.test(reason)) return undefined;
    const position = error.mark ? where(error.mark.position) : start;
    if (/maxAliases/.test(reason)) {
      return failed({
        code: 'yaml-alias-limit',
        message: `the document uses more than ${maxAliasCount} aliases (an alias bomb?)`,
        ...position,
      });
    }
    if (/duplicated mapping key/.test(reason)) {
      return failed({
        code: 'yaml-duplicate-key',
        message: 'a key appears twice in the same mapping',
        ...position,
      });
    }
    return failed({ code: 'yaml-syntax', message: reason, ...position });
  }
}

interface Offsets {
  key?: number;
  value: number;
}

/**
 * Nodes of `value` as if every shared (aliased) object were copied, stopping once past `limit`.
 * Memoised per object, so the work is proportional to the distinct nodes, not their copies.
 */
function expandedSize(value: unknown, limit: number): number {
  const sizes = new Map<object, number>();
  const sizeOf = (node: unknown): number => {
    if (node === null || typeof node !== 'object') return 1;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    let size = 1;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      size += sizeOf(child);
      if (size > limit) break;
    }
    sizes.set(node, size);
    return size;
  };
  return sizeOf(value);
}

/** The core schema's implicit scalar types, in the order the constructor tries them. */
const implicitTags = [nullCoreTag, boolCoreTag, intCoreTag, floatCoreTag];

/**
 * The object key a mapping key becomes: a plain `0x10` is the number 16, `True` is true and `~`
 * is null, each turned into a string, exactly as the constructed value has it.
 */
function keySegment(text: string, event: ScalarEvent): string {
  const source = getScalarValue(text, event);
  if (event.style !== SCALAR_STYLE.PLAIN || event.tagStart >= 0) return source;
  for (const tag of implicitTags) {
    const value = tag.resolve(source, false, tag.tagName);
    if (value !== NOT_RESOLVED) return String(value);
  }
  return source;
}

const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/** 1-based line and column of an offset, by binary search over the line starts. */
function positionsIn(text: string): (offset: number) => SourcePosition {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  return (at) => {
    const offset = Math.max(0, Math.min(at, text.length));
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((lineStarts[middle] as number) <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - (lineStarts[low] as number) + 1 };
  };
}

interface Frame {
  kind: 'mapping' | 'sequence';
  pointer: string;
  /** Sequences: the next item's index. */
  next: number;
  /** Mappings: the key read, awaiting its value (undefined: the next node is a key). */
  key?: { segment: string; offset: number };
  /** Inside a non-scalar mapping key: its nodes get no pointers. */
  inKey: boolean;
  anchor?: string;
}

type Walked =
  | { index: Map<string, Offsets>; aliases: number }
  | { problem: { code: string; message: string; offset: number } };

/**
 * One pass over the events: the offsets of every node by JSON pointer, and the hazards the
 * constructor would not name clearly: several documents, and an alias to a node that encloses
 * it (its value would be circular).
 */
function walkEvents(events: readonly YamlEvent[], text: string, maxAliasCount: number): Walked {
  const index = new Map<string, Offsets>();
  const stack: Frame[] = [];
  /** Where a node starts: a quoted scalar at its opening quote, as an editor shows it. */
  const source = (event: YamlEvent) =>
    'start' in event
      ? event.start
      : 'valueStart' in event
        ? event.valueStart -
          (event.style === quoted.single || event.style === quoted.double ? 1 : 0)
        : 0;
  let documents = 0;
  let aliases = 0;
  for (const event of events) {
    if (event.type === EVENT_ID.DOCUMENT) {
      documents++;
      if (documents > 1) {
        // Reported at the `---` that starts the second document (the event has no offset).
        const first = events[events.indexOf(event) + 1];
        const content = first ? source(first) : text.length;
        const marker = text.lastIndexOf('---', content);
        return {
          problem: {
            code: 'yaml-multiple-documents',
            message: 'the file holds several YAML documents; a workflow is one',
            offset: marker >= 0 ? marker : content,
          },
        };
      }
      continue;
    }
    if (event.type === EVENT_ID.POP) {
      const closed = stack.pop();
      const parent = stack.at(-1);
      if (closed !== undefined && parent !== undefined)
        settle(parent, closed.inKey && !parent.inKey);
      continue;
    }
    const parent = stack.at(-1);
    if (event.type === EVENT_ID.ALIAS) {
      const name = text.slice(event.anchorStart, event.anchorEnd);
      if (stack.some((frame) => frame.anchor === name)) {
        return {
          problem: {
            code: 'yaml-alias-cycle',
            message: `alias '*${name}' refers to a node that contains it; its value would never end`,
            offset: event.anchorStart - 1,
          },
        };
      }
      aliases++;
      if (aliases > maxAliasCount) {
        return {
          problem: {
            code: 'yaml-alias-limit',
            message: `the document uses more than ${maxAliasCount} aliases (an alias bomb?)`,
            offset: event.anchorStart - 1,
          },
        };
      }
    }
    // Where this node sits: a mapping key, a mapping value or a sequence item.
    let pointer: string | undefined;
    let keyOffset: number | undefined;
    let isKey = false;
    if (parent === undefined) pointer = '';
    else if (parent.inKey) pointer = undefined;
    else if (parent.kind === 'sequence') pointer = `${parent.pointer}/${parent.next}`;
    else if (parent.key === undefined) isKey = true;
    else {
      pointer = `${parent.pointer}/${escape(parent.key.segment)}`;
      keyOffset = parent.key.offset;
    }
    const offset = source(event);
    if (pointer !== undefined && event.type !== EVENT_ID.ALIAS) {
      index.set(pointer, { key: keyOffset, value: offset });
    } else if (pointer !== undefined) {
      index.set(pointer, { key: keyOffset, value: event.anchorStart - 1 });
    }
    if (event.type === EVENT_ID.SCALAR || event.type === EVENT_ID.ALIAS) {
      if (isKey && parent !== undefined) {
        const segment = event.type === EVENT_ID.SCALAR ? keySegment(text, event) : '<alias>';
        parent.key = { segment, offset };
      } else if (parent !== undefined) settle(parent, false);
      continue;
    }
    stack.push({
      kind: event.type === EVENT_ID.MAPPING ? 'mapping' : 'sequence',
      pointer: pointer ?? '',
      next: 0,
      inKey: isKey || (parent?.inKey ?? false),
      ...(event.anchorStart >= 0 ? { anchor: text.slice(event.anchorStart, event.anchorEnd) } : {}),
    });
  }
  return { index, aliases };

  /** A child of `parent` is complete: advance to the next item or key. */
  function settle(parent: Frame, wasComplexKey: boolean) {
    if (parent.kind === 'sequence') parent.next++;
    else if (wasComplexKey) parent.key = { segment: '<complex key>', offset: 0 };
    else parent.key = undefined;
  }
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence. */
function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length;) {
    const lead = bytes[i] as number;
    const length =
      lead < 0x80
        ? 1
        : lead >= 0xc2 && lead < 0xe0
          ? 2
          : lead >= 0xe0 && lead < 0xf0
            ? 3
            : lead >= 0xf0 && lead < 0xf5
              ? 4
              : 0;
    if (length === 0) return i;
    const sequence = bytes.subarray(i, i + length);
    if (sequence.length < length || !isUtf8(sequence)) return i;
    i += length;
  }
  return bytes.length;
}

/** Line and column (in characters) of byte `offset`, counting only the valid text before it. */
function positionInBytes(bytes: Uint8Array, offset: number): SourcePosition {
  const before = Buffer.from(bytes.buffer, bytes.byteOffset, offset).toString('utf8');
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}
