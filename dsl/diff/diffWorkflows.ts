import type { WorkflowDefinition } from '../model/workflowModel.js';
import { consumedEventChanges } from './consumedEventChanges.js';
import { emittedEventChanges } from './emittedEventChanges.js';
import { resourceChanges } from './resourceChanges.js';
import { taskConfigChanges } from './taskConfigChanges.js';
import { indexTasks } from './taskIndex.js';
import { taskListChanges } from './taskListChanges.js';
import { matchTasks } from './taskMatching.js';
import { sortChanges } from './workflowChange.js';
import type { WorkflowDiff } from './workflowChange.js';
import { workflowLevelChanges } from './workflowLevelChanges.js';

export { formatDiff } from './formatDiff.js';
export { changeKinds } from './workflowChange.js';
export type { ChangeKind, Compatibility, WorkflowChange, WorkflowDiff } from './workflowChange.js';

/**
 * What changed between the approved version of a workflow and a proposed one, each change
 * classified as compatible or breaking for the executions already running and for the callers,
 * producers and consumers of the workflow. Tasks are matched by qualified name, so inserting a
 * task is one change, not one per task after it. Pure: it reads both documents and nothing else.
 */
export function diffWorkflows(before: WorkflowDefinition, after: WorkflowDefinition): WorkflowDiff {
  const indexes = { before: indexTasks(before), after: indexTasks(after) };
  const matching = matchTasks(indexes.before, indexes.after);
  const changes = sortChanges([
    ...workflowLevelChanges(before, after),
    ...taskListChanges(indexes.before, indexes.after, matching),
    ...matching.pairs.flatMap(taskConfigChanges),
    ...consumedEventChanges(before, after, indexes, matching),
    ...emittedEventChanges(indexes, matching),
    ...resourceChanges(before, after),
  ]);
  return { changes, breaking: changes.some((change) => change.compatibility === 'breaking') };
}
