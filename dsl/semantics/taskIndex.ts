import { taskListsOf } from '../model/taskLists.js';
import type { JsonPath, TaskEntry, TaskListRole } from '../model/taskLists.js';
import { pointerOf } from '../problems.js';
import { quotedName } from './nameHints.js';
import { isObject, objectOrEmpty } from './valueShapes.js';
import type { PlainObject } from './valueShapes.js';

/**
 * Where a list sits. Beyond the workflow's own flow (`TaskListRole`): the single task of a
 * `use.functions` entry, an extension's `before`/`after`, and the `foreach.do` of a listen task
 * or an AsyncAPI subscription.
 */
export type IndexedListRole = TaskListRole | 'function' | 'extension' | 'foreach';

export interface IndexedTaskList {
  role: IndexedListRole;
  path: JsonPath;
  tasks: TaskEntry[];
  owner: TaskEntry | undefined;
}

/** Every task of a document, wherever it is defined, found once per check. */
export interface TaskIndex {
  lists: IndexedTaskList[];
  tasks: TaskEntry[];
  /** Task by the JSON pointer of its body. */
  taskAt: ReadonlyMap<string, TaskEntry>;
  /** The list each task belongs to. */
  listOf: ReadonlyMap<TaskEntry, IndexedTaskList>;
}

/**
 * The task lists under `list`, found by `taskListsOf` on a wrapper `{ do: list }` and moved to
 * where they really are by `move` (which maps paths starting `['do', …]`); the outermost list
 * takes `role` and `owner`.
 */
function listsUnder(
  list: unknown,
  move: (path: JsonPath) => JsonPath,
  role: IndexedListRole,
  owner: TaskEntry | undefined,
): IndexedTaskList[] {
  const moved = new Map<TaskEntry, TaskEntry>();
  const entryOf = (entry: TaskEntry): TaskEntry => {
    let copy = moved.get(entry);
    if (copy === undefined) {
      copy = { ...entry, path: move(entry.path) };
      moved.set(entry, copy);
    }
    return copy;
  };
  return taskListsOf({ do: list }).map((found, i) => ({
    role: i === 0 ? role : found.role,
    path: move(found.path),
    tasks: found.tasks.map(entryOf),
    owner: i === 0 ? owner : found.owner && entryOf(found.owner),
  }));
}

const under =
  (base: JsonPath) =>
  (path: JsonPath): JsonPath => [...base, ...path.slice(1)];

/** A task's fields, to read the parts the typed model leaves open. */
export const fieldsOf = (entry: TaskEntry): PlainObject => entry.task as unknown as PlainObject;

/** The `foreach` of a listen task or an AsyncAPI subscription: where it is, and in what. */
export interface TaskIterator {
  path: JsonPath;
  value: PlainObject;
  /** The object holding `foreach`: the task, or its `with.subscription`. */
  parent: PlainObject;
}

export function iteratorOf(entry: TaskEntry): TaskIterator | undefined {
  const task = fieldsOf(entry);
  if (entry.kind === 'listen' && isObject(task.foreach)) {
    return { path: [...entry.path, 'foreach'], value: task.foreach, parent: task };
  }
  const subscription = objectOrEmpty(objectOrEmpty(task.with).subscription);
  if (entry.kind === 'call' && task.call === 'asyncapi' && isObject(subscription.foreach)) {
    return {
      path: [...entry.path, 'with', 'subscription', 'foreach'],
      value: subscription.foreach,
      parent: subscription,
    };
  }
  return undefined;
}

/** Indexes the workflow's flow, `use.functions`, extensions and iterator bodies. */
export function indexTasks(workflow: unknown): TaskIndex {
  const root = objectOrEmpty(workflow);
  const use = objectOrEmpty(root.use);
  const lists: IndexedTaskList[] = taskListsOf(root);

  for (const [name, task] of Object.entries(objectOrEmpty(use.functions))) {
    if (!isObject(task)) continue;
    // A function is one task: wrapped as a list of one, `['do', 0, name, …]` is really
    // `['use', 'functions', name, …]`.
    const move = (path: JsonPath): JsonPath =>
      path.length === 1 ? ['use', 'functions'] : ['use', 'functions', ...path.slice(2)];
    lists.push(...listsUnder([{ [name]: task }], move, 'function', undefined));
  }

  const extensions = Array.isArray(use.extensions) ? use.extensions : [];
  extensions.forEach((item, i) => {
    for (const [name, extension] of Object.entries(objectOrEmpty(item))) {
      for (const side of ['before', 'after'] as const) {
        const list = objectOrEmpty(extension)[side];
        if (!Array.isArray(list)) continue;
        lists.push(
          ...listsUnder(list, under(['use', 'extensions', i, name, side]), 'extension', undefined),
        );
      }
    }
  });

  // Iterator bodies can nest further iterators: walk until no new list appears.
  for (let i = 0; i < lists.length; i++) {
    for (const entry of (lists[i] as IndexedTaskList).tasks) {
      const iterator = iteratorOf(entry);
      const body = iterator?.value.do;
      if (iterator === undefined || !Array.isArray(body)) continue;
      lists.push(...listsUnder(body, under([...iterator.path, 'do']), 'foreach', entry));
    }
  }

  const tasks = lists.flatMap((list) => list.tasks);
  const taskAt = new Map(tasks.map((entry) => [pointerOf(entry.path), entry]));
  const listOf = new Map(lists.flatMap((list) => list.tasks.map((entry) => [entry, list])));
  return { lists, tasks, taskAt, listOf };
}

/** How to name a task in a message: functions are `function 'x'`, the rest `task 'x'`. */
export function describeTask(entry: TaskEntry, index: TaskIndex): string {
  return index.listOf.get(entry)?.role === 'function'
    ? `function ${quotedName(entry.name)}`
    : `task ${quotedName(entry.name)}`;
}
