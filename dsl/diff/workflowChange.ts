import type { JsonValue } from '../model/workflowModel.js';
import { segmentsOf } from '../problems.js';

/**
 * Whether a change can break executions already running on the previous version, or the callers,
 * producers and consumers that rely on it.
 */
export type Compatibility = 'compatible' | 'breaking';

/** Stable, kebab-case: scripts and the approval UI match on these. */
export const changeKinds = [
  'document-changed',
  'workflow-changed',
  'task-added',
  'task-removed',
  'task-renamed',
  'task-moved',
  'task-kind-changed',
  'task-changed',
  'flow-changed',
  'output-shape-changed',
  'input-schema-changed',
  'output-schema-changed',
  'context-schema-changed',
  'event-consumed-added',
  'event-consumed-removed',
  'event-filter-changed',
  'event-emitted-added',
  'event-emitted-removed',
  'event-emitted-changed',
  'use-added',
  'use-removed',
  'use-changed',
  'schedule-changed',
] as const;
export type ChangeKind = (typeof changeKinds)[number];

/** One difference between two versions of a workflow, classified for the person approving it. */
export interface WorkflowChange {
  kind: ChangeKind;
  /**
   * JSON pointer of the changed node. It points into the new version, except for something that
   * no longer exists there (a removed or renamed task, a removed event or resource), which is
   * located in the old one.
   */
  path: string;
  /** Qualified task name (`handle/try/checkStock`) in the version `path` points into. */
  task?: string;
  compatibility: Compatibility;
  /** One sentence for the approver: what changed, and why it is breaking or why it is safe. */
  reason: string;
  /** Compact old and new values (long ones are cut, see `compactValue`). */
  before?: JsonValue;
  after?: JsonValue;
}

export interface WorkflowDiff {
  changes: WorkflowChange[];
  /** True when any change is breaking. */
  breaking: boolean;
}

/** Compares JSON pointers' segments one by one, numeric segments as numbers (`/do/2` < `/do/10`). */
function compareSegments(left: string[], right: string[]): number {
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const x = left[i] as string;
    const y = right[i] as string;
    if (x === y) continue;
    const numeric = /^\d+$/.test(x) && /^\d+$/.test(y);
    if (numeric) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return left.length - right.length;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** `changes` in the order they are listed: breaking first, then by place, kind and wording. */
export function sortChanges(changes: readonly WorkflowChange[]): WorkflowChange[] {
  // Each pointer is split once, not in every comparison.
  const keyed = changes.map((change) => ({ change, segments: segmentsOf(change.path) }));
  keyed.sort(({ change: a, segments: left }, { change: b, segments: right }) => {
    if (a.compatibility !== b.compatibility) return a.compatibility === 'breaking' ? -1 : 1;
    return (
      compareSegments(left, right) ||
      byText(a.kind, b.kind) ||
      byText(a.task ?? '', b.task ?? '') ||
      byText(a.reason, b.reason)
    );
  });
  return keyed.map(({ change }) => change);
}
