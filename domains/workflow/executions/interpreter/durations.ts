import { measureIso } from '../../../../dsl/index.js';
import type { Duration } from '../../../../dsl/index.js';
import { standardError } from './workflowError.js';

const unitMs = {
  days: 86_400_000,
  hours: 3_600_000,
  minutes: 60_000,
  seconds: 1_000,
  milliseconds: 1,
} as const;

/**
 * A DSL duration in milliseconds: an ISO 8601 string (`PT1M30S`) or its parts
 * (`{ minutes: 1, seconds: 30 }`). The caller evaluates a runtime expression first.
 */
export function durationMs(duration: Duration | unknown, at: string): number {
  if (typeof duration === 'string') {
    // The validator's own measure: one reading of ISO 8601 for the checker and the engine.
    const measured = measureIso(duration.trim());
    if (typeof measured === 'string') throw invalid(measured, at);
    return measured;
  }
  if (typeof duration === 'object' && duration !== null && !Array.isArray(duration)) {
    const entries = Object.entries(duration as Record<string, unknown>);
    if (entries.length === 0)
      throw invalid(
        'a duration needs at least one of days, hours, minutes, seconds, milliseconds',
        at,
      );
    let total = 0;
    for (const [unit, amount] of entries) {
      const size = (unitMs as Record<string, number>)[unit];
      if (size === undefined)
        throw invalid(
          `'${unit}' is not a duration unit (days, hours, minutes, seconds, milliseconds)`,
          at,
        );
      if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) {
        throw invalid(`${unit} must be a non-negative number, got ${JSON.stringify(amount)}`, at);
      }
      total += amount * size;
    }
    return total;
  }
  throw invalid(`expected a duration, got ${JSON.stringify(duration)}`, at);
}

function invalid(detail: string, at: string) {
  return standardError('validation', 'Invalid duration', detail, { instance: at });
}
