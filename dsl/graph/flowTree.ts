import { taskListsOf } from '../model/taskLists.js';
import type { TaskEntry, TaskListRole } from '../model/taskLists.js';
import { pointerOf } from '../problems.js';
import { createTextMap } from '../dependencies/textKeyedMap.js';
import type { TextMap } from '../dependencies/textKeyedMap.js';
import { endNodeId } from './graphModel.js';

/** A task list with links up to its owner task, so flow directives can be resolved. */
export interface FlowList {
  role: TaskListRole;
  tasks: FlowTask[];
  owner: FlowTask | undefined;
}

export interface FlowTask {
  /** JSON pointer of the task body. */
  id: string;
  entry: TaskEntry;
  list: FlowList;
  /** Position in `list.tasks` (not the document index: malformed items are skipped). */
  position: number;
  /** The lists nested directly in this task, in document order (a try's `try` before its `catch.do`). */
  lists: FlowList[];
}

/** Where control goes next; `loop` when it gets there by completing a for body. */
export interface FlowTarget {
  to: string;
  loop: boolean;
}

/** The workflow's task lists as a tree, rooted at its top-level `do`. */
export function flowTreeOf(workflow: unknown): FlowList {
  const entries = taskListsOf(workflow);
  // By the owner entry itself, not its pointer: pointers repeat every name above them.
  const byOwner = new Map<TaskEntry | undefined, typeof entries>();
  for (const entry of entries) {
    const siblings = byOwner.get(entry.owner);
    if (siblings === undefined) byOwner.set(entry.owner, [entry]);
    else siblings.push(entry);
  }
  const build = (listEntry: (typeof entries)[number], owner: FlowTask | undefined): FlowList => {
    const list: FlowList = { role: listEntry.role, tasks: [], owner };
    // Ids extend the owner's rather than encoding each whole path again: a pointer holds every
    // name above it, and one long name would otherwise be re-escaped for each task below it.
    const listId =
      owner === undefined
        ? pointerOf(listEntry.path)
        : `${owner.id}${pointerOf(listEntry.path.slice(owner.entry.path.length))}`;
    listEntry.tasks.forEach((entry, position) => {
      const id = `${listId}${pointerOf(entry.path.slice(listEntry.path.length))}`;
      const task: FlowTask = { id, entry, list, position, lists: [] };
      list.tasks.push(task);
      task.lists = (byOwner.get(entry) ?? []).map((child) => build(child, task));
    });
    return list;
  };
  const root = byOwner.get(undefined)?.[0];
  return root === undefined
    ? { role: 'workflow', tasks: [], owner: undefined }
    : build(root, undefined);
}

/** Every task of the tree in document order, each composite task before its nested tasks. */
export function flowTasksOf(list: FlowList): FlowTask[] {
  // One accumulator: flattening level by level would copy each task once per enclosing list.
  const tasks: FlowTask[] = [];
  const collect = (each: FlowList): void => {
    for (const task of each.tasks) {
      tasks.push(task);
      for (const nested of task.lists) collect(nested);
    }
  };
  collect(list);
  return tasks;
}

/** Each list's tasks by name, built on first use: a scan per `then` is quadratic in the list. */
const tasksByName = new WeakMap<FlowList, TextMap<FlowTask>>();

/** The first task of `list` named `name`, the one a `then` jumps to. */
function taskNamed(list: FlowList, name: string): FlowTask | undefined {
  let byName = tasksByName.get(list);
  if (byName === undefined) {
    byName = createTextMap();
    for (const task of list.tasks) {
      if (!byName.has(task.entry.name)) byName.set(task.entry.name, task);
    }
    tasksByName.set(list, byName);
  }
  return byName.get(name);
}

/** The task's `then`, `continue` when absent or not a string (the schema reports the latter). */
export function directiveOf(task: FlowTask): string {
  const then = (task.entry.task as { then?: unknown }).then;
  return typeof then === 'string' ? then : 'continue';
}

/**
 * Where control goes when `task` completes with `directive` (dsl-reference "Flow Directive"):
 * `end` ends the workflow, `exit` completes the current list, `continue` runs the next task of
 * the list or completes it after the last, a name jumps to that task of the same list. Undefined
 * when the named task does not exist (the semantic checks report that).
 */
export function targetOf(task: FlowTask, directive: string): FlowTarget | undefined {
  if (directive === 'end') return { to: endNodeId, loop: false };
  if (directive === 'exit') return afterList(task.list);
  if (directive === 'continue') {
    // Fork branches run concurrently: a branch that continues has finished, it does not start
    // the branch declared after it.
    const next = task.list.role === 'branches' ? undefined : task.list.tasks[task.position + 1];
    return next === undefined ? afterList(task.list) : { to: next.id, loop: false };
  }
  const target = taskNamed(task.list, directive);
  return target === undefined ? undefined : { to: target.id, loop: false };
}

/**
 * Where control goes when `list` has completed: the workflow ends after its top-level list; a
 * for body returns to its for task, which starts the next iteration or moves on (so `exit` in a
 * for body ends the iteration, not the loop, as in Synapse's ForTaskExecutor); any other
 * composite task (do, try, its catch, fork) completes, and then its own `then` applies.
 */
export function afterList(list: FlowList): FlowTarget | undefined {
  if (list.owner === undefined) return { to: endNodeId, loop: false };
  if (list.role === 'for') return { to: list.owner.id, loop: true };
  return targetOf(list.owner, directiveOf(list.owner));
}
