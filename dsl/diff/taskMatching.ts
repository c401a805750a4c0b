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

/** An exact key of several parts: names may hold any character, so no separator would do. */
const keyOf = (...parts: unknown[]) => JSON.stringify(parts);

/**
 * The still unpaired tasks of each group, in document order. A paired task stays paired, so
 * those at the front of a group are skipped for good: asking for a group again and again costs
 * what it yields, not the group's size each time.
 */
function freeTasks(groups: Map<string, IndexedTask[]>, isFree: (task: IndexedTask) => boolean) {
  const start = new Map<string, number>();
  return function* freeIn(key: string): Generator<IndexedTask> {
    const group = groups.get(key) ?? [];
    let first = start.get(key) ?? 0;
    while (first < group.length && !isFree(group[first] as IndexedTask)) first++;
    start.set(key, first);
    for (let i = first; i < group.length; i++) {
      const task = group[i] as IndexedTask;
      if (isFree(task)) yield task;
    }
  };
}

/** Where a task sits, as far as `likeness` is concerned. */
interface Place {
  name: string;
  kind: string | undefined;
  role: string;
  parent: string | undefined;
}

/**
 * How many old tasks not yet paired sit at each kind of place: same name and kind, and the same
 * block role, the same parent name, or both. Counting them lets "does a namesake sit somewhere
 * more alike" be one lookup instead of a scan of every namesake.
 */
function createPlaceCounts(places: Place[]) {
  const counts = new Map<string, number>();
  const keysOf = (p: Place) => [
    keyOf('role', p.name, p.kind, p.role),
    keyOf('parent', p.name, p.kind, p.parent),
    keyOf('both', p.name, p.kind, p.role, p.parent),
  ];
  const adjust = (place: Place, by: number) => {
    for (const key of keysOf(place)) counts.set(key, (counts.get(key) ?? 0) + by);
  };
  places.forEach((place) => adjust(place, 1));
  return {
    remove: (place: Place) => adjust(place, -1),
    /** Unpaired tasks whose likeness to `place` is at least `likeness` (1 or 2). */
    atLeast(place: Place, likeness: 1 | 2): number {
      const [sameRole, sameParent, sameBoth] = keysOf(place).map((key) => counts.get(key) ?? 0);
      return likeness === 2
        ? (sameBoth as number)
        : (sameRole as number) + (sameParent as number) - (sameBoth as number);
    },
  };
}

export function matchTasks(before: TaskIndex, after: TaskIndex): TaskMatching {
  const pairs: TaskPair[] = [];
  const pairOfBefore = new Map<string, TaskPair>();
  const pairOfAfter = new Map<string, TaskPair>();
  // How alike two places are: the same kind of block, inside a task of the same name.
  const placeOf = (task: IndexedTask, index: TaskIndex): Place => ({
    name: task.name,
    kind: task.entry.kind,
    role: task.role,
    parent: task.parent === undefined ? undefined : index.byName.get(task.parent)?.name,
  });
  const likeness = (b: IndexedTask, a: IndexedTask) => {
    const [x, y] = [placeOf(b, before), placeOf(a, after)];
    return Number(x.role === y.role) + Number(x.parent === y.parent);
  };
  const unpaired = createPlaceCounts(before.tasks.map((b) => placeOf(b, before)));
  const link = (b: IndexedTask, a: IndexedTask, relation: PairRelation) => {
    const pair = { before: b, after: a, relation };
    pairs.push(pair);
    pairOfBefore.set(b.qname, pair);
    pairOfAfter.set(a.qname, pair);
    unpaired.remove(placeOf(b, before));
  };
  for (const b of before.tasks) {
    const a = after.byName.get(b.qname);
    if (a !== undefined) link(b, a, 'same');
  }
  const isFree = (a: IndexedTask) => !pairOfAfter.has(a.qname);

  // Lookups for what is left, each a map rather than a scan, since thousands of tasks may be
  // left: by leaf name (moves by name), by name, kind and body (intact moves), by list and body
  // (renames), and by list and position (a rename in place).
  const leftover = after.tasks.filter(isFree);
  const byLeafName = freeTasks(
    groupBy(leftover, (a) => a.name),
    isFree,
  );
  const byIdentity = freeTasks(
    groupBy(leftover, (a) => keyOf(a.name, a.entry.kind, bodyOf(a))),
    isFree,
  );
  const byListAndBody = freeTasks(
    groupBy(leftover, (a) => keyOf(a.list, bodyOf(a))),
    isFree,
  );
  const byPlace = new Map(leftover.map((a) => [keyOf(a.list, a.position), a]));

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
    for (const a of byIdentity(keyOf(b.name, b.entry.kind, bodyOf(b)))) {
      if (a.list !== home) return [a, 'moved'];
    }
    if (home === undefined) return undefined;
    const inPlace = byPlace.get(keyOf(home, b.position));
    if (inPlace && isFree(inPlace) && inPlace.name !== b.name && sameBody(b, inPlace)) {
      return [inPlace, 'renamed'];
    }
    for (const a of byListAndBody(keyOf(home, bodyOf(b)))) {
      if (a.name !== b.name) return [a, 'renamed'];
    }
    return undefined;
  };

  /** Whether another unpaired old task of that name sits in a place more like `a`'s. */
  const claimedByAnother = (b: IndexedTask, a: IndexedTask) => {
    // `b` is not among those counted: they are, by definition, more alike than it is.
    const alike = likeness(b, a);
    return alike < 2 && unpaired.atLeast(placeOf(a, after), alike === 1 ? 2 : 1) > 0;
  };

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
      for (const a of byLeafName(b.name)) {
        if (sameKind(b, a) && a.list !== home && !claimedByAnother(b, a)) {
          link(b, a, 'moved');
          break;
        }
      }
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
