import { describe, expect, it } from 'vitest';
import { dependencyTasksOf } from './dependencyTasks.js';

describe('dependencyTasksOf', () => {
  // Review: `found.push(...tasks)` passed every task as an argument, past the engine's limit
  // (about 125,000 here). The input is heavy by necessity: the timeout only keeps a slow machine
  // from failing it, nothing here measures time.
  const heavy = { timeout: 30_000 };
  it('reads an extension list of 150,000 tasks without overflowing the call stack', heavy, () => {
    const count = 150_000;
    const before = Array.from({ length: count }, (_, i) => ({ [`b${i}`]: { wait: 'PT1S' } }));
    const tasks = dependencyTasksOf({
      use: { extensions: [{ audit: { extend: 'all', before } }] },
      do: [{ a: { wait: 'PT1S' } }],
    });
    expect(tasks).toHaveLength(count + 1);
    expect(tasks[0]?.site).toBe('/do/0/a');
    expect(tasks[count]?.site).toBe(`/use/extensions/0/audit/before/${count - 1}/b${count - 1}`);
  });
});
