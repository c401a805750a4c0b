import { taskListsOf } from '../model/taskLists.js';
import type { TaskEntry, TaskListRole } from '../model/taskLists.js';
import { pointerOf } from '../problems.js';
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
  const byOwner = new Map<string, typeof entries>();
  for (const entry of entries) {
    const key = entry.owner === undefined ? '' : pointerOf(entry.owner.path);
    byOwner.set(key, [...(byOwner.get(key) ?? []), entry]);
  }
  const build = (listEntry: (typeof entries)[number], owner: FlowTask | undefined): FlowList => {
    const list: FlowList = { role: listEntry.role, tasks: [], owner };
    listEntry.tasks.forEach((entry, position) => {
      const task: FlowTask = { id: pointerOf(entry.path), entry, list, position, lists: [] };
      list.tasks.push(task);
      task.lists = (byOwner.get(task.id) ?? []).map((child) => build(child, task));
    });
    return list;
  };
  const root = byOwner.get('')?.[0];
  return root === undefined
    ? { role: 'workflow', tasks: [], owner: undefined }
    : build(root, undefined);
}

/** Every task of the tree in document order, each composite task before its nested tasks. */
export function flowTasksOf(list: FlowList): FlowTask[] {
  return list.tasks.flatMap((task) => [task, ...task.lists.flatMap(flowTasksOf)]);
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
  const target = task.list.tasks.find((sibling) => sibling.entry.name === directive);
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
