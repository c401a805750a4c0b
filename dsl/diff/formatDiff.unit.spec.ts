import { describe, expect, it } from 'vitest';
import type { WorkflowChange, WorkflowDiff } from './diffWorkflows.js';
import { formatDiff } from './formatDiff.js';

const change = (overrides: Partial<WorkflowChange>): WorkflowChange => ({
  kind: 'task-added',
  path: '/do/1/log',
  compatibility: 'compatible',
  reason: "task 'log' was added",
  ...overrides,
});

describe('formatDiff', () => {
  it('says there are no changes', () => {
    expect(formatDiff({ changes: [], breaking: false })).toBe('no changes\n');
  });

  it('prints one aligned line per change, breaking first, then by place', () => {
    const diff: WorkflowDiff = {
      breaking: true,
      changes: [
        change({}),
        change({ kind: 'task-changed', path: '/do/10/ship', reason: "task 'ship' changed" }),
        change({
          kind: 'task-removed',
          path: '/do/2/reserveStock',
          compatibility: 'breaking',
          reason: "task 'reserveStock' was removed: executions paused in it cannot resume",
        }),
      ],
    };
    expect(formatDiff(diff).split('\n')).toEqual([
      "breaking    task-removed  /do/2/reserveStock  task 'reserveStock' was removed: executions paused in it cannot resume",
      "compatible  task-added    /do/1/log           task 'log' was added",
      "compatible  task-changed  /do/10/ship         task 'ship' changed",
      '',
    ]);
  });

  it('does not depend on the order the changes come in', () => {
    const changes = [
      change({ path: '/do/3/b', reason: 'b' }),
      change({ path: '/do/3/a', reason: 'a' }),
      change({ path: '/do/3/a', kind: 'flow-changed', reason: 'c' }),
    ];
    const forward = formatDiff({ changes, breaking: false });
    expect(formatDiff({ changes: [...changes].reverse(), breaking: false })).toBe(forward);
  });
});
