/** A step into a document: a property name, or an index into a list. */
export type Segment = string | number;

/** A JSON object (not a list, not null). */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The child of a document value at one segment; undefined when there is none. */
export function childOf(value: unknown, segment: Segment): unknown {
  if (Array.isArray(value)) return value[Number(segment)];
  return isRecord(value) ? value[String(segment)] : undefined;
}

/** The value at `path` inside `root`. */
export function valueAt(root: unknown, path: readonly Segment[]): unknown {
  return path.reduce<unknown>((value, segment) => childOf(value, segment), root);
}

/** The first segment of a JSON pointer (unescaped) and the pointer of the rest. */
export function splitPointer(pointer: string): { head: string | undefined; tail: string } {
  if (pointer === '') return { head: undefined, tail: '' };
  const next = pointer.indexOf('/', 1);
  const raw = next === -1 ? pointer.slice(1) : pointer.slice(1, next);
  return {
    head: raw.includes('~') ? raw.replace(/~1/g, '/').replace(/~0/g, '~') : raw,
    tail: next === -1 ? '' : pointer.slice(next),
  };
}

/** The segments of an instance pointer into `root`, with list indexes as numbers. */
export function decodePointer(pointer: string, root: unknown): Segment[] {
  const segments: Segment[] = [];
  let value = root;
  for (let rest = pointer; rest !== '';) {
    const { head, tail } = splitPointer(rest);
    if (head === undefined) break;
    const segment = Array.isArray(value) ? Number(head) : head;
    segments.push(segment);
    value = childOf(value, segment);
    rest = tail;
  }
  return segments;
}
