/**
 * "Did you mean …?": the one search for the known name a mistyped one was meant to be, shared by
 * the schema's unknown properties and the semantic rules' unresolved names. Names come from the
 * document, so every cost is bounded: long names get no hint, only the first candidates are
 * considered, and one budget of edit work can be shared by all the hints of a document.
 */

/** Names longer than this get no hint and are never suggested: nobody mistypes 65 characters. */
export const maxHintedNameLength = 64;
/** Candidates past this many are not considered. */
export const maxHintCandidates = 1_000;
/** Edit work (table cells, plus one per candidate looked at) a budget allows by default. */
export const defaultHintCells = 10_000_000;

/** Edit work left to the hints that share it; once spent, they suggest nothing. */
export interface HintBudget {
  cells: number;
}

export function createHintBudget(cells = defaultHintCells): HintBudget {
  return { cells };
}

// Three rows of the table (i-2, i-1, i), reused: the search computes many small tables.
let rows = new Int32Array(3 * (maxHintedNameLength + 1));

/**
 * Optimal string alignment distance (Levenshtein plus swaps of neighbours: `setGrene` is one edit
 * from `setGreen`). Past `max` it stops early and returns `max + 1`. Spends its cells from `budget`.
 */
function boundedDistance(a: string, b: string, max: number, budget?: HintBudget): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const width = b.length + 1;
  if (rows.length < 3 * width) rows = new Int32Array(3 * width);
  const d = rows;
  // Row r of the table lives at (r % 3) * width.
  for (let j = 0; j < width; j++) d[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = (i % 3) * width;
    const above = ((i + 2) % 3) * width;
    const twoAbove = ((i + 1) % 3) * width;
    const ca = a.charCodeAt(i - 1);
    const caBefore = i > 1 ? a.charCodeAt(i - 2) : -1;
    d[row] = i;
    let rowMin = i;
    let left = i;
    let diagonal = d[above] as number;
    let cbBefore = -1;
    for (let j = 1; j < width; j++) {
      const up = d[above + j] as number;
      const cb = b.charCodeAt(j - 1);
      let best = ca === cb ? diagonal : diagonal + 1;
      if (up + 1 < best) best = up + 1;
      if (left + 1 < best) best = left + 1;
      if (ca === cbBefore && caBefore === cb) {
        const swapped = (d[twoAbove + j - 2] as number) + 1;
        if (swapped < best) best = swapped;
      }
      d[row + j] = best;
      if (best < rowMin) rowMin = best;
      left = best;
      diagonal = up;
      cbBefore = cb;
    }
    if (budget !== undefined) budget.cells -= width;
    // Each row's minimum is at most one less than the row before's, so once a row is all past
    // `max`, every later row is too (the swap term reads two rows up, at least `max` there).
    if (rowMin > max) return max + 1;
  }
  return d[(a.length % 3) * width + b.length] as number;
}

/** Optimal string alignment distance between `a` and `b`, or `max + 1` once it exceeds `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  return boundedDistance(a, b, max);
}

/** The suggestions for one set of candidates, prepared once and asked many times. */
export interface NameHints {
  /**
   * The candidate `target` most likely meant, or undefined when none is close: at most one edit
   * per three characters (at least one), case ignored, so a name differing only in case wins.
   * Ties go to the first name in code-unit order, so the answer does not depend on the order of
   * the candidates.
   */
  closest(target: string): string | undefined;
}

interface Candidate {
  name: string;
  lower: string;
}

/**
 * Prepares the first `maxHintCandidates` candidates (by length, lower-cased). Hints made with
 * the same `budget` share it; without one, these hints get a budget of their own.
 */
export function createNameHints(
  candidates: Iterable<string>,
  budget: HintBudget = createHintBudget(),
): NameHints {
  const byLength = new Map<number, Candidate[]>();
  let taken = 0;
  for (const name of candidates) {
    if (taken++ >= maxHintCandidates) break;
    if (name.length > maxHintedNameLength) continue;
    const group = byLength.get(name.length) ?? [];
    group.push({ name, lower: name.toLowerCase() });
    byLength.set(name.length, group);
  }
  // Documents repeat the same wrong name (many `then: done`): each is searched once.
  const answers = new Map<string, string | undefined>();

  const search = (target: string): string | undefined => {
    const lower = target.toLowerCase();
    const limit = Math.max(1, Math.floor(target.length / 3));
    let best: string | undefined;
    let bestDistance = limit;
    for (let length = target.length - limit; length <= target.length + limit; length++) {
      for (const candidate of byLength.get(length) ?? []) {
        if (budget.cells <= 0) return best;
        budget.cells -= 1;
        if (candidate.name === target) continue;
        const distance = boundedDistance(lower, candidate.lower, bestDistance, budget);
        if (distance > bestDistance) continue;
        if (best === undefined || distance < bestDistance || candidate.name < best) {
          best = candidate.name;
          bestDistance = distance;
        }
      }
    }
    return best;
  };

  return {
    closest(target) {
      if (target.length > maxHintedNameLength || byLength.size === 0) return undefined;
      if (answers.has(target)) return answers.get(target);
      const answer = search(target);
      answers.set(target, answer);
      return answer;
    },
  };
}

/** The candidate `target` most likely meant (see `NameHints.closest`), for a single question. */
export function closestName(target: string, candidates: Iterable<string>): string | undefined {
  return createNameHints(candidates).closest(target);
}
