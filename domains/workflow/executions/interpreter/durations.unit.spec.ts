import { describe, expect, it } from 'vitest';
import { durationMs } from './durations.js';
import { thrownBy } from './testing/thrownBy.js';
import { errorTypes, WorkflowError } from './workflowError.js';

const at = '/do/0/pause/wait';

describe('durationMs', () => {
  it.each([
    ['PT1M30S', 90_000],
    ['P1DT2H', 26 * 3_600_000],
    ['PT0.5S', 500],
    ['PT2H', 7_200_000],
    ['  PT5S  ', 5_000],
  ])('reads the ISO 8601 duration %j as %i ms', (iso, expected) => {
    expect(durationMs(iso, at)).toBe(expected);
  });

  it('adds up the parts of an object duration', () => {
    expect(durationMs({ days: 1, hours: 2, minutes: 3, seconds: 4, milliseconds: 5 }, at)).toBe(
      86_400_000 + 7_200_000 + 180_000 + 4_000 + 5,
    );
  });

  it('reads an object with some parts the same as the ISO form', () => {
    expect(durationMs({ minutes: 1, seconds: 30 }, at)).toBe(durationMs('PT1M30S', at));
  });

  it.each(['soon', '5s', '', 'pt1m'])(
    'rejects %j as a validation error located where it was used',
    (text) => {
      const failure = thrownBy(() => durationMs(text, at));
      expect(failure).toBeInstanceOf(WorkflowError);
      expect((failure as WorkflowError).problem).toMatchObject({
        type: errorTypes.validation.type,
        status: 400,
        instance: at,
      });
    },
  );

  it.each([42, true, null, undefined])(
    'rejects the non-duration %j as a validation error',
    (value) => {
      const failure = thrownBy(() => durationMs(value, at));
      expect((failure as WorkflowError).problem).toMatchObject({
        type: errorTypes.validation.type,
        status: 400,
        instance: at,
      });
    },
  );
});
