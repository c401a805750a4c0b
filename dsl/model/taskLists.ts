import { taskKindOf } from './workflowModel.js';
import type { Task, TaskKind } from './workflowModel.js';

export type JsonPath = Array<string | number>;

/** Where a task list sits: the workflow's `do`, or inside a task of one of these kinds. */
export type TaskListRole = 'workflow' | 'do' | 'for' | 'branches' | 'try' | 'catch';

export interface TaskEntry {
  name: string;
  task: Task;
  kind: TaskKind | undefined;
  /** Path of the task's body: `['do', 0, 'checkStock']`. */
  path: JsonPath;
  index: number;
}

export interface TaskListEntry {
  role: TaskListRole;
  /** Path of the list itself: `['do']`, `['do', 2, 'handle', 'try']`. */
  path: JsonPath;
  tasks: TaskEntry[];
  /** The task this list belongs to; undefined for the workflow's top-level `do`. */
  owner: TaskEntry | undefined;
  /** How many task lists enclose this one (0 for the workflow's). */
  depth: number;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The tasks of one list, skipping items that are not `{ name: task }` (the schema reports those). */
function entriesOf(list: unknown, path: JsonPath): TaskEntry[] {
  if (!Array.isArray(list)) return [];
  const entries: TaskEntry[] = [];
  list.forEach((item, index) => {
    if (!isObject(item)) return;
    const names = Object.keys(item);
    if (names.length !== 1) return;
    const name = names[0] as string;
    const task = item[name];
    if (!isObject(task)) return;
    entries.push({
      name,
      task: task as unknown as Task,
      kind: taskKindOf(task),
      path: [...path, index, name],
      index,
    });
  });
  return entries;
}

/** The task lists nested directly in `entry`, with their roles. */
function childListsOf(
  entry: TaskEntry,
): Array<{ role: TaskListRole; path: JsonPath; list: unknown }> {
  const task = entry.task as unknown as Record<string, unknown>;
  switch (entry.kind) {
    case 'do':
      return [{ role: 'do', path: [...entry.path, 'do'], list: task.do }];
    case 'for':
      return [{ role: 'for', path: [...entry.path, 'do'], list: task.do }];
    case 'fork': {
      const fork = isObject(task.fork) ? task.fork : {};
      return [{ role: 'branches', path: [...entry.path, 'fork', 'branches'], list: fork.branches }];
    }
    case 'try': {
      const caught = isObject(task.catch) ? task.catch : {};
      return [
        { role: 'try', path: [...entry.path, 'try'], list: task.try },
        { role: 'catch', path: [...entry.path, 'catch', 'do'], list: caught.do },
      ];
    }
    default:
      return [];
  }
}

/**
 * Every task list of a workflow document, outermost first (pre-order), each with its tasks. It
 * reads the plain parsed value and skips malformed parts, so it is safe on any input.
 */
export function taskListsOf(workflow: unknown): TaskListEntry[] {
  const lists: TaskListEntry[] = [];
  if (!isObject(workflow)) return lists;
  // A stack (children pushed in reverse) gives pre-order without shift/unshift, which are
  // linear per call and made large workflows quadratic.
  const pending: Array<Omit<TaskListEntry, 'tasks'> & { list: unknown }> = [
    { role: 'workflow', path: ['do'], list: workflow.do, owner: undefined, depth: 0 },
  ];
  while (pending.length > 0) {
    const next = pending.pop() as (typeof pending)[number];
    const tasks = entriesOf(next.list, next.path);
    lists.push({ role: next.role, path: next.path, tasks, owner: next.owner, depth: next.depth });
    const children = tasks.flatMap((entry) =>
      childListsOf(entry).map((child) => ({ ...child, owner: entry, depth: next.depth + 1 })),
    );
    for (let i = children.length - 1; i >= 0; i--)
      pending.push(children[i] as (typeof pending)[number]);
  }
  return lists;
}

/** Every task of the workflow's flow, in document order (not `use.functions`). */
export function tasksOf(workflow: unknown): TaskEntry[] {
  return taskListsOf(workflow).flatMap((list) => list.tasks);
}
