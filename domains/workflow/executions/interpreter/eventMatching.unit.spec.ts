import { describe, expect, it } from 'vitest';
import { matchesEventFilter } from './eventMatching.js';
import type { CloudEvent, EventFilter } from './executionHost.js';
import { ExpressionEvaluator } from './runtimeExpressions.js';
import { createJqWasmExpressionEngine } from './testing/jqWasmExpressionEngine.js';
import { thrownBy } from './testing/thrownBy.js';
import { WorkflowError } from './workflowError.js';

const expressions = new ExpressionEvaluator(await createJqWasmExpressionEngine());
const at = '/do/0/waitForReading/listen/to/one';

const reading: CloudEvent = {
  specversion: '1.0',
  id: 'evt-1',
  source: 'https://sensors.example.com/ward-3',
  type: 'com.example.vitals.temperature',
  datacontenttype: 'application/json',
  data: { patientId: 'p-17', temperature: 39.2 },
};

const matches = (filter: EventFilter, event: CloudEvent = reading) =>
  matchesEventFilter(expressions, filter, event, at);

describe('matchesEventFilter', () => {
  it('accepts any event with an empty filter', () => {
    expect(matches({ with: {} })).toBe(true);
  });

  it('accepts an attribute equal to the literal', () => {
    expect(matches({ with: { type: 'com.example.vitals.temperature' } })).toBe(true);
    expect(matches({ with: { type: 'com.example.vitals.pulse' } })).toBe(false);
  });

  it('accepts an attribute the regular expression matches as a whole', () => {
    expect(matches({ with: { type: 'com\\.example\\..*' } })).toBe(true);
    expect(matches({ with: { source: 'https://sensors\\.example\\.com/ward-\\d+' } })).toBe(true);
  });

  it('refuses an attribute the regular expression matches only in part', () => {
    expect(matches({ with: { type: 'com\\.example' } })).toBe(false);
    expect(matches({ with: { type: 'vitals\\..*' } })).toBe(false);
  });

  it('refuses an attribute the regular expression does not match', () => {
    expect(matches({ with: { type: 'org\\.example\\..*' } })).toBe(false);
  });

  it('compares a string that is not a valid regular expression literally', () => {
    const odd: CloudEvent = { ...reading, subject: 'bed (3' };
    expect(matches({ with: { subject: 'bed (3' } }, odd)).toBe(true);
    expect(matches({ with: { subject: 'bed (4' } }, odd)).toBe(false);
  });

  it('refuses an event that lacks the attribute', () => {
    expect(matches({ with: { subject: '.*' } })).toBe(false);
  });

  it('accepts an attribute for which the runtime expression is truthy', () => {
    expect(matches({ with: { data: '${ .temperature > 38 }' } })).toBe(true);
  });

  it('refuses an attribute for which the runtime expression is false or null', () => {
    const normal: CloudEvent = { ...reading, data: { patientId: 'p-17', temperature: 36.6 } };
    expect(matches({ with: { data: '${ .temperature > 38 }' } }, normal)).toBe(false);
    expect(matches({ with: { data: '${ .missing }' } })).toBe(false);
  });

  it('evaluates the runtime expression on null when the event lacks the attribute', () => {
    expect(matches({ with: { subject: '${ . == null }' } })).toBe(true);
  });

  it('compares non-string values deeply', () => {
    expect(matches({ with: { data: { patientId: 'p-17', temperature: 39.2 } } })).toBe(true);
    expect(matches({ with: { data: { patientId: 'p-17' } } })).toBe(false);
  });

  it('requires every attribute of the filter to match', () => {
    expect(matches({ with: { type: 'com\\.example\\..*', data: '${ .temperature > 40 }' } })).toBe(
      false,
    );
    expect(matches({ with: { type: 'com\\.example\\..*', data: '${ .temperature > 38 }' } })).toBe(
      true,
    );
  });

  it('accepts an event whose correlation value equals the expected one', () => {
    const filter: EventFilter = {
      with: { type: 'com.example.vitals.temperature' },
      correlate: { patient: { from: '${ .data.patientId }', expect: 'p-17' } },
    };
    expect(matches(filter)).toBe(true);
  });

  it('refuses an event whose correlation value differs', () => {
    const filter: EventFilter = {
      with: {},
      correlate: { patient: { from: '${ .data.patientId }', expect: 'p-99' } },
    };
    expect(matches(filter)).toBe(false);
  });

  it('ignores a correlation whose expected value is not known yet', () => {
    const filter: EventFilter = { with: {}, correlate: { patient: { from: '${ .data.nope }' } } };
    expect(matches(filter)).toBe(true);
  });

  it('compares a correlation value deeply', () => {
    const filter: EventFilter = {
      with: {},
      correlate: { patient: { from: '${ .data | {patientId} }', expect: { patientId: 'p-17' } } },
    };
    expect(matches(filter)).toBe(true);
  });

  it('reports a failing attribute expression as an expression error located at the attribute', () => {
    const failure = thrownBy(() => matches({ with: { data: '${ .temperature | error("bad") }' } }));
    expect(failure).toBeInstanceOf(WorkflowError);
    expect((failure as WorkflowError).problem).toMatchObject({
      status: 400,
      instance: `${at}/with/data`,
    });
  });
});
