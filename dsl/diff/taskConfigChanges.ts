import type { TaskKind } from '../model/workflowModel.js';
import { pointerOf } from '../problems.js';
import { clipped, compactValue, deepEqual, isObject, own, quoted, valueAt } from './jsonValues.js';
import { shapeChange } from './outputShape.js';
import type { ShapeVerdict } from './outputShape.js';
import { schemaChanges, schemaStillHolds } from './schemaChanges.js';
import type { SchemaRole } from './schemaChanges.js';
import { redactSecrets } from './redactSecrets.js';
import { bodyOf } from './taskIndex.js';
import type { TaskPair } from './taskMatching.js';
import type { WorkflowChange } from './workflowChange.js';

/**
 * What changed inside a task that kept its place and kind. A task's configuration (its call's
 * arguments, timeout, retry policy, loop, condition) is compatible to change: executions that
 * reach the task run the new configuration and none loses its place. Three parts are contracts
 * with someone else and are classified on their own: the input/output/context schemas
 * (`schemaChanges.ts`), the shape of what the task outputs (`outputShape.ts`, below), and the
 * events it consumes or emits (`eventChanges.ts`). Nested task lists are diffed task by task.
 */

type Path = string[];

/** Task lists inside a task of each kind: their tasks are matched one by one elsewhere. */
const nestedLists: Partial<Record<TaskKind, Path[]>> = {
  do: [['do']],
  for: [['do']],
  fork: [['fork', 'branches']],
  try: [['try'], ['catch', 'do']],
};

/** Fields that change which task runs next. */
const flowFields: Path[] = [['then'], ['if'], ['switch']];

const schemaFields: Array<{ field: Path; role: SchemaRole }> = [
  { field: ['input', 'schema'], role: 'input' },
  { field: ['output', 'schema'], role: 'output' },
  { field: ['export', 'schema'], role: 'context' },
];

/**
 * Fields that decide the shape of what later tasks (and, through the last task, the workflow's
 * callers) read. `export.as` shapes the context; the others the task's output.
 */
const shapeFields: Array<{ field: Path; kinds?: TaskKind[]; what: string; switch?: true }> = [
  { field: ['output', 'as'], what: 'output.as' },
  { field: ['export', 'as'], what: 'export.as (the context it leaves)' },
  { field: ['set'], kinds: ['set'], what: 'value' },
  { field: ['foreach', 'output', 'as'], kinds: ['listen'], what: 'foreach.output.as' },
  // Enumerated switches: any change turns the output into something else (an array into one
  // winner's output, event data into envelopes, stdout into an exit code …).
  { field: ['fork', 'compete'], kinds: ['fork'], what: 'fork.compete', switch: true },
  { field: ['listen', 'read'], kinds: ['listen'], what: 'listen.read', switch: true },
  { field: ['run', 'return'], kinds: ['run'], what: 'run.return', switch: true },
  { field: ['run', 'await'], kinds: ['run'], what: 'run.await', switch: true },
];

/** Compared by `eventChanges.ts`. */
const eventFields: Path[] = [
  ['listen', 'to'],
  ['emit', 'event', 'with'],
];

/** A copy of `value` without the fields at `paths`, pruning objects left empty by the removal. */
function without(value: unknown, paths: Path[]): unknown {
  const copy = structuredClone(value) as unknown;
  for (const path of paths) {
    const parents = path.slice(0, -1).map((_, i) => valueAt(copy, path.slice(0, i + 1)));
    const holder = path.length === 1 ? copy : parents.at(-1);
    if (!isObject(holder)) continue;
    delete holder[path.at(-1) as string];
    for (let i = parents.length - 1; i >= 0; i--) {
      const parent = parents[i];
      const grandparent = i === 0 ? copy : parents[i - 1];
      if (!isObject(parent) || Object.keys(parent).length > 0 || !isObject(grandparent)) break;
      delete grandparent[path[i] as string];
    }
  }
  return copy;
}

/** The fields that differ, one level into mappings: `['with', 'endpoint']`. */
function changedFields(before: unknown, after: unknown): Path[] {
  const b = isObject(before) ? before : {};
  const a = isObject(after) ? after : {};
  return [...new Set([...Object.keys(b), ...Object.keys(a)])]
    .filter((key) => !deepEqual(own(b, key), own(a, key)))
    .flatMap((key) => {
      const was = own(b, key);
      const now = own(a, key);
      const inner = isObject(was) && isObject(now) ? changedFields(was, now) : [];
      // A few named sub-fields read better than `with`; many read worse.
      return inner.length > 0 && inner.length <= 3 ? inner.map((k) => [key, ...k]) : [[key]];
    });
}

export function taskConfigChanges(pair: TaskPair): WorkflowChange[] {
  const kind = pair.after.entry.kind;
  if (pair.before.entry.kind !== kind) return []; // a kind change is reported on its own
  if (bodyOf(pair.before) === bodyOf(pair.after)) return [];
  const before = pair.before.entry.task as unknown;
  const after = pair.after.entry.task as unknown;
  const task = pair.after.qname;
  const at = (field: Path) => `${pair.after.pointer}${pointerOf(field)}`;
  const changes: WorkflowChange[] = [];

  for (const field of flowFields) {
    const was = valueAt(before, field);
    const now = valueAt(after, field);
    if (deepEqual(was, now)) continue;
    changes.push({
      kind: 'flow-changed',
      path: at(field),
      task,
      compatibility: 'compatible',
      reason: `task '${task}' ${flowSentence(field[0] as string, was, now)}: executions that have not left it follow the new flow, and none is left at a place that no longer exists`,
      before: compactValue(was, field),
      after: compactValue(now, field),
    });
  }

  for (const { field, role } of schemaFields) {
    const site = { role, pointer: at(field), task };
    // A loop, not push(...): a schema requiring 200,000 names has as many changes.
    for (const change of schemaChanges(valueAt(before, field), valueAt(after, field), site)) {
      changes.push(change);
    }
  }

  const shapers = shapeFields.filter(
    (s) => s.kinds === undefined || (kind !== undefined && s.kinds.includes(kind)),
  );
  for (const { field, what, switch: isSwitch } of shapers) {
    const was = valueAt(before, field);
    const now = valueAt(after, field);
    if (deepEqual(was, now)) continue;
    const schema = field[0] === 'export' ? ['export', 'schema'] : ['output', 'schema'];
    const pinned = schemaStillHolds(valueAt(before, schema), valueAt(after, schema));
    const verdict = isSwitch
      ? {
          compatibility: 'breaking' as const,
          why: `it changed from ${quoted(was ?? 'the default', field)} to ${quoted(now ?? 'the default', field)}, which changes what the output is`,
        }
      : (shapeChange(was, now) as ShapeVerdict);
    const reader = field[0] === 'export' ? 'context' : 'output';
    changes.push({
      kind: 'output-shape-changed',
      path: at(field),
      task,
      compatibility: pinned ? 'compatible' : verdict.compatibility,
      reason: pinned
        ? `task '${task}' changed its ${what}, but its declared ${field[0]} schema still holds and the runtime checks it, so readers get nothing new`
        : `task '${task}' changed its ${what}: ${verdict.why}; the tasks after it read its ${reader} (the workflow's callers too, if it becomes the workflow's output), and executions that already ran it carry the old shape to them`,
      before: compactValue(was, field),
      after: compactValue(now, field),
    });
  }

  const handled = [
    ...((kind !== undefined && nestedLists[kind]) || []),
    ...flowFields,
    ...schemaFields.map((s) => s.field),
    ...shapers.map((s) => s.field),
    ...eventFields,
  ];
  const rest = changedFields(without(before, handled), without(after, handled));
  if (rest.length > 0) changes.push(configChange(pair, rest));
  return changes;
}

function flowSentence(field: string, was: unknown, now: unknown): string {
  if (field === 'then') {
    return `now continues to ${quoted(now ?? 'the next task')} instead of ${quoted(was ?? 'the next task')}`;
  }
  if (field === 'if') {
    return now === undefined ? 'now always runs' : `now runs only when ${quoted(now)}`;
  }
  return 'has different switch cases';
}

/** Changed fields a reason names; the values beside it show the others' start. */
const maxListedFields = 5;

function configChange(pair: TaskPair, fields: Path[]): WorkflowChange {
  const task = pair.after.qname;
  const before = pair.before.entry.task as unknown;
  const after = pair.after.entry.task as unknown;
  // Each field redacted where it sits: `with.endpoint.authentication.basic.password` alone is
  // still a password.
  const pick = (value: unknown) =>
    compactValue(
      Object.fromEntries(fields.map((f) => [f.join('.'), redactSecrets(valueAt(value, f), f)])),
    );
  const names = fields.map((f) => clipped(f.join('.')));
  const listed =
    names.length > maxListedFields
      ? `${names.slice(0, maxListedFields).join(', ')} and ${names.length - maxListedFields} more`
      : names.join(', ');
  const waitOnly = pair.after.entry.kind === 'wait' && fields.every((f) => f[0] === 'wait');
  return {
    kind: 'task-changed',
    path: pair.after.pointer,
    task,
    compatibility: 'compatible',
    reason: waitOnly
      ? `task '${task}' now waits ${quoted(valueAt(after, ['wait']))} instead of ${quoted(valueAt(before, ['wait']))}: executions already waiting keep the timer they set, later ones wait the new duration`
      : `task '${task}' changed (${listed}): its place in the flow and its output contract are unchanged, so running executions continue, and those that reach it run the new configuration`,
    before: pick(before),
    after: pick(after),
  };
}
