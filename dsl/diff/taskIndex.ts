import { taskListsOf } from '../model/taskLists.js';
import type { TaskEntry, TaskListRole } from '../model/taskLists.js';
import { pointerOf } from '../problems.js';
import { canonicalJson } from './jsonValues.js';

/**
 * Tasks addressed by qualified name rather than by index: `handle/try/checkStock` is the task
 * `checkStock` in the `try` block of `handle`. Names are what an author (or the agent) keeps
 * stable while inserting around them, so an insertion changes no other task's name.
 */

export interface IndexedTask {
  /** The qualified name: the path's names and block keys, without indices or the leading `do`. */
  qname: string;
  /** The task's own name in its list. */
  name: string;
  entry: TaskEntry;
  /** JSON pointer of the task body: `/do/2/handle/try/0/checkStock`. */
  pointer: string;
  /** Qualified name of the list holding it: '' for the workflow's `do`, `handle/try` … */
  list: string;
  role: TaskListRole;
  /** Qualified name of the enclosing task, undefined at the top level. */
  parent: string | undefined;
  /** 0-based position among the list's tasks. */
  position: number;
  /** The body's canonical JSON, computed once (see `bodyOf`). */
  canonical?: string;
}

export interface IndexedList {
  key: string;
  role: TaskListRole;
  /** The list's block keys relative to its owner: `try`, `catch/do`, `fork/branches`, `do`. */
  block: string;
  owner: string | undefined;
  tasks: IndexedTask[];
}

export interface TaskIndex {
  /** Every task after the task enclosing it (list by list, each list in document order). */
  tasks: IndexedTask[];
  byName: Map<string, IndexedTask>;
  lists: Map<string, IndexedList>;
}

/** RFC 6901 escaping keeps a name holding '/' from reading as two levels. */
const escapeName = (name: string) => name.replace(/~/g, '~0').replace(/\//g, '~1');

/** Joins qualified-name parts, skipping the empty top-level prefix. */
export const joinName = (...parts: string[]) => parts.filter((part) => part !== '').join('/');

/** Indexes every task of the workflow's flow (not `use.functions`) by qualified name. */
export function indexTasks(workflow: unknown): TaskIndex {
  const tasks: IndexedTask[] = [];
  const byName = new Map<string, IndexedTask>();
  const lists = new Map<string, IndexedList>();
  const nameOfPath = new Map<string, string>();
  // taskListsOf is pre-order, so an owner is named before the lists inside it.
  for (const list of taskListsOf(workflow)) {
    const ownerName =
      list.owner === undefined ? undefined : nameOfPath.get(pointerOf(list.owner.path));
    if (list.owner !== undefined && ownerName === undefined) continue;
    const block = list.owner === undefined ? '' : list.path.slice(list.owner.path.length).join('/');
    const key = joinName(ownerName ?? '', block);
    const indexed: IndexedList = { key, role: list.role, block, owner: ownerName, tasks: [] };
    lists.set(key, indexed);
    const seen = new Map<string, number>();
    list.tasks.forEach((entry, position) => {
      // Duplicate names are a validation error; numbering them keeps the diff total anyway.
      const count = (seen.get(entry.name) ?? 0) + 1;
      seen.set(entry.name, count);
      const name = count === 1 ? escapeName(entry.name) : `${escapeName(entry.name)}#${count}`;
      const task: IndexedTask = {
        qname: joinName(key, name),
        name: entry.name,
        entry,
        pointer: pointerOf(entry.path),
        list: key,
        role: list.role,
        parent: ownerName,
        position,
      };
      nameOfPath.set(task.pointer, task.qname);
      indexed.tasks.push(task);
      tasks.push(task);
      byName.set(task.qname, task);
    });
  }
  return { tasks, byName, lists };
}

/**
 * The task body's canonical JSON, for equality checks. Memoized on the indexed task, which lives
 * for one diff, so a caller mutating its documents between diffs never sees a stale value.
 */
export function bodyOf(task: IndexedTask): string {
  task.canonical ??= canonicalJson(task.entry.task);
  return task.canonical;
}

/** How a list is named in a sentence. */
export const describeList = (key: string) => (key === '' ? 'the top-level do' : `'${key}'`);
