import { describe, expect, it } from 'vitest';
import { parseWorkflowText } from '../parse/parseWorkflowText.js';
import { checkDurations } from './durations.js';
import { semanticInputOf } from './semanticInput.js';

const header = "document: {dsl: '1.0.0', namespace: ns, name: wf, version: '1.0.0'}\n";

function check(yaml: string) {
  const parsed = parseWorkflowText(header + yaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return checkDurations(semanticInputOf(parsed.document));
}

const summary = (problems: ReturnType<typeof check>) =>
  problems.map(({ code, severity, line, column, path }) => ({
    code,
    severity,
    line,
    column,
    path,
  }));

describe('checkDurations', () => {
  it('accepts ISO 8601 strings, inline durations and expressions everywhere durations go', () => {
    expect(
      check(`timeout: {after: PT1H}
schedule: {every: P1D, after: {minutes: 5}}
use:
  timeouts: {t: {after: P1W2D}}
  retries: {r: {delay: PT1.5S, limit: {attempt: {duration: PT10S}, duration: PT1M}, jitter: {from: PT0S, to: PT1S}}}
do:
  - a: {wait: PT30S, timeout: {after: '\${ .limit }'}}
  - b: {wait: {seconds: 10}}
  - c:
      try: [{d: {set: {x: 1}}}]
      catch: {retry: {delay: {seconds: 3}}}
`),
    ).toEqual([]);
  });

  it('reports a string that is not an ISO 8601 duration', () => {
    const problems = check(`do:
  - a: {wait: PT}
  - b: {set: {x: 1}, timeout: {after: 5 minutes}}
`);
    expect(summary(problems)).toEqual([
      { code: 'duration-invalid', severity: 'error', line: 3, column: 15, path: '/do/0/a/wait' },
      {
        code: 'duration-invalid',
        severity: 'error',
        line: 4,
        column: 39,
        path: '/do/1/b/timeout/after',
      },
    ]);
    expect(problems[0]?.message).toContain(
      "wait: 'PT' is not an ISO 8601 duration such as PT30S or P1DT12H",
    );
    expect(problems[1]?.message).toContain(
      `timeout.after: '5 minutes' is not an ISO 8601 duration such as PT30S or P1DT12H (the input "5 minutes" can't be parsed as ISO 8601)`,
    );
  });

  it('reports negative inline durations in retry policies', () => {
    const problems = check(`use:
  retries: {r: {delay: {seconds: -3}}}
do:
  - a: {set: {x: 1}}
`);
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      ['/use/retries/r/delay', 'retry delay: seconds is negative; a duration cannot be'],
    ]);
  });

  it('warns about a zero wait and a zero schedule.every, in either form', () => {
    const problems = check(`schedule: {every: PT0S}
do:
  - a: {wait: {seconds: 0}}
  - b: {wait: P0D}
`);
    expect(summary(problems)).toEqual([
      {
        code: 'duration-invalid',
        severity: 'warning',
        line: 2,
        column: 19,
        path: '/schedule/every',
      },
      { code: 'duration-invalid', severity: 'warning', line: 4, column: 15, path: '/do/0/a/wait' },
      { code: 'duration-invalid', severity: 'warning', line: 5, column: 15, path: '/do/1/b/wait' },
    ]);
    expect(problems.map((p) => p.message)).toEqual([
      'schedule.every is zero and would start the workflow continuously',
      'wait is zero and waits for no time at all',
      'wait is zero and waits for no time at all',
    ]);
  });
});
