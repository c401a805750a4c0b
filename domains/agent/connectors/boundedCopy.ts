import { segmentsOf } from '../../../dsl/index.js';

/**
 * Copies of parts of a tenant's document (schemas, examples) small enough to store per
 * operation and to put in a prompt. A dereferenced document shares objects between the places
 * that referred to them, so a naive copy of a small document can be exponentially large
 * ("billion laughs" through `$ref`); every copy here is bounded in nodes and depth instead.
 */
export interface CopyLimits {
  /** Most values (objects, arrays, scalars) in one copy. */
  maxNodes: number;
  /** Deepest nesting kept. */
  maxDepth: number;
  /** How many local `$ref`s deep a copy inlines what the parser left referenced (cycles). */
  maxRefDepth: number;
}

export const defaultCopyLimits: CopyLimits = { maxNodes: 5_000, maxDepth: 48, maxRefDepth: 3 };

/** Stands in for a value too large to keep; says so to whoever reads it. */
export const omitted = (why: string) => ({ 'x-awp-omitted': why });

class TooLarge extends Error {}

/**
 * A JSON copy of `value`: local `$ref`s that remain (the parser leaves circular ones) are
 * inlined from `document` up to `maxRefDepth`, a reference inside its own expansion is kept
 * as `$ref`, and past `maxNodes` the whole copy is replaced by an `x-awp-omitted` note.
 */
export function boundedCopy(
  value: unknown,
  document: unknown,
  limits: CopyLimits = defaultCopyLimits,
): unknown {
  let nodes = 0;
  const copy = (node: unknown, depth: number, refs: readonly string[]): unknown => {
    nodes += 1;
    if (nodes > limits.maxNodes) throw new TooLarge();
    if (node === null || typeof node !== 'object') return node;
    if (depth >= limits.maxDepth) return omitted(`nested deeper than ${limits.maxDepth} levels`);
    if (Array.isArray(node)) return node.map((item) => copy(item, depth + 1, refs));
    const record = node as Record<string, unknown>;
    const ref = record.$ref;
    if (typeof ref === 'string' && ref.startsWith('#') && !refs.includes(ref)) {
      const target = refs.length < limits.maxRefDepth ? resolvePointer(document, ref) : undefined;
      if (target !== undefined) {
        const { $ref: _ref, ...siblings } = record;
        const inlined = copy(target, depth, [...refs, ref]);
        if (inlined === null || typeof inlined !== 'object' || Array.isArray(inlined)) {
          return inlined;
        }
        return { ...(inlined as object), ...(copy(siblings, depth, refs) as object) };
      }
    }
    // fromEntries defines own properties, so a `__proto__` key stays a key, not a prototype.
    return Object.fromEntries(
      Object.entries(record).map(([key, item]) => [key, copy(item, depth + 1, refs)]),
    );
  };
  try {
    return copy(value, 0, []);
  } catch (error) {
    if (error instanceof TooLarge) return omitted(`larger than ${limits.maxNodes} values`);
    throw error;
  }
}

/** The value a local reference (`#/components/schemas/Pet`) points at, if any. */
export function resolvePointer(document: unknown, ref: string): unknown {
  let pointer: string;
  try {
    pointer = decodeURIComponent(ref.slice(1));
  } catch {
    return undefined;
  }
  let node = document;
  for (const segment of segmentsOf(pointer)) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, segment)) {
      return undefined;
    }
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

/** Where `referenceExpansion` stopped counting, and why. */
export type ExpansionVerdict = { ok: true } | { ok: false; reason: 'too-large' | 'too-deep' };

/**
 * Whether the document, with every local `$ref` replaced by what it points at (as the parser's
 * validation sees it), stays within `maxNodes` values and `maxRefNesting` references inside
 * one another. A document whose references each repeat the one below twice is small as text
 * and astronomically large once expanded: it must be refused before anything walks it. Each
 * reference is counted once (memoised), a reference inside its own expansion as one value.
 */
export function referenceExpansion(
  document: unknown,
  maxNodes: number,
  maxRefNesting = 100,
): ExpansionVerdict {
  const sizes = new Map<string, number>();
  const open: string[] = [];
  let verdict: ExpansionVerdict = { ok: true };
  const sizeOf = (node: unknown): number => {
    if (node === null || typeof node !== 'object') return 1;
    const ref = (node as Record<string, unknown>).$ref;
    if (typeof ref === 'string' && ref.startsWith('#')) {
      const known = sizes.get(ref);
      if (known !== undefined) return known;
      if (open.includes(ref)) return 1;
      if (open.length >= maxRefNesting) {
        verdict = { ok: false, reason: 'too-deep' };
        return maxNodes + 1;
      }
      const target = resolvePointer(document, ref);
      if (target === undefined) return 1;
      open.push(ref);
      const size = sizeOf(target);
      open.pop();
      sizes.set(ref, size);
      return size;
    }
    let size = 1;
    for (const child of Object.values(node)) {
      size += sizeOf(child);
      if (size > maxNodes) break;
    }
    return size;
  };
  if (sizeOf(document) > maxNodes && verdict.ok) verdict = { ok: false, reason: 'too-large' };
  return verdict;
}
