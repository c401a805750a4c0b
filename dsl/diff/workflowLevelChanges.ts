import { pointerOf } from '../problems.js';
import { compactValue, deepEqual, isObject, own, quoted, valueAt } from './jsonValues.js';
import { shapeChange } from './outputShape.js';
import { schemaChanges, schemaStillHolds } from './schemaChanges.js';
import type { WorkflowChange } from './workflowChange.js';

/**
 * Changes outside the task lists: the document header, the workflow's input and output, its
 * schedule and its other top-level settings. Resources (`use`) and events have their own modules.
 */

/** Top-level fields compared here or elsewhere; any other one is reported as workflow-changed. */
const compared = new Set(['document', 'input', 'output', 'schedule', 'use', 'do']);

const major = (version: unknown) => String(version).split('.')[0];

function documentChanges(before: unknown, after: unknown): WorkflowChange[] {
  const was = valueAt(before, ['document']);
  const now = valueAt(after, ['document']);
  const b = isObject(was) ? was : {};
  const a = isObject(now) ? now : {};
  const changes: WorkflowChange[] = [];
  for (const field of new Set([...Object.keys(b), ...Object.keys(a)])) {
    const old = own(b, field);
    const current = own(a, field);
    if (deepEqual(old, current)) continue;
    const values = {
      before: compactValue(old, ['document', field]),
      after: compactValue(current, ['document', field]),
    };
    const path = pointerOf(['document', field]);
    const change = (compatibility: 'compatible' | 'breaking', reason: string) =>
      changes.push({ kind: 'document-changed', path, compatibility, reason, ...values });
    if (field === 'name' || field === 'namespace') {
      change(
        'breaking',
        `the workflow's ${field} changed from ${quoted(old)} to ${quoted(current)}: this is a different workflow, so callers, schedules and triggers addressing the old one do not reach it, and running executions stay with the old one`,
      );
    } else if (field === 'version') {
      change(
        'compatible',
        `the version changes from ${quoted(old)} to ${quoted(current)}; the version alone breaks nothing`,
      );
    } else if (field === 'dsl' && major(old) !== major(current)) {
      change(
        'breaking',
        `the DSL moves from ${quoted(old)} to ${quoted(current)}, another major edition of the language, so every task may be read differently`,
      );
    } else {
      change(
        'compatible',
        `the document's ${field} changed; it describes the workflow and changes nothing it does`,
      );
    }
  }
  return changes;
}

function ioChanges(before: unknown, after: unknown): WorkflowChange[] {
  const changes = [
    ...schemaChanges(valueAt(before, ['input', 'schema']), valueAt(after, ['input', 'schema']), {
      role: 'input',
      pointer: '/input/schema',
    }),
    ...schemaChanges(valueAt(before, ['output', 'schema']), valueAt(after, ['output', 'schema']), {
      role: 'output',
      pointer: '/output/schema',
    }),
  ];
  const from = [valueAt(before, ['input', 'from']), valueAt(after, ['input', 'from'])];
  if (!deepEqual(from[0], from[1])) {
    changes.push({
      kind: 'workflow-changed',
      path: '/input/from',
      compatibility: 'compatible',
      reason:
        "the workflow's input transformation changed: it applies when an execution starts, so running executions are unaffected and callers send the same input",
      before: compactValue(from[0]),
      after: compactValue(from[1]),
    });
  }
  const as = [valueAt(before, ['output', 'as']), valueAt(after, ['output', 'as'])];
  const verdict = shapeChange(as[0], as[1]);
  if (verdict !== undefined) {
    const pinned = schemaStillHolds(
      valueAt(before, ['output', 'schema']),
      valueAt(after, ['output', 'schema']),
    );
    changes.push({
      kind: 'output-shape-changed',
      path: '/output/as',
      compatibility: pinned ? 'compatible' : verdict.compatibility,
      reason: pinned
        ? "the workflow's output.as changed, but its declared output schema still holds and the runtime checks it, so callers get nothing new"
        : `the workflow's output.as changed: ${verdict.why}; callers and consumers of the workflow's output read it`,
      before: compactValue(as[0]),
      after: compactValue(as[1]),
    });
  }
  // What is left of `input`/`output` besides the fields above; an emptied mapping is no setting.
  const rest = (workflow: unknown, part: string) => {
    const value = valueAt(workflow, [part]);
    if (!isObject(value)) return value;
    const others = Object.entries(value).filter(([k]) => !['schema', 'from', 'as'].includes(k));
    return others.length === 0 ? undefined : Object.fromEntries(others);
  };
  for (const part of ['input', 'output']) {
    if (deepEqual(rest(before, part), rest(after, part))) continue;
    changes.push({
      kind: 'workflow-changed',
      path: pointerOf([part]),
      compatibility: 'compatible',
      reason: `settings of the workflow's ${part} that AWP does not interpret changed`,
      before: compactValue(rest(before, part)),
      after: compactValue(rest(after, part)),
    });
  }
  return changes;
}

/** Timer settings only: `schedule.on` is an event contract, compared in consumedEventChanges. */
function scheduleChanges(before: unknown, after: unknown): WorkflowChange[] {
  const timers = (workflow: unknown) => {
    const schedule = valueAt(workflow, ['schedule']);
    if (!isObject(schedule)) return schedule;
    const rest = Object.entries(schedule).filter(([key]) => key !== 'on');
    return rest.length === 0 ? undefined : Object.fromEntries(rest);
  };
  const was = timers(before);
  const now = timers(after);
  if (deepEqual(was, now)) return [];
  return [
    {
      kind: 'schedule-changed',
      path: '/schedule',
      compatibility: 'compatible',
      reason:
        'the schedule changed: it decides when new executions start, so running ones are unaffected and nothing that called the workflow breaks',
      before: compactValue(was),
      after: compactValue(now),
    },
  ];
}

function otherChanges(before: unknown, after: unknown): WorkflowChange[] {
  const b = isObject(before) ? before : {};
  const a = isObject(after) ? after : {};
  const changes: WorkflowChange[] = [];
  for (const field of new Set([...Object.keys(b), ...Object.keys(a)])) {
    const was = own(b, field);
    const now = own(a, field);
    if (compared.has(field) || deepEqual(was, now)) continue;
    // `evaluate` decides how every runtime expression is read, running executions' included.
    const breaking = field === 'evaluate';
    changes.push({
      kind: 'workflow-changed',
      path: pointerOf([field]),
      compatibility: breaking ? 'breaking' : 'compatible',
      reason: breaking
        ? 'runtime expression evaluation (language or mode) changed: every expression, in running executions too, is read differently'
        : field === 'timeout'
          ? "the workflow's timeout changed: it limits how long executions may run and leaves every execution's place intact"
          : `the workflow's ${field} changed; it leaves every execution's place intact`,
      before: compactValue(was, [field]),
      after: compactValue(now, [field]),
    });
  }
  return changes;
}

export function workflowLevelChanges(before: unknown, after: unknown): WorkflowChange[] {
  return [
    ...documentChanges(before, after),
    ...ioChanges(before, after),
    ...scheduleChanges(before, after),
    ...otherChanges(before, after),
  ];
}
