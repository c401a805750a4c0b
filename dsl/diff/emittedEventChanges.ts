import { eventKey } from './consumedEventChanges.js';
import { clipped, compactValue, deepEqual, isObject, own, valueAt } from './jsonValues.js';
import { shapeChange } from './outputShape.js';
import type { TaskIndex } from './taskIndex.js';
import type { TaskMatching } from './taskMatching.js';
import type { WorkflowChange } from './workflowChange.js';

/**
 * Events the workflow emits (`emit` tasks of its flow). They are a contract with consumers the
 * workflow does not know: a type no longer emitted, or a context attribute consumers filter or
 * route on (`source`, `subject`, `dataschema` …), is breaking; the payload follows the shape rule
 * of `outputShape.ts`; `id` and `time` differ per event anyway; a newly emitted type is
 * compatible, since nobody is subscribed to it yet.
 */

interface Emitter {
  key: string;
  task: string;
  pointer: string;
  properties: Record<string, unknown>;
}

function emittersOf(index: TaskIndex): Emitter[] {
  return index.tasks.flatMap((task) => {
    if (task.entry.kind !== 'emit') return [];
    const properties = valueAt(task.entry.task, ['emit', 'event', 'with']);
    return [
      {
        key: eventKey(properties),
        task: task.qname,
        pointer: `${task.pointer}/emit/event/with`,
        properties: isObject(properties) ? properties : {},
      },
    ];
  });
}

/** Attributes that differ per event and that no consumer can rely on. */
const perEvent = new Set(['id', 'time']);

/** The first emitter of each event type, in document order. */
function firstByKey(emitters: Emitter[]): Map<string, Emitter> {
  const first = new Map<string, Emitter>();
  for (const emitter of emitters) if (!first.has(emitter.key)) first.set(emitter.key, emitter);
  return first;
}

export function emittedEventChanges(
  indexes: { before: TaskIndex; after: TaskIndex },
  matching: TaskMatching,
): WorkflowChange[] {
  const was = emittersOf(indexes.before);
  const now = emittersOf(indexes.after);
  const emittedBefore = firstByKey(was);
  const emittedAfter = firstByKey(now);
  const changes: WorkflowChange[] = [];
  for (const [key, first] of emittedBefore) {
    if (emittedAfter.has(key)) continue;
    changes.push({
      kind: 'event-emitted-removed',
      path: first.pointer,
      task: first.task,
      compatibility: 'breaking',
      reason: `the workflow no longer emits '${clipped(key)}' events (task '${first.task}' did): consumers subscribed to them stop receiving them`,
      before: compactValue(key),
    });
  }
  for (const [key, first] of emittedAfter) {
    if (emittedBefore.has(key)) continue;
    changes.push({
      kind: 'event-emitted-added',
      path: first.pointer,
      task: first.task,
      compatibility: 'compatible',
      reason: `task '${first.task}' emits '${clipped(key)}' events, which the workflow did not emit before: no consumer can depend on them yet`,
      after: compactValue(key),
    });
  }
  const emitterOf = new Map(now.map((emitter) => [emitter.task, emitter]));
  for (const b of was) {
    const a = emitterOf.get(matching.pairOfBefore.get(b.task)?.after.qname ?? '');
    if (a === undefined) continue;
    for (const change of emitterChanges(b, a, emittedBefore, emittedAfter)) changes.push(change);
  }
  return changes;
}

function emitterChanges(
  b: Emitter,
  a: Emitter,
  emittedBefore: ReadonlyMap<string, Emitter>,
  emittedAfter: ReadonlyMap<string, Emitter>,
): WorkflowChange[] {
  const base = { kind: 'event-emitted-changed' as const, task: a.task };
  if (b.key !== a.key) {
    // When the types themselves appeared or disappeared, the catalogue changes above say it.
    if (!emittedAfter.has(b.key) || !emittedBefore.has(a.key)) return [];
    return [
      {
        ...base,
        path: a.pointer,
        compatibility: 'compatible',
        reason: `task '${a.task}' now emits '${clipped(a.key)}' instead of '${clipped(b.key)}' events; the workflow emitted both types before and still does`,
        before: compactValue(b.key),
        after: compactValue(a.key),
      },
    ];
  }
  const changes: WorkflowChange[] = [];
  const names = new Set([...Object.keys(b.properties), ...Object.keys(a.properties)]);
  for (const name of names) {
    const was = own(b.properties, name);
    const now = own(a.properties, name);
    if (name === 'type' || deepEqual(was, now)) continue;
    const path = `${a.pointer}/${name}`;
    const values = { before: compactValue(was, [name]), after: compactValue(now, [name]) };
    if (name === 'data') {
      const verdict = shapeChange(was, now);
      if (verdict === undefined) continue;
      changes.push({
        ...base,
        path,
        compatibility: verdict.compatibility,
        reason: `the data of the '${clipped(a.key)}' events task '${a.task}' emits changed: ${verdict.why}; their consumers read it`,
        ...values,
      });
    } else if (perEvent.has(name)) {
      changes.push({
        ...base,
        path,
        compatibility: 'compatible',
        reason: `task '${a.task}' computes the '${name}' of its '${clipped(a.key)}' events differently; it differs per event, so no consumer relies on it`,
        ...values,
      });
    } else {
      changes.push({
        ...base,
        path,
        compatibility: 'breaking',
        reason: `task '${a.task}' changed the '${name}' of its '${clipped(a.key)}' events: consumers that filter or route on it may no longer receive them`,
        ...values,
      });
    }
  }
  return changes;
}
