import { isUtf8 } from 'node:buffer';
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import { pointerOf } from '../problems.js';
import type { DslProblem } from '../problems.js';

export interface ParseOptions {
  /** Largest document accepted, in bytes of UTF-8. Default 1 MiB. */
  maxBytes?: number;
  /** Most alias dereferences allowed while building the value (alias bombs). Default 100. */
  maxAliasCount?: number;
}

export const defaultParseLimits = { maxBytes: 1_048_576, maxAliasCount: 100 } as const;

/** Deeper than any real workflow (each nested task adds about four levels); later stages recurse. */
const maxDepth = 256;
const maxYamlErrors = 10;

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

  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, {
      lineCounter,
      uniqueKeys: true,
      schema: 'core',
      prettyErrors: false,
      keepSourceTokens: false,
    });
  } catch {
    return tooDeep();
  }
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  if (doc.errors.some((error) => error.message.includes('call stack'))) return tooDeep();
  if (doc.errors.length > 0) {
    return {
      ok: false,
      // A broken bracket can cascade into an error per following line: the first few say it.
      problems: doc.errors.slice(0, maxYamlErrors).map((error) => ({
        severity: 'error',
        code: yamlErrorCode(error.code),
        message: yamlErrorMessage(error.code, error.message),
        path: '',
        ...at(error.pos[0]),
      })),
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount });
  } catch (error) {
    const message = (error as Error).message;
    if (/alias/i.test(message)) {
      return failed({
        code: 'yaml-alias-limit',
        message: `the document expands aliases more than ${maxAliasCount} times (an alias bomb?)`,
        ...start,
      });
    }
    if (error instanceof RangeError) return tooDeep();
    return failed({ code: 'yaml-syntax', message, ...start });
  }
  const index = indexPositions(doc.contents);
  if (index === undefined) return tooDeep();
  const warnings: DslProblem[] = doc.warnings.map((warning) => ({
    severity: 'warning',
    code: 'yaml-warning',
    message: warning.message.split('\n')[0] ?? warning.message,
    path: '',
    ...at(warning.pos[0]),
  }));
  return {
    ok: true,
    warnings,
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
}

interface Offsets {
  key?: number;
  value: number;
}

/** Offsets of every node by JSON pointer, found in one walk; undefined if nested too deep. */
function indexPositions(root: YamlNode | null): Map<string, Offsets> | undefined {
  const index = new Map<string, Offsets>();
  const visit = (node: unknown, pointer: string, keyOffset: number | undefined, depth: number) => {
    if (depth > maxDepth) return false;
    const range = (node as { range?: [number, number, number] } | null)?.range;
    index.set(pointer, { key: keyOffset, value: range?.[0] ?? keyOffset ?? 0 });
    if (isMap(node)) {
      for (const item of node.items) {
        if (!isPair(item)) continue;
        const key = isScalar(item.key) ? String(item.key.value) : String(item.key);
        const keyRange = (item.key as { range?: [number, number, number] } | null)?.range;
        if (!visit(item.value, `${pointer}/${escape(key)}`, keyRange?.[0], depth + 1)) return false;
      }
    } else if (isSeq(node)) {
      for (const [i, item] of node.items.entries()) {
        if (!visit(item, `${pointer}/${i}`, undefined, depth + 1)) return false;
      }
    }
    return true;
  };
  return visit(root, '', undefined, 0) ? index : undefined;
}

const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

function yamlErrorCode(code: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'yaml-duplicate-key';
    case 'MULTIPLE_DOCS':
      return 'yaml-multiple-documents';
    default:
      return 'yaml-syntax';
  }
}

function yamlErrorMessage(code: string, message: string): string {
  if (code === 'DUPLICATE_KEY') return 'a key appears twice in the same mapping';
  if (code === 'MULTIPLE_DOCS') return 'the file holds several YAML documents; a workflow is one';
  // The library's first line is the sentence; the rest repeats the source with a caret.
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
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
