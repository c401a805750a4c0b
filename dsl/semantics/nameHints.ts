/** Helpers for messages that name what exists when a name does not. */

/** Edit distance with adjacent transpositions (`setGrene` is one edit from `setGreen`). */
export function editDistance(a: string, b: string): number {
  const width = b.length + 1;
  // One flat table, row-major: cell (i, j) is the distance between a[0..i) and b[0..j).
  const d = new Array<number>((a.length + 1) * width).fill(0);
  const at = (i: number, j: number) => d[i * width + j] ?? 0;
  for (let i = 0; i <= a.length; i++) d[i * width] = i;
  for (let j = 0; j <= b.length; j++) d[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      d[i * width + j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The candidate a typo most likely meant: same name ignoring case, or within a third of its
 * length in edits (at least one). Undefined when nothing is that close.
 */
export function closestName(target: string, candidates: readonly string[]): string | undefined {
  const lower = target.toLowerCase();
  const sameCase = candidates.find((c) => c.toLowerCase() === lower && c !== target);
  if (sameCase !== undefined) return sameCase;
  const limit = Math.max(1, Math.floor(target.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - target.length) > limit) continue;
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** ` (did you mean 'x'?)`, or nothing. */
export function didYouMean(target: string, candidates: readonly string[]): string {
  const close = closestName(target, candidates);
  return close === undefined ? '' : ` (did you mean '${close}'?)`;
}

/** `'a', 'b' and 'c'`, shortened past `max` names. */
export function quotedList(names: readonly string[], max = 10): string {
  const quoted = names.slice(0, max).map((name) => `'${name}'`);
  if (names.length > max) return `${quoted.join(', ')} and ${names.length - max} more`;
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
}
