import { isRecord } from './instancePaths.js';

/**
 * Reading the official schema as a graph of nodes addressed by JSON pointer (`#/$defs/task`),
 * which is how the failure explanation walks it beside the document.
 */

/** A schema object, or `true`/`false`. */
export type SchemaNode = boolean | Record<string, unknown>;

const escapeSegment = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/** The pointer of `key` inside the node at `pointer`. */
export const childPointer = (pointer: string, ...keys: (string | number)[]) =>
  keys.reduce<string>((at, key) => `${at}/${escapeSegment(String(key))}`, pointer);

const nodesByPointer = new WeakMap<object, Map<string, SchemaNode | undefined>>();

/** The node at a `#/…` pointer of `root`; undefined when the pointer leads nowhere. Memoised. */
export function nodeAt(root: SchemaNode, pointer: string): SchemaNode | undefined {
  if (typeof root === 'boolean') return pointer === '#' ? root : undefined;
  let nodes = nodesByPointer.get(root);
  if (nodes === undefined) {
    nodes = new Map();
    nodesByPointer.set(root, nodes);
  }
  if (nodes.has(pointer)) return nodes.get(pointer);
  let node: unknown = root;
  for (const raw of pointer.replace(/^#/, '').split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isRecord(node)) node = node[key];
    else node = undefined;
  }
  const found = typeof node === 'boolean' || isRecord(node) ? node : undefined;
  nodes.set(pointer, found);
  return found;
}

/** The JSON Schema type names a value has (`integer` values are also `number`s). */
export function jsonTypesOf(value: unknown): string[] {
  if (value === null) return ['null'];
  if (Array.isArray(value)) return ['array'];
  if (typeof value === 'number')
    return Number.isInteger(value) ? ['integer', 'number'] : ['number'];
  return [typeof value];
}

/** The types a node admits, or undefined when it does not say. */
export function typesOf(node: SchemaNode): string[] | undefined {
  if (!isRecord(node)) return undefined;
  if (typeof node.type === 'string') return [node.type];
  if (Array.isArray(node.type)) return node.type.filter((t): t is string => typeof t === 'string');
  return undefined;
}

/** The local target of a `$ref` (`#/$defs/x`); remote references are not used by the schema. */
export function refTarget(node: SchemaNode): string | undefined {
  return isRecord(node) && typeof node.$ref === 'string' && node.$ref.startsWith('#')
    ? node.$ref
    : undefined;
}

/** The branches of a node's `oneOf` or `anyOf`, if it has one. */
export function compositeOf(
  node: SchemaNode,
): { keyword: 'oneOf' | 'anyOf'; branches: SchemaNode[] } | undefined {
  if (!isRecord(node)) return undefined;
  for (const keyword of ['oneOf', 'anyOf'] as const) {
    const branches = node[keyword];
    if (Array.isArray(branches)) return { keyword, branches: branches as SchemaNode[] };
  }
  return undefined;
}

/** Applicators that evaluate the same value without choosing: `$ref` and `allOf`. */
export function sameValueSteps(node: SchemaNode, pointer: string): string[] {
  if (!isRecord(node)) return [];
  const steps: string[] = [];
  const ref = refTarget(node);
  if (ref !== undefined) steps.push(ref);
  if (Array.isArray(node.allOf))
    node.allOf.forEach((_, i) => steps.push(childPointer(pointer, 'allOf', i)));
  return steps;
}

/** The subschema that validates child `segment` of an instance, if the node has one. */
export function childStep(
  node: SchemaNode,
  pointer: string,
  segment: string | number,
): string | undefined {
  if (!isRecord(node)) return undefined;
  if (typeof segment === 'number') {
    return node.items !== undefined ? childPointer(pointer, 'items') : undefined;
  }
  if (isRecord(node.properties) && segment in node.properties) {
    return childPointer(pointer, 'properties', segment);
  }
  if (node.additionalProperties !== undefined && typeof node.additionalProperties !== 'boolean') {
    return childPointer(pointer, 'additionalProperties');
  }
  return undefined;
}

/** Keywords that only describe: a node holding nothing else beside a `$ref` just forwards it. */
const annotations = new Set(['$ref', 'title', 'description', 'default', 'examples', '$comment']);

/** A `$ref` with only annotations beside it: its target sees exactly what it sees. */
export function isPassThrough(node: SchemaNode): boolean {
  return (
    typeof node !== 'boolean' &&
    '$ref' in node &&
    Object.keys(node).every((k) => annotations.has(k))
  );
}

/**
 * Whether more than one subschema evaluates this node's value itself (`$ref`, `allOf`, `oneOf`,
 * `anyOf`, `if`/`then`/`else`), so that an error at the value cannot be attributed to the node,
 * nor an error under a child to the child's subschema, without knowing its `parentSchema`.
 */
export function needsErrorOrigins(node: SchemaNode): boolean {
  return (
    typeof node !== 'boolean' &&
    ['$ref', 'allOf', 'oneOf', 'anyOf', 'if', 'then', 'else', 'dependentSchemas'].some(
      (keyword) => keyword in node,
    )
  );
}

/** The `required` names of a node. */
export function requiredOf(node: SchemaNode): string[] {
  return isRecord(node) && Array.isArray(node.required)
    ? node.required.filter((name): name is string => typeof name === 'string')
    : [];
}

/** The `properties` of a node. */
export function propertiesOf(node: SchemaNode): Record<string, SchemaNode> {
  return isRecord(node) && isRecord(node.properties)
    ? (node.properties as Record<string, SchemaNode>)
    : {};
}

/**
 * Every property name the node at `pointer` can evaluate on its value, through `$ref`, `allOf`,
 * every alternative of a `oneOf`/`anyOf` and `then`/`else`: the names a typo is measured against,
 * and the names that are not unknown when only a failed alternative left them unevaluated.
 */
export function declaredNames(root: SchemaNode, pointer: string): ReadonlySet<string> {
  const key = typeof root === 'boolean' ? undefined : root;
  const cached = key && declaredByPointer.get(key)?.get(pointer);
  if (cached) return cached;
  const names = new Set<string>();
  const seen = new Set<string>();
  const visit = (at: string) => {
    if (seen.has(at)) return;
    seen.add(at);
    const node = nodeAt(root, at);
    if (node === undefined || typeof node === 'boolean') return;
    Object.keys(propertiesOf(node)).forEach((name) => names.add(name));
    requiredOf(node).forEach((name) => names.add(name));
    sameValueSteps(node, at).forEach(visit);
    const composite = compositeOf(node);
    composite?.branches.forEach((_, i) => visit(childPointer(at, composite.keyword, i)));
    if ('then' in node) visit(childPointer(at, 'then'));
    if ('else' in node) visit(childPointer(at, 'else'));
  };
  visit(pointer);
  if (key !== undefined) {
    const byPointer = declaredByPointer.get(key) ?? new Map<string, Set<string>>();
    byPointer.set(pointer, names);
    declaredByPointer.set(key, byPointer);
  }
  return names;
}

const declaredByPointer = new WeakMap<object, Map<string, Set<string>>>();
