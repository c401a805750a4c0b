import type { TaskKind } from '../model/workflowModel.js';
import { isObject } from './jsonValues.js';
import { describeList } from './taskIndex.js';
import type { IndexedTask, TaskIndex } from './taskIndex.js';
import { reorderedTasks } from './taskMatching.js';
import type { Reordering, TaskMatching } from './taskMatching.js';
import type { WorkflowChange } from './workflowChange.js';

/**
 * Tasks added, removed, renamed, moved or turned into another kind. The engine checkpoints after
 * every task and finds a resumed execution's place by the task's qualified name. That is this
 * module's premise: an engine resuming by index (`/do/2/…` in `TaskCompleted.taskPath`) would make
 * every insertion before a paused task breaking too. So:
 *
 * - any task can hold an execution: the long pauses (a `wait` timer, a `listen` subscription, a
 *   `call` or `run` in flight or between retries) and the containers around them (`do`, `for`,
 *   `fork`, `try`/`catch`) hold it for as long as they last, and even an instant task (`set`,
 *   `emit`, `raise`, `switch`) is the last checkpoint an execution continues from. Removing or
 *   renaming a task, or moving it to another list, strands those executions: breaking.
 * - changing a task's kind leaves a paused execution with the state of the old kind (a timer, a
 *   subscription, a loop position) that the new one cannot continue: breaking.
 * - adding a task is compatible: executions not yet past its place run it, the others never
 *   see it. The exception is a branch inserted before others in a non-competing fork, whose
 *   output is an array in branch order: readers by position get another branch's output.
 * - reordering a list is breaking: an execution paused between a moved task's old and new
 *   places continues from its checkpoint in the new order, skipping the task or running tasks a
 *   second time. Branches of a competing fork are the exception (only the winner's output counts).
 */

const pausedIn: Partial<Record<TaskKind, string>> = {
  wait: 'waiting on its timer',
  listen: 'listening for its events',
  call: 'awaiting its call or a retry of it',
  run: 'awaiting its process or sub-workflow',
  for: 'inside its loop',
  fork: 'inside its branches',
  try: 'inside its try or catch block',
  do: 'inside its tasks',
};

/** Who cannot resume when a task's place disappears. */
function stranded(kind: TaskKind | undefined): string {
  const paused = kind === undefined ? undefined : pausedIn[kind];
  return paused === undefined
    ? 'executions whose last checkpoint is this task (the engine checkpoints after every task) cannot resume'
    : `executions paused in it (${paused}) cannot resume, nor can those whose last checkpoint is this task`;
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** The structural changes of the task lists, given the pairing of old and new tasks. */
export function taskListChanges(
  before: TaskIndex,
  after: TaskIndex,
  matching: TaskMatching,
): WorkflowChange[] {
  const changes: WorkflowChange[] = [];
  // Only the outermost of a removed or added subtree is reported; its reason counts the rest.
  const outermost = (task: IndexedTask, paired: Map<string, unknown>) =>
    task.parent === undefined || paired.has(task.parent);
  const removedInside = countRemovedInside(before, matching);
  for (const task of matching.removed) {
    if (!outermost(task, matching.pairOfBefore)) continue;
    const nested = removedInside.get(task.qname) ?? 0;
    const inside = nested > 0 ? ` with the ${plural(nested, 'task')} inside it` : '';
    changes.push({
      kind: 'task-removed',
      path: task.pointer,
      task: task.qname,
      compatibility: 'breaking',
      reason: `task '${task.qname}' was removed${inside}: ${stranded(task.entry.kind)}`,
      before: task.entry.kind ?? null,
    });
  }
  const lastKept = lastPairedPositions(matching);
  for (const task of matching.added) {
    if (!outermost(task, matching.pairOfAfter)) continue;
    changes.push(addedChange(task, after, lastKept));
  }
  for (const { before: b, after: a, relation } of matching.pairs) {
    if (relation === 'renamed') {
      changes.push({
        kind: 'task-renamed',
        path: b.pointer,
        task: b.qname,
        compatibility: 'breaking',
        reason: `task '${b.qname}' was renamed to '${a.name}': the engine finds a task by name, so ${stranded(b.entry.kind)}`,
        before: b.pointer,
        after: a.pointer,
      });
    } else if (relation === 'moved') {
      changes.push({
        kind: 'task-moved',
        path: a.pointer,
        task: a.qname,
        compatibility: 'breaking',
        reason: `task '${b.qname}' moved from ${describeList(b.list)} to ${describeList(a.list)}: the engine finds a task by its qualified name and the blocks around it differ, so ${stranded(b.entry.kind)}`,
        before: b.pointer,
        after: a.pointer,
      });
    }
    if (b.entry.kind !== a.entry.kind) {
      const state = b.entry.kind === undefined ? undefined : pausedIn[b.entry.kind];
      const held = state === undefined ? '' : ` (${state})`;
      changes.push({
        kind: 'task-kind-changed',
        path: a.pointer,
        task: a.qname,
        compatibility: 'breaking',
        reason: `task '${a.qname}' changed from ${b.entry.kind ?? 'an unknown kind'} to ${a.entry.kind ?? 'an unknown kind'}: executions paused in it${held} or checkpointed at it hold the state of a ${b.entry.kind ?? 'different'} task, which the new kind cannot continue`,
        before: b.entry.kind ?? null,
        after: a.entry.kind ?? null,
      });
    }
  }
  for (const move of reorderedTasks(before, after, matching))
    changes.push(reorderChange(move, after));
  return changes;
}

/**
 * How many removed tasks each old task holds, at any depth. One pass from the end: `tasks` lists
 * every task after the one enclosing it, so a task's count is complete before its parent's is
 * read. (Filtering the removed tasks once per removed task was quadratic.)
 */
function countRemovedInside(before: TaskIndex, matching: TaskMatching): Map<string, number> {
  const removed = new Set(matching.removed.map((task) => task.qname));
  const inside = new Map<string, number>();
  for (let i = before.tasks.length - 1; i >= 0; i--) {
    const task = before.tasks[i] as IndexedTask;
    if (task.parent === undefined) continue;
    const count = (inside.get(task.qname) ?? 0) + (removed.has(task.qname) ? 1 : 0);
    if (count > 0) inside.set(task.parent, (inside.get(task.parent) ?? 0) + count);
  }
  return inside;
}

/** Per list of the new version, the last position held by a task the old version had too. */
function lastPairedPositions(matching: TaskMatching): Map<string, number> {
  const last = new Map<string, number>();
  for (const pair of matching.pairs) {
    const { list, position } = pair.after;
    last.set(list, Math.max(last.get(list) ?? -1, position));
  }
  return last;
}

/** The fork task owning a `branches` list, and whether its branches compete. */
function forkOf(task: IndexedTask, index: TaskIndex): { name: string; compete: boolean } {
  const owner = task.parent === undefined ? undefined : index.byName.get(task.parent);
  const fork = isObject(owner?.entry.task) ? (owner?.entry.task as { fork?: unknown }).fork : {};
  return { name: task.parent ?? '', compete: isObject(fork) && fork.compete === true };
}

function addedChange(
  task: IndexedTask,
  after: TaskIndex,
  lastKept: ReadonlyMap<string, number>,
): WorkflowChange {
  const base = {
    kind: 'task-added' as const,
    path: task.pointer,
    task: task.qname,
    after: task.entry.kind ?? null,
  };
  if (task.role === 'branches') {
    const fork = forkOf(task, after);
    const beforeOld = (lastKept.get(task.list) ?? -1) > task.position;
    if (!fork.compete && beforeOld) {
      return {
        ...base,
        compatibility: 'breaking',
        reason: `branch '${task.qname}' was added before existing branches of fork '${fork.name}', whose output is an array in branch order: readers of a branch's output by position now get another branch's`,
      };
    }
    if (!fork.compete) {
      return {
        ...base,
        compatibility: 'compatible',
        reason: `branch '${task.qname}' was added after the existing branches of fork '${fork.name}': its output array gains an element at the end, and executions already past the fork never run it`,
      };
    }
  }
  return {
    ...base,
    compatibility: 'compatible',
    reason: `task '${task.qname}' was added: executions that have not yet reached its place will run it, those already past it will not, and no execution loses its place`,
  };
}

function reorderChange({ pair, list }: Reordering, after: TaskIndex): WorkflowChange {
  const from = pair.before.position + 1;
  const to = pair.after.position + 1;
  const base = {
    kind: 'task-moved' as const,
    path: pair.after.pointer,
    task: pair.after.qname,
    before: pair.before.pointer,
    after: pair.after.pointer,
  };
  if (list.role === 'branches') {
    const fork = forkOf(pair.after, after);
    return fork.compete
      ? {
          ...base,
          compatibility: 'compatible',
          reason: `branch '${pair.after.qname}' of competing fork '${fork.name}' moved from position ${from} to ${to}: branches run concurrently and only the winner's output is kept, so their order does not matter`,
        }
      : {
          ...base,
          compatibility: 'breaking',
          reason: `branch '${pair.after.qname}' of fork '${fork.name}' moved from position ${from} to ${to}: the fork's output is an array in branch order, so readers of a branch's output by position get another branch's`,
        };
  }
  return {
    ...base,
    compatibility: 'breaking',
    reason: `task '${pair.after.qname}' moved from position ${from} to ${to} in ${describeList(list.key)}: executions paused between its old and new places continue in the new order, so they skip it or run tasks a second time`,
  };
}
