import { bodyOf, joinName } from './taskIndex.js';
import type { IndexedList, IndexedTask, TaskIndex } from './taskIndex.js';

/**
 * Pairs each task of the old version with its counterpart in the new one. Qualified names come
 * first, so an insertion pairs every other task with itself. What is left is paired, outermost
 * first, as:
 * - `follows`: it sits at the same place under a parent that was renamed or moved;
 * - `moved`: the same name, kind and body in another list (a task wrapped in a new `try`), and
 *   in a last round the same name and kind with an edited body;
 * - `renamed`: an identical body under another name in the same list. Identical only: a task
 *   renamed *and* edited reads as removed plus added, which is as breaking and less of a guess.
 * Anything still unpaired was removed (old side) or added (new side).
 */

export type PairRelation = 'same' | 'follows' | 'renamed' | 'moved';

export interface TaskPair {
  before: IndexedTask;
  after: IndexedTask;
  relation: PairRelation;
}

export interface TaskMatching {
  pairs: TaskPair[];
  /** By qualified name in the old version. */
  pairOfBefore: Map<string, TaskPair>;
  /** By qualified name in the new version. */
  pairOfAfter: Map<string, TaskPair>;
  /** Every unpaired old task, nested ones included. */
  removed: IndexedTask[];
  /** Every unpaired new task, nested ones included. */
  added: IndexedTask[];
}

/** A task's name key within its list (its qualified name without the list's). */
const keyInList = (task: IndexedTask) =>
  task.list === '' ? task.qname : task.qname.slice(task.list.length + 1);

const sameBody = (b: IndexedTask, a: IndexedTask) => bodyOf(b) === bodyOf(a);
const sameKind = (b: IndexedTask, a: IndexedTask) => b.entry.kind === a.entry.kind;

/** Groups tasks by a key, keeping document order within a group. */
function groupBy(tasks: IndexedTask[], key: (task: IndexedTask) => string) {
  const groups = new Map<string, IndexedTask[]>();
  for (const task of tasks) {
    const k = key(task);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [task]);
    else group.push(task);
  }
  return groups;
}

export function matchTasks(before: TaskIndex, after: TaskIndex): TaskMatching {
  const pairs: TaskPair[] = [];
  const pairOfBefore = new Map<string, TaskPair>();
  const pairOfAfter = new Map<string, TaskPair>();
  const link = (b: IndexedTask, a: IndexedTask, relation: PairRelation) => {
    const pair = { before: b, after: a, relation };
    pairs.push(pair);
    pairOfBefore.set(b.qname, pair);
    pairOfAfter.set(a.qname, pair);
  };
  for (const b of before.tasks) {
    const a = after.byName.get(b.qname);
    if (a !== undefined) link(b, a, 'same');
  }
  const isFree = (a: IndexedTask) => !pairOfAfter.has(a.qname);

  // Lookups for what is left: by leaf name (moves) and by list and body (renames).
  const leftover = after.tasks.filter(isFree);
  const byLeafName = groupBy(leftover, (a) => a.name);
  const byListAndBody = groupBy(leftover, (a) => `${a.list}\u0000${bodyOf(a)}`);

  /** The list of the new version where an old task would sit if it had not moved. */
  const counterpartList = (b: IndexedTask): string | undefined => {
    if (b.parent === undefined) return '';
    const parent = pairOfBefore.get(b.parent);
    const block = before.lists.get(b.list)?.block;
    return parent === undefined || block === undefined
      ? undefined
      : joinName(parent.after.qname, block);
  };

  const counterpartOf = (b: IndexedTask): [IndexedTask, PairRelation] | undefined => {
    const home = counterpartList(b);
    if (home !== undefined && b.parent !== undefined) {
      const follower = after.byName.get(joinName(home, keyInList(b)));
      if (follower !== undefined && isFree(follower)) return [follower, 'follows'];
    }
    const elsewhere = (byLeafName.get(b.name) ?? []).filter(
      (a) => isFree(a) && sameKind(b, a) && a.list !== home,
    );
    const intact = elsewhere.find((a) => sameBody(b, a));
    if (intact !== undefined) return [intact, 'moved'];
    if (home === undefined) return undefined;
    const renames = (byListAndBody.get(`${home}\u0000${bodyOf(b)}`) ?? []).filter(
      (a) => isFree(a) && a.name !== b.name,
    );
    const renamed = renames.find((a) => a.position === b.position) ?? renames[0];
    return renamed === undefined ? undefined : [renamed, 'renamed'];
  };

  // How alike two places are: the same kind of block, inside a task of the same name.
  const parentName = (task: IndexedTask, index: TaskIndex) =>
    task.parent === undefined ? undefined : index.byName.get(task.parent)?.name;
  const likeness = (b: IndexedTask, a: IndexedTask) =>
    Number(b.role === a.role) + Number(parentName(b, before) === parentName(a, after));
  const namesakes = groupBy(before.tasks, (b) => b.name);
  /** Whether another unpaired old task of that name sits in a place more like `a`'s. */
  const claimedByAnother = (b: IndexedTask, a: IndexedTask) =>
    (namesakes.get(a.name) ?? []).some(
      (other) =>
        other !== b &&
        !pairOfBefore.has(other.qname) &&
        sameKind(other, a) &&
        likeness(other, a) > likeness(b, a),
    );

  // Outermost first (before.tasks lists every task after its parent), so children can follow a
  // renamed or moved parent. Moves by name alone wait for a second round, so they cannot take a
  // task that is about to follow its moved parent.
  for (const round of ['certain', 'by name'] as const) {
    for (const b of before.tasks) {
      if (pairOfBefore.has(b.qname)) continue;
      const found = counterpartOf(b);
      if (found !== undefined) {
        link(b, ...found);
        continue;
      }
      if (round !== 'by name') continue;
      const home = counterpartList(b);
      const moved = (byLeafName.get(b.name) ?? []).find(
        (a) => isFree(a) && sameKind(b, a) && a.list !== home && !claimedByAnother(b, a),
      );
      if (moved !== undefined) link(b, moved, 'moved');
    }
  }
  return {
    pairs,
    pairOfBefore,
    pairOfAfter,
    removed: before.tasks.filter((b) => !pairOfBefore.has(b.qname)),
    added: after.tasks.filter(isFree),
  };
}

export interface Reordering {
  pair: TaskPair;
  /** The list in the new version. */
  list: IndexedList;
}

/**
 * Tasks whose order among the tasks both versions share in a list changed: those outside a
 * longest run kept in the same relative order, so one task moved reads as one move, not as every
 * task it jumped over. Both orders hold the same tasks, so that run is the longest increasing
 * subsequence of the new positions taken in the old order (n log n, not a quadratic LCS table).
 */
export function reorderedTasks(
  before: TaskIndex,
  after: TaskIndex,
  matching: TaskMatching,
): Reordering[] {
  const moves: Reordering[] = [];
  for (const list of before.lists.values()) {
    const owner = list.owner === undefined ? undefined : matching.pairOfBefore.get(list.owner);
    if (list.owner !== undefined && owner === undefined) continue;
    const counterpart = after.lists.get(
      owner === undefined ? '' : joinName(owner.after.qname, list.block),
    );
    if (counterpart === undefined) continue;
    const shared = list.tasks
      .map((task) => matching.pairOfBefore.get(task.qname))
      .filter(
        (pair): pair is TaskPair => pair !== undefined && pair.after.list === counterpart.key,
      );
    const kept = longestIncreasingRun(shared.map((pair) => pair.after.position));
    shared.forEach((pair, i) => {
      if (!kept.has(i)) moves.push({ pair, list: counterpart });
    });
  }
  return moves;
}

/** Indices of one longest strictly increasing subsequence of `values` (patience sorting). */
function longestIncreasingRun(values: number[]): Set<number> {
  const tails: number[] = []; // tails[k]: index of the smallest tail of a run of length k + 1
  const previous = new Array<number>(values.length).fill(-1);
  values.forEach((value, i) => {
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((values[tails[middle] as number] as number) < value) low = middle + 1;
      else high = middle;
    }
    if (low > 0) previous[i] = tails[low - 1] as number;
    tails[low] = i;
  });
  const kept = new Set<number>();
  for (let i = tails.at(-1) ?? -1; i >= 0; i = previous[i] as number) kept.add(i);
  return kept;
}
