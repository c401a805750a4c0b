import { isDeepStrictEqual } from 'node:util';
import type { CloudEvent, EventFilter } from './executionHost.js';
import type { ExpressionEvaluator } from './runtimeExpressions.js';
import { isExpression } from './runtimeExpressions.js';

/**
 * Whether a CloudEvent passes a listen filter. Each attribute in `with` must match: a runtime
 * expression is evaluated on the attribute's value and must be truthy; a string matches
 * exactly, or — when it contains a regular-expression operator other than the dot that every
 * CloudEvent type has (`^$*+?()[]{}|\`) — as a whole-value regular expression; anything else
 * must be equal. Each
 * correlation's `from` must yield its `expect` (when the subscription knows it).
 */
export function matchesEventFilter(
  expressions: ExpressionEvaluator,
  filter: EventFilter,
  event: CloudEvent,
  at: string,
): boolean {
  for (const [attribute, expected] of Object.entries(filter.with)) {
    const actual = event[attribute];
    if (isExpression(expected)) {
      if (!expressions.test(expected, actual ?? null, {}, `${at}/with/${attribute}`)) return false;
    } else if (typeof expected === 'string') {
      const matches =
        actual === expected ||
        (isPattern(expected) && typeof actual === 'string' && wholeMatch(expected, actual));
      if (!matches) return false;
    } else if (!isDeepStrictEqual(actual, expected)) {
      return false;
    }
  }
  for (const [name, correlation] of Object.entries(filter.correlate ?? {})) {
    if (correlation.expect === undefined) continue;
    const value = expressions.evaluate(correlation.from, event, {}, `${at}/correlate/${name}/from`);
    if (!isDeepStrictEqual(value, correlation.expect)) return false;
  }
  return true;
}

/** Whether a filter value is meant as a regular expression rather than a literal. */
export function isPattern(value: string): boolean {
  return /[\\^$*+?()[\]{}|]/.test(value);
}

const patterns = new Map<string, RegExp | null>();

function wholeMatch(pattern: string, value: string): boolean {
  let regex = patterns.get(pattern);
  if (regex === undefined) {
    try {
      regex = new RegExp(`^(?:${pattern})$`, 'u');
    } catch {
      regex = null;
    }
    if (patterns.size > 1_000) patterns.clear();
    patterns.set(pattern, regex);
  }
  return regex !== null && regex.test(value);
}
