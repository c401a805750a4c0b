import { closestName as closestKnownName } from '../model/nameHints.js';

/**
 * The known name a mistyped one was probably meant to be (`methd` → `method`), or undefined when
 * none is close: at most one edit per three characters (at least one), case ignored, adjacent
 * swaps counting as one edit. Ties go to the alphabetically first name, so the answer is stable.
 * The search, and its bounds on long names and many candidates, is `model/nameHints.ts`, shared
 * with the semantic rules.
 */
export function closestName(name: string, known: Iterable<string>): string | undefined {
  return closestKnownName(name, known);
}
