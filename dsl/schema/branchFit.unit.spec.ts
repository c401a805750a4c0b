import { describe, expect, it } from 'vitest';
import { branchFit, fitLevels, plausibleBranches } from './branchFit.js';
import { workflowJsonSchema } from './workflowSchema.js';

const schema = workflowJsonSchema();
const taskTypes = [
  'call',
  'do',
  'fork',
  'emit',
  'for',
  'listen',
  'raise',
  'run',
  'set',
  'switch',
  'try',
  'wait',
];
const fitsOfTask = (task: unknown) =>
  taskTypes.map((_, i) => branchFit(schema, `#/$defs/task/oneOf/${i}`, task));
const plausibleTaskTypes = (task: unknown) =>
  plausibleBranches(fitsOfTask(task)).map((i) => taskTypes[i]);

describe('branchFit', () => {
  it('tells the call kinds apart by their call', () => {
    const task = { call: 'http', with: { method: 'get' } };
    const kinds = ['asyncapi', 'grpc', 'http', 'openapi', 'a2a', 'mcp', 'function'];
    const levels = kinds.map(
      (_, i) => branchFit(schema, `#/$defs/callTask/oneOf/${i}`, task).level,
    );
    expect(levels).toEqual([2, 2, 3, 2, 2, 2, 2]);
  });

  it('finds a task meant by its task type despite errors inside it', () => {
    expect(plausibleTaskTypes({ call: 'http', with: {} })).toEqual(['call']);
    expect(plausibleTaskTypes({ set: {} })).toEqual(['set']);
    expect(plausibleTaskTypes({ try: [] })).toEqual(['try']);
  });

  it('prefers a for task over a do task when both keys are there', () => {
    expect(plausibleTaskTypes({ for: { in: '${ .items }' }, do: [] })).toEqual(['for']);
  });

  it('keeps both a do and a for task in play for a lone do', () => {
    expect(plausibleTaskTypes({ do: 5 })).toEqual(['do', 'for']);
  });

  it('finds no task type in a task without one', () => {
    const fits = fitsOfTask({ cal: 'http' });
    expect(fits.every((fit) => fit.level === fitLevels.unclaimed)).toBe(true);
  });

  it('sets aside alternatives of the wrong type', () => {
    expect(branchFit(schema, '#/$defs/duration/oneOf/0', 'PT5S').level).toBe(fitLevels.unrelated);
    expect(branchFit(schema, '#/$defs/duration/oneOf/2', 'PT5S').level).toBe(fitLevels.fits);
  });
});
