import { describe, expect, it } from 'vitest';
import { parseWorkflowText } from '../parse/parseWorkflowText.js';
import { checkCronSchedules, cronProblemOf } from './cronSchedules.js';
import { semanticInputOf } from './semanticInput.js';

const header = "document: {dsl: '1.0.0', namespace: ns, name: wf, version: '1.0.0'}\n";

function check(yaml: string) {
  const parsed = parseWorkflowText(header + yaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return checkCronSchedules(semanticInputOf(parsed.document));
}

describe('cronProblemOf', () => {
  it.each(['0 0 * * *', '*/5 * * * * *', '@daily', '0 9 * * MON-FRI'])('accepts %s', (cron) => {
    expect(cronProblemOf(cron)).toBeUndefined();
  });

  it.each([
    ['61 * * * *', 'Constraint error, got value 61 expected range 0-59'],
    ['* * *', 'it has 3 fields; a cron expression has 5'],
    ['', 'it has 0 fields'],
    ['5-1 * * * *', 'Invalid range: 5-1'],
    ['@sometimes', 'cannot resolve alias'],
  ])('rejects %j: %s', (cron, reason) => {
    expect(cronProblemOf(cron)).toContain(reason);
  });
});

describe('checkCronSchedules', () => {
  it('accepts a valid schedule and a document without one', () => {
    expect(check("schedule: {cron: '0 0 * * *'}\ndo: [{a: {set: {x: 1}}}]\n")).toEqual([]);
    expect(check('do: [{a: {set: {x: 1}}}]\n')).toEqual([]);
  });

  it("reports an invalid schedule.cron at its value with the parser's reason", () => {
    expect(check("schedule: {cron: '0 0 31 2 *'}\ndo: [{a: {set: {x: 1}}}]\n")).toEqual([
      {
        severity: 'error',
        code: 'cron-invalid',
        message:
          "schedule.cron: '0 0 31 2 *' is not a valid cron expression: Invalid explicit day of month definition",
        path: '/schedule/cron',
        line: 2,
        column: 18,
      },
    ]);
  });
});
