import type { JsonPath } from '../model/taskLists.js';
import { expressionBody, isRuntimeExpression } from './runtimeExpression.js';
import type { SemanticInput } from './semanticInput.js';
import { fieldsOf, iteratorOf } from './taskIndex.js';
import type { TaskIndex } from './taskIndex.js';
import { isObject, objectOrEmpty } from './valueShapes.js';
import type { PlainObject } from './valueShapes.js';

/** One runtime expression of the document. */
export interface ExpressionSite {
  /** Path of the string that holds it. */
  path: JsonPath;
  /** The jq program: the inside of `${ … }`, or the whole string of a field that is an expression. */
  expression: string;
  /** Variables in scope beyond the runtime arguments (`for`, `catch.as`, iterators), sorted. */
  variables: string[];
  /** Part of an `input.from`, the one place the spec allows `$secrets`. */
  inputFrom: boolean;
}

/** A name that can be bound as a jq variable (`$__loc__` is reserved by jq). */
export const isJqVariableName = (name: string): boolean =>
  /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && name !== '__loc__';

const escapeSegment = (segment: string | number) => {
  const text = String(segment);
  return text.includes('~') || text.includes('/')
    ? text.replace(/~/g, '~0').replace(/\//g, '~1')
    : text;
};

const pointerAt = (path: JsonPath) => path.map((s) => `/${escapeSegment(s)}`).join('');

/** Variables that come into scope at a child of an object, by object and child key. */
type Bindings = Map<object, Map<string, string[]>>;

/**
 * The variables bound in the document and where they come into scope: a for task's `do` and
 * `while` (evaluated per iteration, it sees them as the body does), a try's whole `catch` (its
 * `when`, `exceptWhen`, retry and `do`), an iterator's whole `foreach`. Keyed by the parent
 * object itself, so the walk needs no pointers.
 */
function bindingsOf({ workflow, index }: SemanticInput): Bindings {
  const bindings: Bindings = new Map();
  const bind = (parent: object, key: string, names: Array<[unknown, string]>) => {
    const valid = names
      .map(([name, fallback]) => (typeof name === 'string' ? name : fallback))
      .filter(isJqVariableName);
    if (valid.length === 0) return;
    const keys = bindings.get(parent) ?? new Map<string, string[]>();
    keys.set(key, valid);
    bindings.set(parent, keys);
  };
  // A reusable retry policy is used from catches, which bind the error (as `error` unless they
  // rename it); its conditions get the default name rather than a false "not defined".
  for (const policy of Object.values(objectOrEmpty(objectOrEmpty(workflow.use).retries))) {
    if (!isObject(policy)) continue;
    bind(policy, 'when', [[undefined, 'error']]);
    bind(policy, 'exceptWhen', [[undefined, 'error']]);
  }
  for (const entry of index.tasks) {
    const task = fieldsOf(entry);
    if (entry.kind === 'for') {
      const loop = objectOrEmpty(task.for);
      const names: Array<[unknown, string]> = [
        [loop.each, 'item'],
        [loop.at, 'index'],
      ];
      bind(task, 'do', names);
      bind(task, 'while', names);
    }
    if (entry.kind === 'try') bind(task, 'catch', [[objectOrEmpty(task.catch).as, 'error']]);
    const iterator = iteratorOf(entry);
    if (iterator !== undefined) {
      bind(iterator.parent, 'foreach', [
        [iterator.value.item, 'item'],
        [iterator.value.at, 'index'],
      ]);
    }
  }
  return bindings;
}

/** The variables bound around `path`, found along it from the root. */
function variablesAt(root: unknown, path: JsonPath, bindings: Bindings): string[] {
  const found = new Set<string>();
  let node = root;
  for (const segment of path) {
    if (typeof node !== 'object' || node === null) break;
    for (const name of bindings.get(node)?.get(String(segment)) ?? []) found.add(name);
    node = (node as Record<string | number, unknown>)[segment];
  }
  return [...found].sort();
}

/** Whether `path` lies in the `input.from` of the workflow or of a task. */
function inInputFrom(path: JsonPath, index: TaskIndex): boolean {
  for (let j = 0; j + 1 < path.length; j++) {
    if (path[j] !== 'input' || path[j + 1] !== 'from') continue;
    if (j === 0 || index.taskAt.has(pointerAt(path.slice(0, j)))) return true;
  }
  return false;
}

/**
 * Fields the spec defines as runtime expressions, checked even without `${ }` (the CTK writes
 * `as: .[0]` and `when: .color == "red"`). Other strings are expressions only as `${ … }`.
 */
function definedExpressionPaths({ workflow, index }: SemanticInput): JsonPath[] {
  const paths: JsonPath[] = [
    ['input', 'from'],
    ['output', 'as'],
  ];
  const strategy = (value: unknown, base: JsonPath) => {
    const s = objectOrEmpty(value);
    const filters = [
      ...(Array.isArray(s.all) ? s.all.map((f, i) => ({ f, at: [...base, 'all', i] })) : []),
      ...(Array.isArray(s.any) ? s.any.map((f, i) => ({ f, at: [...base, 'any', i] })) : []),
      ...(isObject(s.one) ? [{ f: s.one, at: [...base, 'one'] }] : []),
    ];
    for (const { f, at } of filters) {
      for (const key of Object.keys(objectOrEmpty(objectOrEmpty(f).correlate))) {
        paths.push([...at, 'correlate', key, 'from']);
      }
    }
    if (typeof s.until === 'string') paths.push([...base, 'until']);
    else if (isObject(s.until)) strategy(s.until, [...base, 'until']);
  };
  const schedule = objectOrEmpty(workflow.schedule);
  if (isObject(schedule.on)) strategy(schedule.on, ['schedule', 'on']);
  const use = objectOrEmpty(workflow.use);
  for (const name of Object.keys(objectOrEmpty(use.retries))) {
    paths.push(['use', 'retries', name, 'when'], ['use', 'retries', name, 'exceptWhen']);
  }
  (Array.isArray(use.extensions) ? use.extensions : []).forEach((item, i) => {
    for (const name of Object.keys(objectOrEmpty(item))) {
      paths.push(['use', 'extensions', i, name, 'when']);
    }
  });

  for (const entry of index.tasks) {
    const at = (...relative: JsonPath) => paths.push([...entry.path, ...relative]);
    at('if');
    at('input', 'from');
    at('output', 'as');
    at('export', 'as');
    const task = fieldsOf(entry);
    if (entry.kind === 'for') {
      at('for', 'in');
      at('while');
    }
    if (entry.kind === 'switch' && Array.isArray(task.switch)) {
      task.switch.forEach((item, i) => {
        for (const name of Object.keys(objectOrEmpty(item))) at('switch', i, name, 'when');
      });
    }
    if (entry.kind === 'try') {
      at('catch', 'when');
      at('catch', 'exceptWhen');
      at('catch', 'retry', 'when');
      at('catch', 'retry', 'exceptWhen');
    }
    if (entry.kind === 'listen')
      strategy(objectOrEmpty(task.listen).to, [...entry.path, 'listen', 'to']);
    const iterator = iteratorOf(entry);
    if (iterator !== undefined) {
      paths.push([...iterator.path, 'output', 'as'], [...iterator.path, 'export', 'as']);
    }
  }
  return paths;
}

const valueAt = (root: unknown, path: JsonPath): unknown =>
  path.reduce<unknown>((node, segment) => {
    if (Array.isArray(node) && typeof segment === 'number') return node[segment];
    return objectOrEmpty(node)[segment];
  }, root);

/**
 * Every runtime expression of the document with the variables in scope where it sits. Strings
 * written as `${ … }` count anywhere except in the header (`document`), `metadata` and inline
 * JSON schemas, which are data about the workflow rather than evaluated parts of it.
 */
export function expressionSitesOf(input: SemanticInput): ExpressionSite[] {
  const { workflow, index } = input;
  const bindings = bindingsOf(input);
  const sites: ExpressionSite[] = [];
  const seen = new Set<string>();
  const add = (path: JsonPath, pointer: string, expression: string, variables: string[]) => {
    if (seen.has(pointer)) return;
    seen.add(pointer);
    sites.push({ path, expression, variables, inputFrom: inInputFrom(path, index) });
  };

  // One walk with a shared path stack: documents of thousands of tasks have tens of thousands
  // of nodes, and only expressions get a copy of their path.
  const tasks = new Set<unknown>(index.tasks.map((entry) => entry.task));
  const path: JsonPath = [];
  const visit = (child: unknown, key: string | number, scope: readonly string[]) => {
    path.push(key);
    walk(child, scope);
    path.pop();
  };
  const walk = (value: unknown, scope: readonly string[]) => {
    if (typeof value === 'string') {
      const body = isRuntimeExpression(value) ? expressionBody(value) : undefined;
      if (body !== undefined) {
        const at = [...path];
        add(at, pointerAt(at), body, [...new Set(scope)].sort());
      }
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) visit(value[i], i, scope);
      return;
    }
    const isTask = tasks.has(value);
    const bound = bindings.get(value);
    // An inline JSON schema: `input.schema.document` and the like.
    const underSchema =
      path[path.length - 1] === 'schema' &&
      ['input', 'output', 'export'].includes(String(path[path.length - 2]));
    for (const key of Object.keys(value)) {
      if (path.length === 0 && key === 'document') continue;
      if (isTask && key === 'metadata') continue;
      if (underSchema && key === 'document') continue;
      const names = bound?.get(key);
      visit((value as PlainObject)[key], key, names === undefined ? scope : [...scope, ...names]);
    }
  };
  walk(workflow, []);

  for (const at of definedExpressionPaths(input)) {
    const value = valueAt(workflow, at);
    if (typeof value === 'string' && !isRuntimeExpression(value)) {
      add(at, pointerAt(at), value, variablesAt(workflow, at, bindings));
    }
  }
  return sites;
}
